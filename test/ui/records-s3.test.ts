// UI walk for records of an S3 flow log (Parquet, Hive-compatible per-hour folders) in the real
// workbench (code-server in headless Chromium): the inline Show Records action, rows read from the
// local S3 through hyparquet in the AWS worker, the objects/bytes progress, "Filter by this value"
// from a cell menu (checked in the worker: S3 has no server-side filter). Leaves a screenshot
// (docs/records-s3.png is copied from it).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Frame, Page } from 'playwright-core';
import type { FlowLog } from '../../src/shared/types';
import { awsConfigFor, defaultAccounts, startEmulator, type Emulator } from '../emulator/server';

const repoRoot = path.resolve(__dirname, '../../..');
const hostModule = pathToFileURL(path.join(repoRoot, 'scripts/lib/vscode-host.mjs')).href;
const NAME = 'prod-edge-s3-parquet';
const BUCKET = 'flow-logs-central-archive';

function s3FlowLog(): FlowLog {
  return {
    FlowLogId: 'fl-0a3b5c7d9e1f20468',
    CreationTime: new Date('2024-05-01T12:00:00Z'),
    DeliverLogsStatus: 'SUCCESS',
    FlowLogStatus: 'ACTIVE',
    ResourceId: 'vpc-0s3parquetdemo001',
    TrafficType: 'ALL',
    LogDestinationType: 's3',
    LogDestination: `arn:aws:s3:::${BUCKET}/edge/`,
    LogFormat:
      '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction} ${tcp-flags}',
    MaxAggregationInterval: 60,
    Tags: [{ Key: 'Name', Value: NAME }],
    DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true },
  };
}

function treeRow(page: Page, label: string) {
  return page
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }) })
    .first();
}

