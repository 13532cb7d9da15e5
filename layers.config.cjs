// The layer rules of docs/architecture.md, written once. Both checks load this file:
//   eslint.config.mjs       per file, as you type (a local rule resolves each import to a path)
//   .dependency-cruiser.cjs over the whole import graph (and no cycles)
// A rule forbids imports from files whose repository path matches `from` (and not `fromNot`) of
// targets whose path matches `to` (and not `toNot`). A target is a repository path
// (src/shared/types.ts); a package is its name for ESLint (vscode) and the file it resolves to for
// dependency-cruiser (node_modules/@types/vscode/index.d.ts), so a rule on a package names both.
// Type-only imports count too.
'use strict';

/** The pure core: no `vscode`, runs in plain Node (and partly in the AWS worker). */
const pureCore =
  '^src/(aws|shared|filters|records|coverage|insights|explorer|network|webviews|athena)/|^src/tree/nodeLabels\\.ts$|^src/webview/(render|escape|pageShell)\\.ts$';

/**
 * What the AWS worker may import besides itself: the code both threads share (src/shared/: the
 * protocol, types, errors, record formats, the LogFormat table) and the pages' pure modules it uses.
 */
const workerMayImport = '^src/aws/worker/|^src/shared/|^src/webviews/';

/** @type {{name: string, comment: string, from?: string, fromNot?: string, to?: string, toNot?: string, circular?: true}[]} */
const rules = [
  { name: 'no-circular', comment: 'No import cycles in src/.', from: '^src/', circular: true },
  {
    name: 'records-page-pure',
    comment:
      'The webview pages (src/webviews/, bundled for the browser) import only themselves, the pure text helpers and the result-set types: never vscode, Node, the AWS side or the panels.',
    from: '^src/webviews/',
    to: '^src/',
    toNot: '^src/webviews/|^src/shared/(text|resultSet)\\.ts$',
  },
  {
    name: 'shared-imports-shared',
    comment:
      "src/shared/ (the code both threads use) imports only itself and the pages' pure modules: never the main-thread side, the worker or the VS Code layer.",
    from: '^src/shared/',
    to: '^src/',
    toNot: '^src/shared/|^src/webviews/',
  },
  {
    name: 'pure-core-no-vscode',
    comment: 'The pure core never imports vscode.',
    from: pureCore,
    to: '^vscode$|^node_modules/@types/vscode/',
  },
  {
    name: 'aws-is-the-bottom-layer',
    comment:
      'src/aws/ (the AWS side, worker included) imports only the pure core: never the filters, the VS Code layer or the composition root.',
    from: '^src/aws/',
    to:
      '^src/(filters|tree|commands|webview|recordsView|insightsView|explorer)/' +
      '|^src/(records|insights|coverage)/.*(Panel|Commands|View)\\.ts$' +
      '|^src/(services|extension|settings|outputLogger)\\.ts$',
  },
  {
    name: 'main-thread-not-worker',
    comment:
      'The main thread never imports src/aws/worker/: it talks to the worker by messages (src/shared/awsWorkerProtocol.ts), and it cannot classify an SDK error (the classifiers live in src/aws/worker/).',
    from: '^src/',
    fromNot: '^src/aws/worker/',
    to: '^src/aws/worker/',
  },
  {
    name: 'worker-not-main-thread',
    comment:
      'The worker imports only itself, the protocol and the shared pure modules (types, errors, redaction, config, record and Insights formats), never the main-thread side.',
    from: '^src/aws/worker/',
    to: '^src/',
    toNot: workerMayImport,
  },
  {
    name: 'webview-not-commands',
    comment: 'webview/ never imports commands/: shared values live in the pure core.',
    from: '^src/webview/',
    to: '^src/commands/',
  },
  {
    name: 'explorer-below-the-vscode-layer',
    comment: 'src/explorer/ (the model the tree draws) is pure: it never imports the VS Code layer or the composition root.',
    from: '^src/explorer/',
    to: '^src/(tree|commands|recordsView|insightsView)/|^src/webview/detailPanel\\.ts$|^src/(services|extension|settings|outputLogger)\\.ts$',
  },
  {
    name: 'webview-not-tree',
    comment: 'The detail panel takes a plain FlowLogRef (src/explorer/), never a tree node.',
    from: '^src/webview/',
    to: '^src/tree/',
  },
  {
    name: 'tree-not-commands',
    comment: 'The tree draws the model; commands act on it. tree/ never imports commands/ (commands import the nodes).',
    from: '^src/tree/',
    to: '^src/commands/',
  },
];

module.exports = { rules };
