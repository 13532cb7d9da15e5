// Starts the emulator from the command line (demo, benchmarks, manual testing):
//   node out/test/emulator/cli.js --port 4599 --regions us-east-1,eu-west-1 --flow-logs-per-region 500 --seed 1
//     [--latency-ms N] [--jitter-ms N] [--throttle-rate R] [--error-rate R] [--drop-rate R] [--hang-rate R]
//     [--no-hostile] [--write-aws-config DIR]
// Prints EMULATOR_URL=... on its first line, then a ready AWS config profile per account.
// Stops cleanly on SIGINT/SIGTERM.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultRule } from './faults';
import { awsConfigFor, defaultProfiles } from './fixtures';
import { defaultAccounts, startEmulator } from './server';

interface CliOptions {
  port: number;
  regions?: string[];
  flowLogsPerRegion: number;
  seed: number;
  hostile: boolean;
  writeAwsConfig?: string;
  faults: FaultRule[];
  /** Five more flow logs per region, one of each kind the Coverage check tells apart. */
  coverageCases?: boolean;
}

const USAGE =
  'usage: cli.js [--port N] [--regions a,b] [--flow-logs-per-region N] [--seed N] [--latency-ms N] [--jitter-ms N]\n' +
  '              [--throttle-rate R] [--error-rate R] [--drop-rate R] [--hang-rate R] [--no-hostile] [--write-aws-config DIR]\n' +
  '              [--coverage-cases]';

export function parseCliArgs(argv: string[]): CliOptions {
  const opts: CliOptions = { port: 0, flowLogsPerRegion: 40, seed: 1, hostile: true, faults: [] };
  let latencyMs = 0;
  let jitterMs = 0;
  const rates: [FaultRule['fault'], number][] = [];
  const int = (flag: string, text: string | undefined, min: number): number => {
    const n = Number(text);
    if (text === undefined || !Number.isInteger(n) || n < min) throw new Error(`${flag} needs an integer >= ${min}, got '${text ?? ''}'`);
    return n;
  };
  const rate = (flag: string, text: string | undefined): number => {
    const n = Number(text);
    if (text === undefined || text === '' || !(n >= 0 && n <= 1))
      throw new Error(`${flag} needs a number between 0 and 1, got '${text ?? ''}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    switch (flag) {
      case '--port':
        opts.port = int(flag, value(), 0);
        break;
      case '--regions': {
        const list = (value() ?? '')
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean);
        if (list.length === 0 || list.some((r) => !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r)))
          throw new Error(`--regions needs a comma-separated list of regions, got '${list.join(',')}'`);
        opts.regions = list;
        break;
      }
      case '--flow-logs-per-region':
        opts.flowLogsPerRegion = int(flag, value(), 0);
        break;
      case '--seed':
        opts.seed = int(flag, value(), 0);
        break;
      case '--latency-ms':
        latencyMs = int(flag, value(), 0);
        break;
      case '--jitter-ms':
        jitterMs = int(flag, value(), 0);
        break;
      case '--throttle-rate':
        rates.push(['throttle', rate(flag, value())]);
        break;
      case '--error-rate':
        rates.push(['internalError', rate(flag, value())]);
        break;
      case '--drop-rate':
        rates.push(['drop', rate(flag, value())]);
        break;
      case '--hang-rate':
        rates.push(['hang', rate(flag, value())]);
        break;
      case '--no-hostile':
        opts.hostile = false;
        break;
      case '--coverage-cases':
        opts.coverageCases = true;
        break;
      case '--write-aws-config': {
        const dir = value();
        if (!dir) throw new Error('--write-aws-config needs a directory');
        opts.writeAwsConfig = dir;
        break;
      }
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option '${flag}'\n${USAGE}`);
    }
  }
  if (latencyMs > 0 || jitterMs > 0) opts.faults.push({ fault: 'latency', latencyMs, jitterMs });
  for (const [fault, r] of rates) if (r > 0) opts.faults.push({ fault, rate: r });
  return opts;
}

async function main(): Promise<void> {
  const opts = parseCliArgs(process.argv.slice(2));
  const accounts = defaultAccounts(opts.flowLogsPerRegion).map((a) => (opts.regions ? { ...a, regions: opts.regions } : a));
  const emulator = await startEmulator({
    accounts,
    seed: opts.seed,
    port: opts.port,
    hostile: opts.hostile,
    faults: opts.faults,
    coverageCases: opts.coverageCases,
  });
  const profiles = defaultProfiles(accounts);
  console.log(`EMULATOR_URL=${emulator.url}`);
  console.log(
    `# VPC Flow Logs emulator on ${emulator.url}: ${accounts.length} accounts, regions ${accounts[0].regions.join(', ')}, ` +
      `${opts.flowLogsPerRegion} flow logs per region, seed ${opts.seed}` +
      (opts.faults.length ? `, faults ${JSON.stringify(opts.faults)}` : ''),
  );
  console.log('# Profiles for ~/.aws/config (or AWS_CONFIG_FILE):');
  for (const p of profiles) {
    console.log(
      `[profile ${p.name}]\nregion = ${p.region}\nendpoint_url = ${emulator.url}\n` +
        `aws_access_key_id = ${p.account.accessKeyId}\naws_secret_access_key = ${p.account.secretAccessKey}\n`,
    );
  }
  if (opts.writeAwsConfig) {
    const files = awsConfigFor(emulator, profiles);
    mkdirSync(opts.writeAwsConfig, { recursive: true });
    writeFileSync(join(opts.writeAwsConfig, 'config'), files.config);
    writeFileSync(join(opts.writeAwsConfig, 'credentials'), files.credentials, { mode: 0o600 });
    console.log(`# Wrote ${join(opts.writeAwsConfig, 'config')} and credentials`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`# ${signal}: stopping`);
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  });
}
