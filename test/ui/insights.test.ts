// UI walk for Logs Insights in the real workbench (code-server in headless Chromium): right-click
// a CloudWatch Logs flow log, Analyze with Logs Insights…, pick Top talkers and a range; the
// analysis panel draws its table and Chart.js chart under the strict CSP. Saves docs/insights.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { FlowLog } from '../../src/shared/types';
import type { Emulator } from '../emulator/server';
import {
  contextMenuUntil,
  findFrame,
  openOneRegion,
  pickQuickInput,
  repoRoot,
  showFlowLogRow,
  suiteHooks,
  type Workbench,
} from './harness';

const NAME = 'prod-vpc flow log';

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

describe('Logs Insights analysis panel (real VS Code in headless Chromium)', function () {
  this.timeout(240_000);
  let emulator: Emulator | undefined;
  let wb: Workbench | undefined;
  let page: Page;

  before(async function () {
    ({ emulator, wb } = await openOneRegion({
      name: 'insights',
      profile: 'prod',
      flowLogsPerRegion: 5,
      flowLogs: (accountId) => [demoFlowLog(accountId)],
    }));
    emulator.logs.insights.runningMs = 1500;
    page = wb.page;
  });

  suiteHooks('insights', () => ({ wb, emulator }));

  it('Analyze… from the context menu draws the top talkers as a table and a bar chart', async function () {
    const row = await showFlowLogRow(page, 'prod', 'us-east-1', NAME);
    const firstPicker = page.locator('.quick-input-widget input').first();
    await contextMenuUntil(page, row, 'Analyze with Logs Insights', firstPicker, 5_000);
    await pickQuickInput(page, 'Top talkers');
    await pickQuickInput(page, 'Last 3 hours');
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
