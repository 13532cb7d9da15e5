// What every UI test (test/ui/*.test.ts) does around its walk through the real workbench: AWS config
// files for the local endpoint, code-server with only those in its AWS_* environment, headless
// Chromium on the workbench URL; and the steps they share (tree rows, expanding, the Flow Logs view,
// webview frames, quick inputs, the palette, a screenshot when a test fails).
// Not a test file: the UI layer runs only out/test/ui/*.test.js (scripts/test.mjs).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import type { FlowLog } from '../../src/shared/types';
import { awsConfigFor, defaultAccounts, startEmulator, type Emulator, type EmulatorOptions, type ProfileSpec } from '../emulator/server';

/** The repository (this file runs from out/test/ui/). */
export const repoRoot = path.resolve(__dirname, '../../..');
const hostModule = pathToFileURL(path.join(repoRoot, 'scripts/lib/vscode-host.mjs')).href;

/** Where screenshots go (the README's pictures in docs/ are copied from here). */
export const artifactsDir = process.env.FLOWLOGS_TEST_ARTIFACTS ?? path.join(repoRoot, 'test-artifacts');

interface CodeServer {
  url: string;
  stop(): Promise<void>;
}

export interface Workbench {
  page: Page;
  /** The temporary folder: AWS config files and the workspace. */
  dir: string;
  workspace: string;
  /** Closes the browser and code-server and removes `dir`; the emulator stays with its owner. */
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  /** Names the temporary folder (flowlogs-ui-<name>-…). */
  name: string;
  /** The local endpoint the profiles point at. */
  emulator: { url: string };
  profiles: ProfileSpec[];
  viewport?: { width: number; height: number };
  /** Runs before the workbench is loaded, e.g. to listen for the page's dialogs. */
  onPage?: (page: Page) => void;
}

/**
 * code-server with the extension loaded from the repo (development payload), whose AWS
 * environment is only the config files written for `profiles`, and the workbench open on an empty
 * workspace in headless Chromium. What it started is stopped again if a later step fails.
 */
export async function openWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  const host = await import(hostModule);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `flowlogs-ui-${opts.name}-`));
  const workspace = path.join(dir, 'workspace');
  fs.mkdirSync(workspace);
  fs.mkdirSync(artifactsDir, { recursive: true });
  const files = awsConfigFor(opts.emulator, opts.profiles);
  fs.writeFileSync(path.join(dir, 'config'), files.config);
  fs.writeFileSync(path.join(dir, 'credentials'), files.credentials);
  // No AWS_* variable of this shell may reach the extension: only the files above.
  const env: Record<string, string | undefined> = {};
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) env[k] = undefined;
  Object.assign(env, {
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => {});
    await server?.stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    server = (await host.startCodeServer({ env })) as CodeServer;
    browser = (await host.launchChromium()) as Browser;
    const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
    opts.onPage?.(page);
    await page.goto(host.workbenchUrl(server.url, { folder: workspace, extensionDevelopmentPath: repoRoot }));
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
    return { page, dir, workspace, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export interface OneRegionOptions {
  /** Names the temporary folder. */
  name: string;
  /** The one profile, on the first default account, region us-east-1. */
  profile: string;
  /** How many flow logs the local endpoint generates per region (before `flowLogs` replaces them). */
  flowLogsPerRegion: number;
  /** The flow logs us-east-1 lists, given the account and what was generated there. */
  flowLogs: (accountId: string, generated: FlowLog[]) => FlowLog[];
  /** The local endpoint's other options (seed 3 unless given). */
  endpoint?: Omit<EmulatorOptions, 'accounts'>;
  viewport?: { width: number; height: number };
}

/**
 * The local endpoint with one account whose us-east-1 lists the flow logs a test is about, and the
 * workbench with one profile on it. The endpoint is stopped again if the workbench does not open.
 */
export async function openOneRegion(opts: OneRegionOptions): Promise<{ emulator: Emulator; wb: Workbench }> {
  const accounts = defaultAccounts(opts.flowLogsPerRegion).slice(0, 1);
  const accountId = accounts[0].accountId;
  const emulator = await startEmulator({ seed: 3, ...opts.endpoint, accounts });
  try {
    emulator.setFlowLogs(accountId, 'us-east-1', opts.flowLogs(accountId, emulator.flowLogs(accountId, 'us-east-1')));
    const profiles = [{ name: opts.profile, account: accounts[0], region: 'us-east-1' }];
    const wb = await openWorkbench({ name: opts.name, emulator, profiles, viewport: opts.viewport });
    return { emulator, wb };
  } catch (err) {
    await emulator.stop().catch(() => {});
    throw err;
  }
}

/** Registers (in the calling describe) a screenshot of the page when a test fails: ui-<name>-failed-<test>.png. */
export function screenshotOnFailure(name: string, page: () => Page | undefined): void {
  afterEach(async function () {
    const p = page();
    if (this.currentTest?.state !== 'failed' || !p) return;
    const test = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60) || 'failure';
    await p.screenshot({ path: path.join(artifactsDir, `ui-${name}-failed-${test}.png`) }).catch(() => {});
  });
}

/**
 * Registers (in the calling describe) what every UI suite does after its tests: a screenshot of each
 * failed test, and at the end the workbench closed and the local endpoint stopped (whichever started).
 */
export function suiteHooks(name: string, started: () => { wb?: Workbench; emulator?: { stop(): Promise<void> } }): void {
  screenshotOnFailure(name, () => started().wb?.page);
  after(async function () {
    this.timeout(60_000);
    const { wb, emulator } = started();
    await wb?.close();
    await emulator?.stop().catch(() => {});
  });
}

/** Opens the Flow Logs view, expands `profile` and `region`, and returns the flow log row `name` once shown. */
export async function showFlowLogRow(page: Page, profile: string, region: string, name: string): Promise<Locator> {
  await openFlowLogsView(page);
  await expand(page, profile);
  await expand(page, region);
  const row = treeRow(page, name);
  await row.waitFor({ state: 'visible', timeout: 60_000 });
  return row;
}

/** Clicks the "VPC Flow Logs" item of the activity bar. */
export async function openFlowLogsView(page: Page): Promise<void> {
  const item = page
    .locator('.activitybar .action-item [aria-label^="VPC Flow Logs"], .activitybar .action-item[aria-label^="VPC Flow Logs"]')
    .first();
  await item.waitFor({ state: 'visible', timeout: 90_000 });
  await item.click();
}

/** A tree row (`.monaco-list-row`) whose label is exactly `label`. */
export function treeRow(page: Page, label: string): Locator {
  return page
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }) })
    .first();
}

