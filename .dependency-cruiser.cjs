// dependency-cruiser: the import graph of src/ has no cycle, and the layers of
// docs/architecture.md hold (ESLint checks the same layer rules per file; this checks the graph).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import cycles in src/.', from: { path: '^src/' }, to: { circular: true } },
    {
      name: 'pure-core-no-vscode',
      severity: 'error',
      comment: 'The pure core never imports vscode.',
      from: {
        path: '^src/(aws|filters|records|coverage|insights|explorer)/|^src/tree/flowLogLabels\\.ts$|^src/webview/(render|escape|logFormat|messages)\\.ts$',
      },
      to: { path: '^vscode$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'aws-is-the-bottom-layer',
      severity: 'error',
      from: { path: '^src/aws/' },
      comment:
        'src/aws/ (the AWS side, worker included) imports only the pure core: never the filters, the VS Code layer or the composition root.',
      to: {
        path: '^src/(filters|tree|commands|recordsView|insightsView|explorer)/|^src/(records|insights|coverage)/.*(Panel|Commands|View)\\.ts$|^src/webview/detailPanel\\.ts$|^src/(services|extension|settings|outputLogger)\\.ts$',
      },
    },
    {
      name: 'main-thread-not-worker',
      severity: 'error',
      comment: 'The main thread never imports src/aws/worker/: it talks to the worker by messages (src/aws/awsWorkerProtocol.ts).',
      from: { path: '^src/', pathNot: '^src/aws/worker/' },
      to: { path: '^src/aws/worker/' },
    },
    {
      name: 'worker-not-main-thread',
      severity: 'error',
      comment:
        'The worker imports only itself, the protocol and the shared pure modules (types, errors, redaction, config, record and Insights formats), never the main-thread side.',
      from: { path: '^src/aws/worker/' },
      to: {
        path: '^src/',
        pathNot:
          '^src/aws/worker/|^src/aws/(awsWorkerProtocol|errors|logger|networkTypes|profiles|redact|regions|sdkLoad|sharedConfig|types|arn|resultParts|endpoints)\\.ts$|^src/records/(errors|fields|filters|parse|decode)\\.ts$|^src/records/s3/errors\\.ts$|^src/insights/(errors|results)\\.ts$',
      },
    },
    {
      name: 'explorer-below-the-vscode-layer',
      severity: 'error',
      comment: 'src/explorer/ (the model the tree draws) is pure: it never imports the VS Code layer or the composition root.',
      from: { path: '^src/explorer/' },
      to: {
        path: '^src/(tree|commands|recordsView|insightsView)/|^src/webview/detailPanel\\.ts$|^src/(services|extension|settings|outputLogger)\\.ts$',
      },
    },
    { name: 'webview-not-commands', severity: 'error', from: { path: '^src/webview/' }, to: { path: '^src/commands/' } },
    {
      name: 'webview-not-tree',
      severity: 'error',
      comment: 'The detail panel takes a plain FlowLogRef (src/explorer/), never a tree node.',
      from: { path: '^src/webview/' },
      to: { path: '^src/tree/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
