// UI walk for the records explorer in the real workbench (code-server in headless Chromium):
// the inline Show Records action on a CloudWatch Logs flow log, the records webview's virtualized
// table (scroll), sort by a column, and "Filter by this value" from a cell's menu. Leaves a
// screenshot for the README (docs/records.png is copied from it).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { FlowLog } from '../../src/shared/types';
import type { Emulator } from '../emulator/server';
import { artifactsDir, showRecords, openOneRegion, showFlowLogRow, suiteHooks, type Workbench } from './harness';

const NAME = 'prod-web-records';
const GROUP = '/aws/vpc/flowlogs/prod-web';

function recordsFlowLog(accountId: string): FlowLog {
  return {
    FlowLogId: 'fl-0records0demo00001',
    CreationTime: new Date('2024-05-01T12:00:00Z'),
    DeliverLogsStatus: 'SUCCESS',
    FlowLogStatus: 'ACTIVE',
    DeliverLogsPermissionArn: `arn:aws:iam::${accountId}:role/flow-logs-role`,
    LogGroupName: GROUP,
    ResourceId: 'vpc-0recordsdemo00001',
    TrafficType: 'ALL',
    LogDestinationType: 'cloud-watch-logs',
    LogDestination: `arn:aws:logs:us-east-1:${accountId}:log-group:${GROUP}`,
    LogFormat:
      '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction} ${tcp-flags}',
    MaxAggregationInterval: 60,
    Tags: [{ Key: 'Name', Value: NAME }],
  };
}

