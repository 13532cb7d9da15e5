// UI walk for Logs Insights in the real workbench (code-server in headless Chromium): right-click
// a CloudWatch Logs flow log, Analyze with Logs Insights…, pick Top talkers and a range; the
// analysis panel draws its table and Chart.js chart under the strict CSP. Saves docs/insights.png.
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
const NAME = 'prod-vpc flow log';

interface CodeServer {
  url: string;
  stop(): Promise<void>;
}

function demoFlowLog(accountId: string): FlowLog {
  return {
    FlowLogId: 'fl-0insights0demo0001',
    CreationTime: new Date('2025-05-01T12:00:00Z'),
    DeliverLogsStatus: 'SUCCESS',
    FlowLogStatus: 'ACTIVE',
    LogGroupName: '/aws/vpc/flowlogs/prod',
    ResourceId: 'vpc-0insights00000001',
    TrafficType: 'ALL',
    LogDestinationType: 'cloud-watch-logs',
    LogDestination: `arn:aws:logs:us-east-1:${accountId}:log-group:/aws/vpc/flowlogs/prod`,
    LogFormat:
      '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}',
    MaxAggregationInterval: 60,
    Tags: [{ Key: 'Name', Value: NAME }],
  };
}

function treeRow(page: Page, label: string) {
  return page
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
    .first();
}

async function expand(page: Page, label: string): Promise<void> {
  const row = treeRow(page, label);
  await row.waitFor({ state: 'visible', timeout: 60_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
}

async function findFrame(page: Page, selector: string, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (
        await frame
          .locator(selector)
          .count()
          .catch(() => 0)
      )
        return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview frame has ${selector}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function pick(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(text);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first().waitFor({ state: 'visible', timeout: 30_000 });
  await input.press('Enter');
}

describe('Logs Insights analysis panel (real VS Code in headless Chromium)', function () {
  this.timeout(240_000);
  const artifacts = process.env.FLOWLOGS_TEST_ARTIFACTS ?? path.join(repoRoot, 'test-artifacts');
  let emulator: Emulator | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dir: string;

  before(async function () {
    const host = await import(hostModule);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlogs-ui-insights-'));
    const workspace = path.join(dir, 'workspace');
    fs.mkdirSync(workspace);
    fs.mkdirSync(artifacts, { recursive: true });
    const accounts = defaultAccounts(5).slice(0, 1);
    emulator = await startEmulator({ accounts, seed: 3 });
    emulator.setFlowLogs(accounts[0].accountId, 'us-east-1', [demoFlowLog(accounts[0].accountId)]);
    emulator.logs.insights.runningMs = 1500;
    const files = awsConfigFor(emulator, [{ name: 'prod', account: accounts[0], region: 'us-east-1' }]);
    fs.writeFileSync(path.join(dir, 'config'), files.config);
    fs.writeFileSync(path.join(dir, 'credentials'), files.credentials);
    const env: Record<string, string | undefined> = {};
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) env[k] = undefined;
    Object.assign(env, {
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    server = (await host.startCodeServer({ env })) as CodeServer;
    browser = (await host.launchChromium()) as Browser;
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(host.workbenchUrl(server.url, { folder: workspace, extensionDevelopmentPath: repoRoot }));
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
      await page.screenshot({ path: path.join(artifacts, 'ui-failed-insights.png') }).catch(() => {});
  });

  it('Analyze… from the context menu draws the top talkers as a table and a bar chart', async function () {
    const item = page
      .locator('.activitybar .action-item [aria-label^="VPC Flow Logs"], .activitybar .action-item[aria-label^="VPC Flow Logs"]')
      .first();
    await item.waitFor({ state: 'visible', timeout: 90_000 });
    await item.click();
    await expand(page, 'prod');
    await expand(page, 'us-east-1');
    const row = treeRow(page, NAME);
    await row.waitFor({ state: 'visible', timeout: 60_000 });
    // The context menu sometimes takes a click while it is still laying out: open it again until
    // the first picker shows (at most 3 times).
    const picker = page.locator('.quick-input-widget input').first();
    for (let attempt = 0; attempt < 3; attempt++) {
      await row.click({ button: 'right' });
      const entry = page.locator('.context-view .action-label', { hasText: 'Analyze with Logs Insights' }).first();
      await entry.waitFor({ state: 'visible', timeout: 30_000 });
      await entry.hover();
      await entry.click();
      if (
        await picker.waitFor({ state: 'visible', timeout: 5_000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      await page.keyboard.press('Escape');
    }
    await pick(page, 'Top talkers');
    await pick(page, 'Last 3 hours');
    // The optional field filters: none.
    const filterInput = page.locator('.quick-input-widget input').first();
    await page.locator('.quick-input-widget', { hasText: 'Field filters' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await filterInput.press('Enter');

    const frame = await findFrame(page, 'body[data-phase]', 60_000);
    // While Insights runs, the panel says so with its statistics.
    await frame
      .locator('#status.running')
      .waitFor({ state: 'attached', timeout: 30_000 })
      .catch(() => undefined);
    await frame.locator('body[data-outcome="complete"]').waitFor({ state: 'attached', timeout: 60_000 });
    const info = await frame.evaluate(() => {
      const canvas = document.getElementById('chart') as HTMLCanvasElement;
      const ctx = canvas.getContext('2d')!;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
      return {
        rows: document.querySelectorAll('#results tbody tr').length,
        headers: Array.from(document.querySelectorAll('#results th:not(.actions)')).map((th) => th.textContent),
        status: document.getElementById('status')!.textContent,
        painted,
        scripts: Array.from(document.scripts).map((s) => s.src),
        sheets: Array.from(document.styleSheets).map((s) => s.href ?? ''),
      };
    });
    // The page's one script (VS Code adds its own, inline), the bundled page with Chart.js in it,
    // ran under the CSP: the chart drew.
    const pageScripts = info.scripts.filter((src) => src.includes('/media/'));
    assert.equal(pageScripts.length, 1, info.scripts.join(', '));
    assert.ok(pageScripts[0].endsWith('/media/dist/insightsPage.js'), pageScripts[0]);
    assert.ok(info.painted > 1000, `the chart drew something (${info.painted} painted pixels)`);
    assert.ok(info.rows > 0, 'the table has rows');
    assert.deepEqual(info.headers, ['Source', 'Destination', 'Bytes', 'Packets', 'Records']);
    assert.match(info.status ?? '', /rows? · [\d,]+ records scanned/);
    assert.ok(info.sheets.some((h) => h.endsWith('/media/insights.css')));

    // Sorting by a header reorders the rows.
    await frame.locator('#results th button', { hasText: 'Packets' }).click();
    const packets = await frame.evaluate(() =>
      Array.from(document.querySelectorAll('#results tbody tr')).map((tr) =>
        Number((tr.children[3] as HTMLElement).innerText.replace(/,/g, '')),
      ),
    );
    assert.deepEqual(
      packets,
      [...packets].sort((a, b) => b - a),
    );
    await frame.locator('#results th button', { hasText: 'Bytes' }).click();

    fs.mkdirSync(path.join(repoRoot, 'docs'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, 'docs', 'insights.png') });
  });
});