/** Expands the tree row labelled `label` and waits until the tree says it is expanded. */
export async function expand(page: Page, label: string): Promise<void> {
  const row = treeRow(page, label);
  await row.waitFor({ state: 'visible', timeout: 60_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await page.waitForFunction(
    (l) =>
      Array.from(document.querySelectorAll('.monaco-list-row')).some(
        (r) => r.querySelector('.label-name')?.textContent?.trim() === l && r.getAttribute('aria-expanded') === 'true',
      ),
    label,
    { timeout: 30_000 },
  );
}

/**
 * Right-clicks `row` and clicks the context menu's `entry` until `shows` is visible, at most 3 times
 * with `waitMs` each: the menu sometimes takes a click while it is still laying out.
 */
export async function contextMenuUntil(page: Page, row: Locator, entry: string, shows: Locator, waitMs: number): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await row.click({ button: 'right' });
    const item = page.locator('.context-view .action-label', { hasText: entry }).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    await item.hover();
    await item.click();
    if (
      await shows.waitFor({ state: 'visible', timeout: waitMs }).then(
        () => true,
        () => false,
      )
    )
      return;
    await page.keyboard.press('Escape');
  }
}

/** What finds a webview's frame: a CSS selector in it, text in its body, or a test of the frame. */
export type FrameMatch = string | { text: string } | ((frame: Frame) => Promise<boolean>);

/** The first webview frame (webviews are nested iframes) that `match` finds, polled until `timeoutMs`. */
export async function findFrame(page: Page, match: FrameMatch, timeoutMs: number): Promise<Frame> {
  const test: (frame: Frame) => Promise<boolean> =
    typeof match === 'function'
      ? match
      : typeof match === 'string'
        ? async (frame) => (await frame.locator(match).count()) > 0
        : async (frame) => (await frame.evaluate(() => document.body?.innerText ?? '')).includes(match.text);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      // A frame being replaced throws: it does not match (yet).
      if (await test(frame).catch(() => false)) return frame;
    }
    if (Date.now() > deadline) {
      const what = typeof match === 'function' ? 'matches' : typeof match === 'string' ? `has ${match}` : `contains ${match.text}`;
      const frames = page
        .frames()
        .map((f) => f.url().slice(0, 120))
        .join(' | ');
      throw new Error(`no webview frame ${what}; frames: ${frames}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The records webview: its scrolled viewport and its header. */
const isRecordsPage = (frame: Frame): Promise<boolean> =>
  frame.evaluate(() => !!document.getElementById('viewport') && !!document.getElementById('thead'));

/** Show Records, the inline action of a flow log's row: the records webview once its first row shows. */
export async function showRecords(page: Page, row: Locator): Promise<Frame> {
  await row.hover();
  await row.locator('.action-label[aria-label="Show Records"]').click();
  const frame = await findFrame(page, isRecordsPage, 60_000);
  await frame.locator('.tr').first().waitFor({ state: 'visible', timeout: 60_000 });
  return frame;
}

/** Types `text` into the open quick input, waits for a row showing it and takes the first row (Enter). */
export async function pickQuickInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(text);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first().waitFor({ state: 'visible', timeout: 30_000 });
  await input.press('Enter');
}

/** Runs `command` from the command palette (F1): types it and clicks its row once listed. */
export async function runPaletteCommand(page: Page, command: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(`>${command}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
}
