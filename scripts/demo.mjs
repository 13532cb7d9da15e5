// `npm start`: the extension in a real VS Code, against the local EC2 emulator, with demo data.
//   node scripts/demo.mjs                       code-server on http://127.0.0.1:8080: open the printed URL
//   node scripts/demo.mjs --port 9000           another port
//   node scripts/demo.mjs --desktop             desktop VS Code (`code` on PATH) instead of code-server
//   node scripts/demo.mjs --screenshot FILE [--detail-screenshot FILE]
//                                               headless Chromium: open the view, expand the first profile
//                                               and its first region, save PNG(s), exit
//   --flow-logs-per-region N                    demo data size (default 600)
// (through npm: npm start -- --screenshot docs/screenshot.png)
//
// What it starts, all stopped on Ctrl-C (SIGINT/SIGTERM) or at the end of a screenshot run:
// - the emulator (test/emulator, in this process) with two accounts x three regions of flow logs, and
//   an SSO sign-in (IAM Identity Center portal) reaching 40 accounts and a log-archive account whose
//   bucket and log group hold every 4th flow log of the others;
// - code-server (scripts/lib/vscode-host.mjs) with the extension packaged (vsce) and installed
//   into the demo's own extensions folder, as a user has it: no development payload, so no
//   test-only switch (enable-smoke-test-driver would hide every notification); or desktop VS Code
//   with --extensionDevelopmentPath.
//   --notification-screenshot FILE              also runs Check Permissions on a profile and saves
//                                               the notification it shows
//   --sso-screenshot FILE                       also expands the SSO session (its 41 accounts) and saves it
// AWS profiles come from a temporary config/credentials pair (AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE) and the SSO token cache from a temporary HOME (HOME/.aws/sso/cache);
// your ~/.aws and AWS_* variables are never read or used.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  root,
  startCodeServer,
  launchChromium,
  workbenchUrl,
  vscodeVersion,
  codeServerVersion,
  installExtension,
} from './lib/vscode-host.mjs';
import { ensureNpmDeps } from './lib/ensure-npm-deps.mjs';

const repo = root.replace(/\/+$/, ''); // the extension's folder, as VS Code is given it

const USAGE = `usage: node scripts/demo.mjs [--port N] [--desktop] [--screenshot FILE] [--detail-screenshot FILE] [--errors-screenshot FILE] [--notification-screenshot FILE] [--sso-screenshot FILE] [--flow-logs-per-region N]`;

function parseArgs(argv) {
  const o = {
    port: 8080,
    desktop: false,
    screenshot: undefined,
    detailScreenshot: undefined,
    errorsScreenshot: undefined,
    notificationScreenshot: undefined,
    ssoScreenshot: undefined,
    perRegion: 600,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value\n${USAGE}`);
      return v;
    };
    const int = (v, min, max) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) fail(`${a} needs an integer ${min}..${max}, got '${v}'`);
      return n;
    };
    if (a === '--port') o.port = int(next(), 1, 65535);
    else if (a === '--desktop') o.desktop = true;
    else if (a === '--screenshot') o.screenshot = resolve(next());
    else if (a === '--detail-screenshot') o.detailScreenshot = resolve(next());
    else if (a === '--errors-screenshot') o.errorsScreenshot = resolve(next());
    else if (a === '--notification-screenshot') o.notificationScreenshot = resolve(next());
    else if (a === '--sso-screenshot') o.ssoScreenshot = resolve(next());
    else if (a === '--flow-logs-per-region') o.perRegion = int(next(), 0, 100_000);
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown argument '${a}'\n${USAGE}`);
  }
  if (o.desktop && (o.screenshot || o.detailScreenshot || o.errorsScreenshot || o.notificationScreenshot || o.ssoScreenshot))
    fail('--desktop cannot be combined with --screenshot');
  return o;
}

function fail(message) {
  console.error(`[demo] ${message}`);
  process.exit(2);
}

function log(message) {
  console.log(`[demo] ${message}`);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function portFree(port) {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

const opts = parseArgs(process.argv.slice(2));
const headless = Boolean(
  opts.screenshot || opts.detailScreenshot || opts.errorsScreenshot || opts.notificationScreenshot || opts.ssoScreenshot,
);

// Everything started here, stopped in reverse order by cleanup().
const stops = [];
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch {
        /* already gone */
      }
    }
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.log(`\n[demo] ${sig}: stopping everything this demo started…`);
    cleanup().then(() => {
      log('stopped');
      process.exit(0);
    });
  });
}

try {
  await main();
} catch (err) {
  console.error(`[demo] ${err?.stack ?? err}`);
  await cleanup();
  process.exit(1);
}