async function expand(page: Page, label: string): Promise<void> {
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

async function recordsFrame(page: Page, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const ok = await frame.evaluate(() => !!document.getElementById('viewport') && !!document.getElementById('thead')).catch(() => false);
      if (ok) return frame;
    }
    if (Date.now() > deadline) throw new Error('no records webview frame');
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('records explorer UI (S3 Parquet, real VS Code in headless Chromium)', function () {
  this.timeout(240_000);
  const artifacts = process.env.FLOWLOGS_TEST_ARTIFACTS ?? path.join(repoRoot, 'test-artifacts');
  let emulator: Emulator | undefined;
  let server: { url: string; stop(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dir: string;
  let frame: Frame;

  before(async function () {
    this.timeout(180_000);
    const host = await import(hostModule);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlogs-ui-s3-'));
    const workspace = path.join(dir, 'workspace');
    fs.mkdirSync(workspace);
    fs.mkdirSync(artifacts, { recursive: true });
    const accounts = defaultAccounts(10).slice(0, 1);
    const accountId = accounts[0].accountId;
    emulator = await startEmulator({
      accounts,
      seed: 3,
      athena: { workGroups: { primary: { outputLocation: 's3://athena-results/ui/' } } },
    });
    emulator.setFlowLogs(accountId, 'us-east-1', [s3FlowLog(), ...emulator.flowLogs(accountId, 'us-east-1').slice(0, 2)]);
    const files = awsConfigFor(emulator, [{ name: 'ui-s3', account: accounts[0], region: 'us-east-1' }]);
    fs.writeFileSync(path.join(dir, 'config'), files.config);
    fs.writeFileSync(path.join(dir, 'credentials'), files.credentials);
    const env: Record<string, string | undefined> = {};
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) env[k] = undefined;
    Object.assign(env, {
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    server = await host.startCodeServer({ env });
    browser = (await host.launchChromium()) as Browser;
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    await page.goto(host.workbenchUrl(server!.url, { folder: workspace, extensionDevelopmentPath: repoRoot }));
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
  });

  after(async function () {
    this.timeout(60_000);
    await browser?.close().catch(() => {});
    await server?.stop().catch(() => {});
    await emulator?.stop().catch(() => {});
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page)
      await page
        .screenshot({
          path: path.join(artifacts, `ui-records-s3-failed-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}.png`),
        })
        .catch(() => {});
  });

  it('Show Records (inline) on an S3 Parquet flow log shows the last hour read from its objects', async function () {
    const item = page
      .locator('.activitybar .action-item [aria-label^="VPC Flow Logs"], .activitybar .action-item[aria-label^="VPC Flow Logs"]')
      .first();
    await item.waitFor({ state: 'visible', timeout: 90_000 });
    await item.click();
    await expand(page, 'ui-s3');
    await expand(page, 'us-east-1');
    const row = treeRow(page, NAME);
    await row.waitFor({ state: 'visible', timeout: 60_000 });
    await row.hover();
    await row.locator('.action-label[aria-label="Show Records"]').click();
    frame = await recordsFrame(page, 60_000);
    await frame.locator('.tr').first().waitFor({ state: 'visible', timeout: 60_000 });
    await frame.waitForFunction(() => /objects/.test(document.getElementById('progress')!.textContent ?? ''), undefined, {
      timeout: 60_000,
    });
    // Real sizes in their unit (issue 24.6): B, KB, MB or GB.
    assert.match(
      await frame.locator('#progress').innerText(),
      /\d+ of \d+\+? objects \([\d.]+ (B|KB|MB|GB) of [\d.]+ (B|KB|MB|GB)(, [\d.]+ (B|KB|MB|GB) decompressed)?\)/,
    );
    assert.ok((await frame.evaluate(() => document.body.innerText)).includes(BUCKET), 'the bucket is named');
  });

  it('filters by a cell value from the cell menu; the filter runs where the records are read', async function () {
    const col = await frame.evaluate(() => Array.from(document.querySelectorAll('.th')).findIndex((h) => h.textContent === 'action'));
    const cell = frame.locator('.tr .td.action-REJECT').first();
    await cell.waitFor({ timeout: 30_000 });
    await cell.click({ button: 'right' });
    await frame.locator('.menu-item[data-menu="filter"]').click();
    await frame.waitForFunction(() => /REJECT/.test(document.getElementById('plan')!.textContent ?? ''), undefined, { timeout: 30_000 });
    // The state can still read 'more' from the unfiltered load for a moment: wait for the filtered
    // load to have finished and put its rows in the table (then check every row).
    const rowsOf = (c: number) => Array.from(document.querySelectorAll('.tr')).map((r) => r.children[c]?.textContent ?? '');
    await frame
      .waitForFunction(
        (c) => {
          const state = document.getElementById('state')!.className;
          const rows = Array.from(document.querySelectorAll('.tr')).map((r) => r.children[c]?.textContent ?? '');
          return (state.includes('more') || state.includes('done')) && rows.length > 0 && rows.every((a) => a === 'REJECT');
        },
        col,
        { timeout: 60_000 },
      )
      .catch(() => undefined);
    const actions = await frame.evaluate(rowsOf, col);
    assert.ok(actions.length > 0 && actions.every((a) => a === 'REJECT'), `every row is REJECT: ${actions.slice(0, 10).join(',')}`);
    await frame.locator('.tr').nth(1).click();
    await frame.locator('#details dt', { hasText: 'protocol' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(artifacts, 'ui-records-s3.png') });
  });

  it('Read through Athena from the path bar: the table on confirmation, the same records, the path named with its query id', async function () {
    // The filtered load of the test before, read from the objects: its state line names the count.
    await frame.waitForFunction(() => document.getElementById('state')!.className.includes('done'), undefined, { timeout: 60_000 });
    const fromObjects = await frame.locator('#state').innerText();
    assert.match(fromObjects, /All [\d,]+ matching records/);
    assert.match(await frame.locator('#read-path').innerText(), /Read from the S3 objects/);
    await frame.locator('#read-path button', { hasText: 'Read through Athena' }).click();
    // Creating the table asks first, as Analyze with Athena… does.
    const create = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Create Table' }).first();
    await create.waitFor({ state: 'visible', timeout: 60_000 });
    await create.click();
    await frame.locator('#read-path', { hasText: /^Read through Athena: [\d,]+ records/ }).waitFor({ state: 'visible', timeout: 90_000 });
    await frame.waitForFunction(() => document.getElementById('state')!.className.includes('done'), undefined, { timeout: 60_000 });
    const pathText = await frame.locator('#read-path').innerText();
    assert.match(pathText, /MB scanned, query id [0-9a-f-]+/);
    assert.ok(await frame.locator('#read-path button', { hasText: 'Open query' }).isVisible());
    assert.equal(await frame.locator('#state').innerText(), fromObjects, 'as many records through Athena as from the objects');
    await frame.locator('.tr').first().waitFor({ state: 'visible', timeout: 30_000 });
  });
});
