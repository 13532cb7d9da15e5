// Loads the AWS SDK on first use. In the built files, './sdkBundle' is rewritten to the separate
// file dist/sdk.js (see scripts/build.mjs); only the AWS workers (dist/awsWorker.js) require it,
// so neither activation nor the extension host's thread ever pays for the SDK.
import { markSdkLoaded, sdkLoadInfo } from '../../shared/sdkLoad';

export type Sdk = typeof import('./sdkBundle');

let loaded: Sdk | undefined;

export function loadSdk(): Sdk {
  if (!loaded) {
    const start = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('./sdkBundle') as Sdk;
    markSdkLoaded(performance.now() - start);
  }
  return loaded;
}

export { sdkLoadInfo };
