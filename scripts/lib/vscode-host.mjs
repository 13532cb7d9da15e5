// Starts a real VS Code offline: code-server (VS Code's server + web workbench) on loopback, and
// headless Debian Chromium (driven by playwright-core) opening its workbench.
// Used by the test runner, the UI tests, the demo and the benchmarks.
// Facts this relies on (measured on this kind of machine): code-server, a distribution of VS Code
// published on npm, runs VS Code's real Node extension host; its install needs Node 24 (see
// scripts/install-vscode-host.sh). A built web workbench runs an extension's tests only when
// started with `--vscode-option enable-smoke-test-driver`, given the development payload
// (`extensionDevelopmentPath`, `extensionTestsPath`) in the URL; the server's remote authority is
// the literal `remote` (files are vscode-remote://remote/ABSOLUTE/PATH); when the tests settle
// the workbench calls `window.codeAutomationExit(code)`, which the page must expose; extension
// host console output arrives as page console messages; webviews are iframes of the same page.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const hostDir = process.env.VSCODE_HOST_DIR ?? join(root, '.cache', 'vscode-host');
export const node24 = join(hostDir, 'node24', 'node_modules', '.bin', 'node');
export const codeServerDir = join(hostDir, 'code-server', 'node_modules', 'code-server');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function hostInstalled() {
  return existsSync(node24) && existsSync(join(codeServerDir, 'out', 'node', 'entry.js'));
}

/** VS Code's version inside code-server (from its product.json / package.json). */
export function vscodeVersion() {
  try {
    return JSON.parse(readFileSync(join(codeServerDir, 'lib', 'vscode', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

export function codeServerVersion() {
  try {
    return JSON.parse(readFileSync(join(codeServerDir, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The remote authority of code-server is the literal string "remote". */
export function remoteUri(absPath) {
  return `vscode-remote://remote${absPath}`;
}

/**
 * Starts code-server and resolves once it answers HTTP. `env` is merged into its environment and
 * reaches the extension host (that is how tests point the extension at AWS config files).
 */
export async function startCodeServer({
  env = {},
  port,
  userDataDir,
  extensionsDir,
  log = () => {},
  extraArgs = [],
  smokeTestDriver = true,
} = {}) {
  if (!hostInstalled()) throw new Error(`The offline VS Code host is not installed in ${hostDir}: run bash scripts/install-vscode-host.sh`);
  port ??= await freePort();
  userDataDir ??= mkdtempSync(join(tmpdir(), 'flowlogs-vscode-user-'));
  extensionsDir ??= mkdtempSync(join(tmpdir(), 'flowlogs-vscode-ext-'));
  const args = [
    join(codeServerDir, 'out', 'node', 'entry.js'),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    // Needed for the development payload (tests); it also suppresses notifications, so the demo,
    // which runs the installed .vsix instead, starts without it.
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...extraArgs,
  ];
  const child = spawn(node24, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  let output = '';
  const onData = (d) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
    log(d.toString());
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  // If this process ends first (a timeout, Ctrl-C), code-server and its children end with it.
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  process.once('exit', killGroup);
  child.once('exit', () => process.off('exit', killGroup));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 250))]);
    if (early) throw new Error(`code-server exited during start-up (${JSON.stringify(early)}):\n${output.slice(-4000)}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`code-server did not answer on ${url} within 60 s:\n${output.slice(-4000)}`);
    }
  }
  function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      try {
        child.kill('SIGTERM');
      } catch {
        /* gone */
      }
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 3000);
    return exited.then(() => clearTimeout(killer));
  }
  return { url, port, userDataDir, extensionsDir, child, exited, stop, output: () => output };
}

/**
 * Installs a .vsix into an extensions folder offline (code-server's --install-extension); a
 * code-server started with the same folder runs it as an installed extension, as a user has it.
 */
export function installExtension(vsix, extensionsDir) {
  if (!hostInstalled()) throw new Error(`The offline VS Code host is not installed in ${hostDir}: run bash scripts/install-vscode-host.sh`);
  const r = spawnSync(
    node24,
    [join(codeServerDir, 'out', 'node', 'entry.js'), '--extensions-dir', extensionsDir, '--install-extension', vsix],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (r.status !== 0)
    throw new Error(`installing ${vsix} failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout || '').slice(-2000)}`);
  return r.stdout;
}

/** The workbench URL for a folder, with an optional development payload (extension + tests). */
export function workbenchUrl(baseUrl, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(extensionTestsPath)]);
  let u = `${baseUrl}/?folder=${encodeURIComponent(folder)}`;
  if (payload.length) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return u;
}

/** Headless Chromium through playwright-core, with the flags this offline machine needs. */
export async function launchChromium({ headless = true } = {}) {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    headless,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Strips ANSI colour codes that the extension host adds to forwarded console output. */
export function stripAnsi(s) {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '').replace(/%c/g, '');
}