describe('records explorer UI (real VS Code in headless Chromium)', function () {
  this.timeout(240_000);
  let emulator: Emulator | undefined;
  let wb: Workbench | undefined;
  let page: Page;
  let frame: Frame;

  before(async function () {
    this.timeout(180_000);
    ({ emulator, wb } = await openOneRegion({
      name: 'records',
      profile: 'ui-records',
      flowLogsPerRegion: 10,
      flowLogs: (accountId, generated) => [recordsFlowLog(accountId), ...generated.slice(0, 2)],
      viewport: { width: 1500, height: 900 },
    }));
    page = wb.page;
  });

  suiteHooks('records', () => ({ wb, emulator }));

  it('Show Records (inline on the tree row) opens the records table of the last hour', async function () {
    const row = await showFlowLogRow(page, 'ui-records', 'us-east-1', NAME);
    frame = await showRecords(page, row);
    const text = await frame.evaluate(() => document.body.innerText);
    assert.ok(text.includes(GROUP), 'the log group is named');
    assert.match(await frame.locator('#sum-records').innerText(), /records\s+500/);
    assert.match(await frame.locator('#plan').innerText(), /No filter pattern/);
  });

  it('scrolls the virtualized table: only the visible rows are in the page, and Load more comes on scroll', async function () {
    const before = await frame.locator('.tr').count();
    assert.ok(before > 10 && before < 120, `rendered rows: ${before}`);
    await frame.evaluate(() => {
      const v = document.getElementById('viewport')!;
      v.scrollTop = v.scrollHeight;
    });
    // Near the end the page asks for more; the count grows past the first screenful.
    await frame.waitForFunction(
      () => /records\s+([\d,]+)/.exec(document.getElementById('sum-records')!.innerText)![1].replace(/,/g, '') !== '500',
      undefined,
      { timeout: 60_000 },
    );
    const idx = await frame.locator('.tr').last().getAttribute('aria-rowindex');
    assert.ok(Number(idx) >= 450, `the last rendered row is near the end (row ${idx})`);
    assert.ok((await frame.locator('.tr').count()) < 120, 'still only a window of rows in the DOM');
  });

  it('sorts by a column', async function () {
    await frame.evaluate(() => {
      document.getElementById('viewport')!.scrollTop = 0;
    });
    await frame.locator('.th[data-sort]', { hasText: /^dstport$/ }).click();
    await frame.locator('.th[aria-sort="ascending"]', { hasText: 'dstport' }).waitFor({ timeout: 10_000 });
    const col = await frame.evaluate(() => Array.from(document.querySelectorAll('.th')).findIndex((h) => h.textContent === 'dstport'));
    const values = await frame.evaluate(
      (c) =>
        Array.from(document.querySelectorAll('.tr'))
          .slice(0, 30)
          .map((r) => r.children[c].textContent ?? ''),
      col,
    );
    const nums = values.map((v) => (v === '-' ? -Infinity : Number(v)));
    assert.deepEqual(
      [...nums].sort((a, b) => a - b),
      nums,
      `sorted: ${values.join(',')}`,
    );
  });

  it('filters by a cell value from the cell menu, through CloudWatch', async function () {
    const col = await frame.evaluate(() => Array.from(document.querySelectorAll('.th')).findIndex((h) => h.textContent === 'action'));
    const cell = frame.locator('.tr .td.action-REJECT').first();
    await cell.waitFor({ timeout: 10_000 });
    await cell.click({ button: 'right' });
    await frame.locator('.menu-item[data-menu="filter"]').click();
    await frame.locator('#plan code.pattern', { hasText: 'action="REJECT"' }).waitFor({ timeout: 30_000 });
    await frame.waitForFunction(
      () => document.getElementById('state')!.className.includes('more') || document.getElementById('state')!.className.includes('done'),
      undefined,
      { timeout: 60_000 },
    );
    // Rows are drawn at once and filled when their window arrives from the AWS worker.
    await frame.waitForFunction(() => document.querySelector('.tr') !== null && document.querySelector('.tr.pending') === null, undefined, {
      timeout: 30_000,
    });
    const actions = await frame.evaluate((c) => Array.from(document.querySelectorAll('.tr')).map((r) => r.children[c].textContent), col);
    assert.ok(actions.length > 0 && actions.every((a) => a === 'REJECT'), `every row is REJECT: ${actions.slice(0, 10).join(',')}`);
    await frame.locator('.tr').nth(2).locator('.td').first().click();
    await frame.evaluate(() => {
      document.getElementById('viewport')!.scrollLeft = 0;
    });
    await frame.locator('#details dt', { hasText: 'protocol' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(artifactsDir, 'ui-records.png') });
  });

  it('names both ends in the details pane, fills the name columns of the rows in view, and Explains the record', async function () {
    // The selected record's ends are looked up at once; an interface end shows its resource.
    await frame.locator('#details dd.resource .resource-label').first().waitFor({ timeout: 30_000 });
    const label = await frame.locator('#details dd.resource .resource-label').first().innerText();
    assert.ok(label.length > 0, 'a resource label');
    assert.ok((await frame.locator('#details dd.resource button[data-details="open"]').count()) > 0, 'Open in Console');
    // The name columns, from the chooser: cells filled for the rows in view.
    await frame.locator('#columns-chooser summary').click();
    await frame.locator('input[data-col="source name"]').check();
    await frame.locator('input[data-col="destination name"]').check();
    await frame.locator('.th', { hasText: /^source name$/ }).waitFor({ timeout: 10_000 });
    await frame.waitForFunction(
      () => Array.from(document.querySelectorAll('.tr .td.name')).some((td) => td.textContent !== '' && td.textContent !== '…'),
      undefined,
      { timeout: 30_000 },
    );
    const names = await frame.evaluate(() => Array.from(document.querySelectorAll('.tr .td.name')).map((td) => td.textContent));
    assert.ok(
      names.some((n) => /\(i-[0-9a-f]{17}\)$|^ALB |^NAT gateway |^Lambda |^VPC endpoint |^RDS /.test(n ?? '')),
      `a resource named: ${names.slice(0, 8).join(' | ')}`,
    );
    await page.screenshot({ path: path.join(artifactsDir, 'ui-records-names.png') });
    // Filter by this resource (the destination): a dstaddr filter by every address it has.
    const dest = frame.locator('#details dd.resource[data-end="destination"] button', { hasText: 'Filter by this resource' });
    const value = (await dest.getAttribute('data-value')) ?? '';
    assert.ok(/^[0-9a-f.:,]+$/.test(value), `addresses: ${value}`);
    await dest.click();
    // The new query's plan names the filter (the page was reset), then its load ends.
    await frame.locator('#plan .plan-item', { hasText: `dstaddr ${value}` }).waitFor({ timeout: 30_000 });
    await frame.waitForFunction(
      (v) =>
        Array.from(document.querySelectorAll('.filter-row')).some(
          (r) => r.querySelector('select')!.value === 'dstaddr' && r.querySelector('input')!.value === v,
        ) && /more|done/.test(document.getElementById('state')!.className),
      value,
      { timeout: 60_000 },
    );
    const dcol = await frame.evaluate(() => Array.from(document.querySelectorAll('.th')).findIndex((h) => h.textContent === 'dstaddr'));
    await frame.locator('.tr').first().waitFor({ timeout: 30_000 });
    // Rows are drawn at once and filled when their window arrives from the AWS worker.
    await frame.waitForFunction(() => document.querySelector('.tr') !== null && document.querySelector('.tr.pending') === null, undefined, {
      timeout: 30_000,
    });
    const dsts = await frame.evaluate(
      (c) => Array.from(document.querySelectorAll('.tr')).map((r) => r.children[c].textContent ?? ''),
      dcol,
    );
    assert.ok(
      dsts.length > 0 && dsts.every((d) => value.split(',').includes(d)),
      `every row goes to the resource: ${dsts.slice(0, 5).join(',')}`,
    );
    await frame.locator('.tr').first().locator('.td').first().click();
    // Explain (the details pane's button) on the selected REJECT record.
    await frame.locator('#details button[data-details="explain"]').click();
    await frame.waitForFunction(() => /^Explain(ed)?:/.test(document.getElementById('progress')!.textContent ?? ''), undefined, {
      timeout: 60_000,
      polling: 50,
    });
    await page.screenshot({ path: path.join(artifactsDir, 'ui-records-explain.png') });
  });
});