async function main() {
  // 1. Build (the emulator runs from out/test/emulator) and the offline VS Code host.
  ensureNpmDeps(repo);
  if (!opts.desktop) run('bash', ['scripts/install-vscode-host.sh']);
  log('building the extension and the emulator (node scripts/build.mjs --tests)');
  run(process.execPath, ['scripts/build.mjs', '--tests']);

  let code;
  if (opts.desktop) {
    code = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();
    if (!code) {
      fail(
        '--desktop needs the `code` command on PATH (VS Code: Command Palette > "Shell Command: Install \'code\' command in PATH").\n' +
          '       Without it, run `npm start` (no --desktop) and open the printed URL in a browser.',
      );
    }
  } else if (!headless && !(await portFree(opts.port))) {
    fail(`port ${opts.port} on 127.0.0.1 is in use: choose another with --port N`);
  }

  // 2. A temporary home for the AWS files, the workspace and VS Code's user data.
  const work = mkdtempSync(join(tmpdir(), 'flowlogs-demo-'));
  stops.push(() => rmSync(work, { recursive: true, force: true }));
  const workspace = join(work, 'workspace');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });

  // 3. The emulator: two accounts, three regions each; the second account is denied in one region.
  const require = createRequire(import.meta.url);
  const { startEmulator, defaultAccounts, awsConfigFor } = require(join(root, 'out/test/emulator/server.js'));
  const { ssoDemo, ssoConfigFor, ssoTokenCacheFile } = require(join(root, 'out/test/emulator/fixtures.js'));
  const accounts = defaultAccounts(opts.perRegion);
  // An IAM Identity Center sign-in reaching 40 workload accounts and a central log-archive account;
  // every 4th flow log of the workload accounts delivers to the archive's bucket or log group.
  const sso = ssoDemo(40, { flowLogsPerRegion: 12, regions: ['us-east-1'] });
  const ssoAccounts = sso.accounts.filter((a) => a.accountId !== sso.logArchive.accountId).map((a) => a.accountId);
  const emulator = await startEmulator({
    accounts: [...accounts, ...sso.accounts],
    seed: 42,
    coverageCases: true,
    sso: sso.sso,
    logArchive: { ...sso.logArchive, sources: ssoAccounts },
  });
  stops.push(() => emulator.stop());
  const [prod, staging] = accounts;
  const profiles = [
    { name: 'acme-prod', account: prod, region: prod.regions[0], note: `account ${prod.accountId}, ${prod.regions.join(', ')}` },
    {
      name: 'acme-staging',
      account: staging,
      region: staging.regions[0],
      note: `account ${staging.accountId}, ${staging.regions.join(', ')} (DescribeFlowLogs denied in ${staging.deniedRegions.join(', ')})`,
    },
    {
      name: 'acme-wrong-secret',
      account: prod,
      region: prod.regions[0],
      secretAccessKey: 'thisIsNotTheRightSecretKeyEXAMPLE000000000',
      note: 'credentials refused (wrong secret key)',
    },
  ];
  const files = awsConfigFor(emulator, profiles);
  const awsConfig = join(work, 'aws-config');
  const awsCredentials = join(work, 'aws-credentials');
  // The SSO session (and one configured profile of it, which gives the session the endpoint) after the profiles.
  writeFileSync(awsConfig, `${files.config}\n${ssoConfigFor(emulator, sso)}`);
  writeFileSync(awsCredentials, files.credentials, { mode: 0o600 });
  // "Signed in once": the AWS CLI's token cache, in the demo's own HOME (never yours).
  const home = join(work, 'home');
  const cache = ssoTokenCacheFile(
    { sessionName: sso.sessionName },
    { accessToken: sso.accessToken, expiresAt: Date.now() + 8 * 3600_000, region: sso.ssoRegion, startUrl: sso.startUrl },
  );
  mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, '.aws', 'sso', 'cache', cache.fileName), cache.text, { mode: 0o600 });

  // Every region of each account in the tree (the profile's own region is always there).
  const workspaceSettings = {
    'flowLogs.regions': { 'acme-prod': prod.regions, 'acme-staging': staging.regions, 'acme-wrong-secret': prod.regions },
  };
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(workspaceSettings, null, 2));
  writeFileSync(
    join(workspace, 'README.md'),
    '# VPC Flow Logs Explorer demo\n\nOpen the **VPC Flow Logs** view in the activity bar. The profiles point at a local EC2 emulator.\n\nFlow logs that deliver to CloudWatch Logs have a **Show Records** icon: one click shows their records (served by the same local endpoint).\n\n' +
      `**SSO**: the session **${sso.sessionName}** is signed in: expand it for its ${sso.accounts.length} accounts. ` +
      'Right-click it: **Check Coverage…** over every account. A flow log whose bucket is `' +
      sso.logArchive.bucket +
      '` is in the log-archive account: **Show Records** is denied to its own account; **Read with Another Profile…** and pick **log-archive** (once: it is remembered).\n',
  );

  // The extension gets only these AWS variables: none of the developer's AWS_* settings.
  const env = {};
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) env[k] = undefined;
  Object.assign(env, {
    AWS_CONFIG_FILE: awsConfig,
    AWS_SHARED_CREDENTIALS_FILE: awsCredentials,
    AWS_EC2_METADATA_DISABLED: 'true',
    // The SSO token cache is read from HOME/.aws/sso/cache: the demo's temporary home (code-server
    // only: a desktop VS Code keeps your HOME, and the session there asks to Sign In).
    ...(opts.desktop ? {} : { HOME: home }),
  });

  const total = accounts.reduce((n, a) => n + a.regions.length * (a.flowLogsPerRegion + 5), 0); // + 5: the coverage cases
  log(`emulator (local EC2 endpoint): ${emulator.url}  (${total} flow logs in ${accounts.length} accounts)`);
  log(`AWS config: ${awsConfig}`);
  log(`AWS credentials: ${awsCredentials}`);
  log('profiles:');
  for (const p of profiles) log(`  ${p.name.padEnd(18)} ${p.note}`);
  log(
    `SSO session ${sso.sessionName} (signed in: token cache in ${home}/.aws/sso/cache): ${sso.accounts.length} accounts, ` +
      `the log archive ${sso.logArchive.accountId} (bucket ${sso.logArchive.bucket}) holds every 4th flow log of the others`,
  );

  // 4a. Desktop VS Code.
  if (opts.desktop) {
    log(`starting desktop VS Code: code --extensionDevelopmentPath=${repo} ${workspace}`);
    const childEnv = { ...process.env };
    for (const [k, v] of Object.entries(env))
      if (v === undefined) delete childEnv[k];
      else childEnv[k] = v;
    const child = spawn(code, ['--new-window', '--wait', `--extensionDevelopmentPath=${repo}`, workspace], {
      stdio: 'inherit',
      env: childEnv,
    });
    stops.push(() => {
      if (child.exitCode === null) child.kill('SIGTERM');
    });
    log('running; close the Extension Development Host window or press Ctrl-C to stop the emulator');
    await new Promise((res) => child.on('exit', res));
    await cleanup();
    log('VS Code closed: stopped');
    return;
  }

  // 4b. code-server (VS Code in the browser). Fresh user data, with a quieter start-up.
  const userDataDir = join(work, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'chat.disableAIFeatures': true,
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': false,
        // No "Your application running on port N is available" pop-ups: the emulator and the
        // extension's own ports are not the user's application (VS Code's port forwarding).
        'remote.autoForwardPorts': false,
        'remote.restoreForwardedPorts': false,
        'remote.otherPortsAttributes': { onAutoForward: 'ignore' },
      },
      null,
      2,
    ),
  );
  // The extension as a user installs it: packaged, then installed into this demo's extensions folder.
  const extensionsDir = join(work, 'extensions');
  const vsix = join(work, 'vpc-flow-logs-explorer.vsix');
  log("packaging the extension (vsce package) and installing it into the demo's extensions folder");
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix]);
  installExtension(vsix, extensionsDir);
  const server = await startCodeServer({
    env,
    port: headless ? undefined : opts.port,
    userDataDir,
    extensionsDir,
    smokeTestDriver: false, // notifications, progress and Cancel show as they do for a user
  });
  stops.push(() => server.stop());
  const url = workbenchUrl(server.url, { folder: workspace });
  log(`code-server ${codeServerVersion()} (VS Code ${vscodeVersion()}) on ${server.url}, extension installed from ${vsix}`);

  if (headless) {
    await screenshots(url, profiles[0].name, prod.regions[0]);
    await cleanup();
    return;
  }
  console.log('');
  log('open this URL in a browser:');
  console.log(`\n  ${url}\n`);
  log('then click "VPC Flow Logs" in the activity bar. Ctrl-C stops everything.');
  await new Promise(() => {}); // until a signal
}

