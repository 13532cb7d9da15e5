// UI walk through the real VS Code workbench (code-server in headless Chromium), as a user would:
// open the "VPC Flow Logs" view from the activity bar, expand a profile and a region, click a flow
// log whose tags are hostile HTML, and check the detail webview shows them as text only.
// Runs in plain Node (the 'ui' layer of scripts/test.mjs); the extension is loaded from the repo
// through the development payload, and talks to the local EC2 emulator started here.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { FlowLog } from '../../src/shared/types';
import { defaultAccounts, startEmulator, type Emulator } from '../emulator/server';
import { artifactsDir, expand, findFrame, openFlowLogsView, openWorkbench, suiteHooks, treeRow, type Workbench } from './harness';

const HOSTILE_ID = 'fl-0badc0de0hostile1';
const HOSTILE_TAG = `<img src=x onerror="document.title='pwned'">`;
const HOSTILE_NAME = 'hostile <script>alert(1)</script>';

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

describe('workbench UI (real VS Code in headless Chromium)', function () {
  this.timeout(180_000);

  let emulator: Emulator | undefined;
  let wb: Workbench | undefined;
  let page: Page;
  const dialogs: string[] = [];
  let accountId: string;

  before(async function () {
    this.timeout(180_000);
    const accounts = defaultAccounts(40);
    accountId = accounts[0].accountId;
    emulator = await startEmulator({ accounts, seed: 3 });
    const region = accounts[0].regions[0];
    const regular = emulator.flowLogs(accountId, region).slice(0, 3);
    emulator.setFlowLogs(accountId, region, [hostileFlowLog(accountId), ...regular]);
    wb = await openWorkbench({
      name: 'workbench',
      emulator,
      profiles: accounts.map((account, i) => ({ name: `ui-acct${i + 1}`, account, region: account.regions[0] })),
      onPage: (p) =>
        p.on('dialog', (d) => {
          dialogs.push(`${d.type()}: ${d.message()}`);
          d.dismiss().catch(() => {});
        }),
    });
    page = wb.page;
  });

  // Leaves a screenshot of whatever the page shows when a test fails, to see why.
  suiteHooks('workbench', () => ({ wb, emulator }));

  it('opens the Flow Logs view from the activity bar and lists flow logs of a region', async function () {
    this.timeout(120_000);
    await openFlowLogsView(page);
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
    await page.screenshot({ path: path.join(artifactsDir, 'ui-tree.png') });
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
    const frame = await findFrame(page, { text: HOSTILE_ID }, 60_000);
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
    await page.screenshot({ path: path.join(artifactsDir, 'ui-detail.png') });
  });

  it('Copy ID in the webview: the extension copies, and the panel says so once it has', async function () {
    this.timeout(120_000);
    const frame = await findFrame(page, { text: HOSTILE_ID }, 60_000);
    await frame.locator('button[data-action="copy"][data-field="id"]').click();
    await frame.locator('#status-message', { hasText: /^Copied$/ }).waitFor({ state: 'visible', timeout: 30_000 });
  });

  it("the page's tag filter (media/dist/detailPage.js) hides the rows that do not match, and Escape clears it", async function () {
    this.timeout(120_000);
    const frame = await findFrame(page, { text: HOSTILE_ID }, 60_000);
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
