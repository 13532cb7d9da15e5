// Loads the AWS SDK on first use. In the built files, './sdkBundle' is rewritten to the separate
// file dist/sdk.js (see scripts/build.mjs); only the AWS workers (dist/awsWorker.js) require it,
// so neither activation nor the extension host's thread ever pays for the SDK.
export type Sdk = typeof import('./sdkBundle');

let loaded: Sdk | undefined;
let loadMs = 0;

export function loadSdk(): Sdk {
  if (!loaded) {
    const start = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('./sdkBundle') as Sdk;
    loadMs = performance.now() - start;
  }
  return loaded;
}

export function sdkLoadInfo(): { loaded: boolean; ms: number } {
  return { loaded: loaded !== undefined, ms: loadMs };
}