async function screenshots(url, profile, region) {
  const browser = await launchChromium();
  stops.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  log('headless Chromium: opening the workbench');
  await page.goto(url);
  const item = page
    .locator('.activitybar .action-item [aria-label^="VPC Flow Logs"], .activitybar .action-item[aria-label^="VPC Flow Logs"]')
    .first();
  await item.click({ timeout: 120_000 });
  const row = (label) =>
    page
      .locator('.monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
      .first();
  for (const label of [profile, region]) {
    const r = row(label);
    await r.waitFor({ state: 'visible', timeout: 60_000 });
    if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
  }
  const flowLogRows = page.locator('.monaco-list-row[aria-label^="Flow log "]');
  await flowLogRows.first().waitFor({ state: 'visible', timeout: 60_000 });
  // A wider side bar (drag its sash) so labels and descriptions are readable, and the mouse parked
  // where it raises no hover.
  const bar = await page.locator('.part.sidebar').boundingBox();
  if (bar) {
    await page.mouse.move(bar.x + bar.width + 1, bar.y + bar.height / 2);
    await page.mouse.down();
    await page.mouse.move(bar.x + bar.width + 300, bar.y + bar.height / 2, { steps: 10 });
    await page.mouse.up();
  }
  await page.mouse.move(1300, 600, { steps: 5 });
  await page.waitForTimeout(1000); // the sash's hover highlight fades
  await page
    .locator('.workbench-hover, .monaco-hover:not(.hidden)')
    .first()
    .waitFor({ state: 'hidden', timeout: 5_000 })
    .catch(() => {});
  if (opts.screenshot) {
    mkdirSync(dirname(opts.screenshot), { recursive: true });
    await page.screenshot({ path: opts.screenshot });
    log(`saved ${opts.screenshot} (${await flowLogRows.count()} flow log rows visible)`);
  }
  if (opts.detailScreenshot) {
    await flowLogRows.first().click();
    // The detail panel is a webview: an iframe inside an iframe. Wait until one shows a flow log ID.
    const deadline = Date.now() + 60_000;
    let found = false;
    while (!found && Date.now() < deadline) {
      for (const f of page.frames()) {
        const text = await f.evaluate(() => (document.querySelector('h1') ? document.body.innerText : '')).catch(() => '');
        if (/\bfl-[0-9a-f]+\b/.test(text) && text.includes('Overview')) {
          found = true;
          break;
        }
      }
      if (!found) await new Promise((r) => setTimeout(r, 500));
    }
    if (!found) throw new Error('the detail panel did not show a flow log within 60 s');
    await page.waitForTimeout(500); // fonts and codicons
    mkdirSync(dirname(opts.detailScreenshot), { recursive: true });
    await page.screenshot({ path: opts.detailScreenshot });
    log(`saved ${opts.detailScreenshot}`);
  }
  if (opts.errorsScreenshot) {
    // Errors as nodes: collapse the first region, open the denied region and the refused profile.
    const first = row(region);
    if ((await first.getAttribute('aria-expanded')) === 'true') await first.click();
    for (const label of ['acme-staging', 'ap-northeast-1', 'acme-wrong-secret']) {
      const r = row(label);
      await r.waitFor({ state: 'visible', timeout: 60_000 });
      if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
    }
    await page.locator('.monaco-list-row', { hasText: 'ec2:DescribeFlowLogs' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.monaco-list-row', { hasText: 'Invalid credentials' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await page.mouse.move(1300, 600, { steps: 5 });
    await page.waitForTimeout(800);
    mkdirSync(dirname(opts.errorsScreenshot), { recursive: true });
    await page.screenshot({ path: opts.errorsScreenshot });
    log(`saved ${opts.errorsScreenshot}`);
  }
  if (opts.ssoScreenshot) {
    // The SSO session, signed in once: its accounts listed under it (40 workload accounts and the log archive).
    const first = row(region);
    if ((await first.getAttribute('aria-expanded')) === 'true') await first.click();
    const prof = row(profile);
    if ((await prof.getAttribute('aria-expanded')) === 'true') await prof.click();
    const session = row('emulator-sso');
    await session.waitFor({ state: 'visible', timeout: 60_000 });
    if ((await session.getAttribute('aria-expanded')) !== 'true') await session.click();
    await row('log-archive').waitFor({ state: 'visible', timeout: 60_000 });
    const description = await session.locator('.label-description').first().innerText();
    await page.mouse.move(1300, 600, { steps: 5 });
    await page.waitForTimeout(800);
    mkdirSync(dirname(opts.ssoScreenshot), { recursive: true });
    await page.screenshot({ path: opts.ssoScreenshot });
    log(`saved ${opts.ssoScreenshot}: emulator-sso ${description}`);
    if (!/\b41 accounts\b/.test(description)) throw new Error(`the SSO session shows "${description}", not 41 accounts`);
  }
  if (opts.notificationScreenshot) {
    // A notification, as a user sees it: Check Permissions on the staging profile (denied in one region).
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill('>Flow Logs: Check Permissions');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Check Permissions' }).first().click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'acme-staging' }).first().click({ timeout: 30_000 });
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'DescribeFlowLogs' }).first();
    await toast.waitFor({ state: 'visible', timeout: 60_000 });
    await page.mouse.move(1300, 600, { steps: 5 });
    await page.waitForTimeout(500);
    mkdirSync(dirname(opts.notificationScreenshot), { recursive: true });
    await page.screenshot({ path: opts.notificationScreenshot });
    log(`saved ${opts.notificationScreenshot}: ${(await toast.innerText()).replace(/\s+/g, ' ').slice(0, 160)}`);
  }
}
