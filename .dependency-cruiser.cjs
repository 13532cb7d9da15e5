// dependency-cruiser: the import graph of src/ has no cycle, and the layers of
// docs/architecture.md hold. The rules are those of layers.config.cjs (ESLint checks the same
// rules per file; this checks the graph).
const { rules } = require('./layers.config.cjs');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: rules.map((r) => ({
    name: r.name,
    severity: 'error',
    comment: r.comment,
    from: { path: r.from, ...(r.fromNot ? { pathNot: r.fromNot } : {}) },
    to: r.circular ? { circular: true } : { path: r.to, ...(r.toNot ? { pathNot: r.toNot } : {}) },
  })),
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules stays in the graph (as leaves): a rule on a package (vscode) needs to see it.
    exclude: { path: '^(out|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
