// UI walk through the real VS Code workbench (code-server in headless Chromium), as a user would:
// open the "VPC Flow Logs" view from the activity bar, expand a profile and a region, click a flow
// log whose tags are hostile HTML, and check the detail webview shows them as text only.
// Runs in plain Node (the 'ui' layer of scripts/test.mjs); the extension is loaded from the repo
// through the development payload, and talks to the local EC2 emulator started here.
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

const HOSTILE_ID = 'fl-0badc0de0hostile1';
const HOSTILE_TAG = `<img src=x onerror="document.title='pwned'">`;
const HOSTILE_NAME = 'hostile <script>alert(1)</script>';

interface CodeServer {
  url: string;
  stop(): Promise<void>;
  output(): string;
}

function hostileFlowLog(accountId: string): FlowLog {
  return {
    FlowLogId: HOSTILE_ID,
    CreationTime: new Date('2024-05-01T12:00:00Z'),
    DeliverLogsStatus: 'SUCCESS',
    DeliverLogsPermissionArn: `arn:aws:iam::${accountId}:role/flow-logs-role`,
    FlowLogStatus: 'ACTIVE',
    LogGroupName: '/vpc/hostile',
    ResourceId: 'vpc-0hostile00000001',
    TrafficType: 'ALL',
    LogDestinationType: 'cloud-watch-logs',
    LogDestination: `arn:aws:logs:us-east-1:${accountId}:log-group:/vpc/hostile`,
    LogFormat: '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr}',
    MaxAggregationInterval: 600,
    Tags: [
      { Key: 'Name', Value: HOSTILE_NAME },
      { Key: 'evil', Value: HOSTILE_TAG },
    ],
  };
}

/** A tree row (`.monaco-list-row`) whose label is exactly `label`. */
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
  await page.waitForFunction(
    (l) =>
      Array.from(document.querySelectorAll('.monaco-list-row')).some(
        (r) => r.querySelector('.label-name')?.textContent?.trim() === l && r.getAttribute('aria-expanded') === 'true',
      ),
    label,
    { timeout: 30_000 },
  );
}

