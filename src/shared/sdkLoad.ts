// Whether this thread has loaded the AWS SDK bundle, and how long it took. Set by worker/sdk.ts;
// read by the extension's activation (the main thread never loads the SDK: it should say "no").
let loaded = false;
let loadMs = 0;

export function markSdkLoaded(ms: number): void {
  loaded = true;
  loadMs = ms;
}

export function sdkLoadInfo(): { loaded: boolean; ms: number } {
  return { loaded, ms: loadMs };
}
