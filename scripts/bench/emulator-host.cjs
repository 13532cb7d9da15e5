// Runs the local EC2 endpoint (out/test/emulator/server.js) in its own process with accounts the
// stock CLI (out/test/emulator/cli.js) cannot describe: any number of accounts and regions.
//   node scripts/bench/emulator-host.cjs OUT_DIR '{"accounts":N,"regions":[...],"flowLogsPerRegion":N,"latencyMs":N,"configDir":DIR}'
// Prints EMULATOR_URL=... then READY once the AWS config files (profiles bench-1..N, each with
// endpoint_url) are written to configDir. Stops on SIGTERM/SIGINT.
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const [outDir, json] = process.argv.slice(2);
const opts = JSON.parse(json);
const { startEmulator, awsConfigFor } = require(join(outDir, 'test/emulator/server.js'));

async function main() {
  const accounts = Array.from({ length: opts.accounts }, (_, i) => {
    const d = String(i + 1);
    return {
      // 1..9: 111111111111…; more accounts: 300000000001… (repeated digits would collide from 11 on).
      accountId: opts.accounts > 9 ? String(300000000000 + i + 1) : d.repeat(12).slice(0, 12),
      accessKeyId: `AKIABENCH${d.padStart(4, '0')}EXAMPLE`,
      secretAccessKey: `benchSecretKey${d.padStart(4, '0')}EXAMPLEwJalrXUtnFEMI`,
      regions: opts.regions,
      flowLogsPerRegion: opts.flowLogsPerRegion,
    };
  });
  const faults = opts.latencyMs ? [{ fault: 'latency', latencyMs: opts.latencyMs }] : [];
  const emulator = await startEmulator({ accounts, seed: opts.seed ?? 1, faults, hostile: opts.hostile ?? true });
  const profiles = accounts.map((account, i) => ({ name: `bench-${i + 1}`, account, region: opts.regions[0] }));
  const files = awsConfigFor(emulator, profiles);
  mkdirSync(opts.configDir, { recursive: true });
  writeFileSync(join(opts.configDir, 'config'), files.config);
  writeFileSync(join(opts.configDir, 'credentials'), files.credentials, { mode: 0o600 });
  console.log(`EMULATOR_URL=${emulator.url}`);
  console.log('READY');
  const stop = () =>
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