/** The webview frame whose document text contains `needle` (webviews are nested iframes). */
async function findWebviewFrame(page: Page, needle: string, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
      if (text.includes(needle)) return frame;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no webview frame contains ${needle}; frames: ${page
          .frames()
          .map((f) => f.url().slice(0, 120))
          .join(' | ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('workbench UI (real VS Code in headless Chromium)', function () {
  this.timeout(180_000);

  const artifacts = process.env.FLOWLOGS_TEST_ARTIFACTS ?? path.join(repoRoot, 'test-artifacts');
  let emulator: Emulator | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dir: string;
  const dialogs: string[] = [];
  let accountId: string;

  before(async function () {
    this.timeout(180_000);
    const host = await import(hostModule);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlogs-ui-'));
    const workspace = path.join(dir, 'workspace');
    fs.mkdirSync(workspace);
    fs.mkdirSync(artifacts, { recursive: true });

    const accounts = defaultAccounts(40);
    accountId = accounts[0].accountId;
    emulator = await startEmulator({ accounts, seed: 3 });
    const region = accounts[0].regions[0];
    const regular = emulator.flowLogs(accountId, region).slice(0, 3);
    emulator.setFlowLogs(accountId, region, [hostileFlowLog(accountId), ...regular]);

    const files = awsConfigFor(
      emulator,
      accounts.map((account, i) => ({ name: `ui-acct${i + 1}`, account, region: account.regions[0] })),
    );
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
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
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

  // Leaves a screenshot of whatever the page shows when a test fails, to see why.
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60) || 'failure';
      await page.screenshot({ path: path.join(artifacts, `ui-failed-${name}.png`) }).catch(() => {});
    }
  });

  it('opens the Flow Logs view from the activity bar and lists flow logs of a region', async function () {
    this.timeout(120_000);
    const item = page
      .locator('.activitybar .action-item [aria-label^="VPC Flow Logs"], .activitybar .action-item[aria-label^="VPC Flow Logs"]')
      .first();
    await item.waitFor({ state: 'visible', timeout: 90_000 });
    await item.click();
    // The view's profiles come from the AWS config files given to code-server.
    await treeRow(page, 'ui-acct1').waitFor({ state: 'visible', timeout: 60_000 });
    await treeRow(page, 'ui-acct2').waitFor({ state: 'visible', timeout: 30_000 });
    await expand(page, 'ui-acct1');
    await expand(page, 'us-east-1');
    const hostileRow = treeRow(page, HOSTILE_NAME);
    await hostileRow.waitFor({ state: 'visible', timeout: 60_000 });
    // Every flow log of the region is listed: the hostile one and the three regular ones.
    const flowLogRows = page.locator('.monaco-list-row[aria-label^="Flow log "]');
    await page.waitForFunction(() => document.querySelectorAll('.monaco-list-row[aria-label^="Flow log "]').length >= 4, undefined, {
      timeout: 30_000,
    });
    assert.equal(await flowLogRows.count(), 4, 'four flow log rows under ui-acct1 / us-east-1');
    // The hostile Name is drawn as a label, not as markup.
    assert.equal(await hostileRow.locator('.label-name').innerText(), HOSTILE_NAME);
    assert.equal(await page.locator('.monaco-workbench script, .monaco-list-row img[src="x"]').count(), 0);
    await page.screenshot({ path: path.join(artifacts, 'ui-tree.png') });
  });

  it('shows a flow log with hostile tags in the detail webview as text, running none of it', async function () {
    this.timeout(120_000);
    // The region row's hover (its tooltip) can cover the row below it: move the pointer away first.
    await page.mouse.move(1, 1);
    await page
      .locator('.context-view .hover-contents')
      .waitFor({ state: 'hidden', timeout: 5_000 })
      .catch(() => undefined);
    await treeRow(page, HOSTILE_NAME).click();
    const frame = await findWebviewFrame(page, HOSTILE_ID, 60_000);
    // The detail's own script has run (tag table rendered) before we read it.
    await frame.locator('table.tags').waitFor({ state: 'attached', timeout: 30_000 });
    const text = await frame.evaluate(() => document.body.innerText);
    assert.ok(text.includes(HOSTILE_ID), 'flow log ID shown');
    assert.ok(text.includes('<img src=x onerror='), `hostile tag shown as text; got:\n${text.slice(0, 2000)}`);
    assert.ok(text.includes(HOSTILE_TAG), 'the whole hostile tag value is shown literally');
    assert.ok(text.includes(HOSTILE_NAME), 'the hostile Name is shown literally');
    const tagCell = await frame.locator('tr.tag', { hasText: 'evil' }).locator('td').first().textContent();
    assert.equal(tagCell, HOSTILE_TAG, 'the tag cell holds exactly the value, as text');
    // No element was created from the values.
    const dom = await frame.evaluate(() => ({
      img: document.querySelectorAll('img').length,
      scripts: Array.from(document.querySelectorAll('script'))
        .map((s) => s.textContent ?? '')
        .filter((t) => t.includes('alert(1)')).length,
      title: document.title,
    }));
    assert.equal(dom.img, 0, 'no <img> element in the webview');
    // The panel's own stylesheet passed its Content-Security-Policy (a blocked <link> has no sheet).
    const sheets = await frame.evaluate(() => Array.from(document.styleSheets).map((s) => s.href ?? ''));
    assert.ok(
      sheets.some((h) => h.endsWith('/media/detail.css')),
      `detail.css applied; sheets: ${sheets.join(', ')}`,
    );
    assert.equal(dom.scripts, 0, 'no script element carrying the hostile value');
    assert.notEqual(dom.title, 'pwned');
    // The outer webview frame and the workbench are untouched too.
    for (const f of page.frames()) {
      const t = await f
        .evaluate(() => ({ title: document.title, img: document.querySelectorAll('img[src="x"]').length }))
        .catch(() => undefined);
      if (!t) continue;
      assert.notEqual(t.title, 'pwned', `frame ${f.url().slice(0, 80)} title`);
      assert.equal(t.img, 0, `frame ${f.url().slice(0, 80)} has no <img src=x>`);
    }
    assert.notEqual(await page.title(), 'pwned');
    // Give a hypothetical onerror handler its chance (an <img src=x> errors at once) before checking dialogs.
    await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 200))));
    assert.deepEqual(dialogs, [], 'no alert/confirm/prompt dialog fired');
    await frame.locator('table.tags').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'ui-detail.png') });
  });

  it('Copy ID in the webview: the extension copies, and the panel says so once it has', async function () {
    this.timeout(120_000);
    const frame = await findWebviewFrame(page, HOSTILE_ID, 60_000);
    await frame.locator('button[data-action="copy"][data-field="id"]').click();
    await frame.locator('#status-message', { hasText: /^Copied$/ }).waitFor({ state: 'visible', timeout: 30_000 });
  });

  it("the page's tag filter (media/dist/detailPage.js) hides the rows that do not match, and Escape clears it", async function () {
    this.timeout(120_000);
    const frame = await findWebviewFrame(page, HOSTILE_ID, 60_000);
    const total = await frame.locator('tr.tag').count();
    await frame.locator('#tag-filter').fill('EVIL');
    await frame.locator('#tag-count', { hasText: `1 of ${total} tags` }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await frame.locator('tr.tag:not([hidden])').count(), 1);
    await frame.locator('#tag-filter').fill('no tag has this');
    await frame.locator('#tags-no-match:not([hidden])').waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('#tag-filter').press('Escape');
    await frame.locator('#tag-count', { hasText: `${total} of ${total} tags` }).waitFor({ state: 'visible', timeout: 30_000 });
  });
});
