// UI walk for Athena in the real workbench (code-server in headless Chromium): right-click an S3
// flow log, Analyze with Athena…, confirm the table in the modal, pick Top talkers and a range; the
// Athena page (src/webviews/athena/, media/dist/athenaPage.js with Chart.js bundled in) draws
// Athena's statistics, its table and its chart under the strict CSP.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { FlowLog } from '../../src/shared/types';
import type { Emulator } from '../emulator/server';
import { hashString } from '../emulator/prng';
import { WINDOW_MS } from '../emulator/s3/records';
import {
  artifactsDir,
  contextMenuUntil,
  findFrame,
  openOneRegion,
  pickQuickInput,
  showFlowLogRow,
  suiteHooks,
  type Workbench,
} from './harness';

const NAME = 'prod-vpc flow log';

/**
 * A per-hour Parquet flow log whose last 30 hours hold no corrupt object (the local endpoint makes
 * one in every 1000 windows of a flow log, chosen by its ID's hash; Athena fails a query over one).
 */
function demoFlowLog(): FlowLog {
  const now = Math.floor(Date.now() / WINDOW_MS);
  let id = '';
  for (let n = 0; ; n++) {
    id = `fl-0a7e0${n.toString(16).padStart(12, '0')}`;
    const h = hashString(id);
    let clean = true;
    for (let w = now - 30 * 12; w <= now + 24; w++) if ((h + w) % 1000 === 3) clean = false;
    if (clean) break;
  }
  return {
    FlowLogId: id,
    CreationTime: new Date('2025-05-01T12:00:00Z'),
    DeliverLogsStatus: 'SUCCESS',
    FlowLogStatus: 'ACTIVE',
    ResourceId: 'vpc-0a7e0000000000001',
    TrafficType: 'ALL',
    LogDestinationType: 's3',
    LogDestination: 'arn:aws:s3:::central-flow-logs/prod/',
    DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: false, PerHourPartition: true },
    MaxAggregationInterval: 600,
    Tags: [{ Key: 'Name', Value: NAME }],
  };
}

describe('Athena answer page (real VS Code in headless Chromium)', function () {
  this.timeout(240_000);
  let emulator: Emulator | undefined;
  let wb: Workbench | undefined;
  let page: Page;

  before(async function () {
    ({ emulator, wb } = await openOneRegion({
      name: 'athena',
      profile: 'prod',
      flowLogsPerRegion: 5,
      flowLogs: () => [demoFlowLog()],
      endpoint: {
        s3: { largeObjectRecords: 500 },
        athena: { workGroups: { primary: { outputLocation: 's3://athena-results/ui/' } }, queryDelayMs: 1500 },
      },
    }));
    page = wb.page;
  });

  suiteHooks('athena', () => ({ wb, emulator }));

  it('Analyze with Athena… creates the table on confirmation and draws the statistics, the chart and the table', async function () {
    const row = await showFlowLogRow(page, 'prod', 'us-east-1', NAME);
    const create = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Create Table' }).first();
    await contextMenuUntil(page, row, 'Analyze with Athena', create, 10_000);
    if (!(await create.isVisible())) {
      const toasts = await page.locator('.notification-list-item-message').allInnerTexts();
      const dialogs = await page.locator('.monaco-dialog-box, .dialog-modal-block').allInnerTexts();
      assert.fail(
        `no Create Table dialog; notifications: ${toasts.join(' | ')}; dialogs: ${dialogs.join(' | ')}; requests: ${emulator!.requests.map((r) => r.action).join(',')}`,
      );
    }
    // The modal shows the DDL and where the table goes before anything is created.
    const dialog = (await page.locator('.monaco-dialog-box').first().innerText()).replace(/\s+/g, ' ');
    assert.match(dialog, /CREATE EXTERNAL TABLE/);
    assert.match(dialog, /Workgroup: primary/);
    assert.equal(emulator!.requests.filter((r) => r.action === 'StartQueryExecution').length, 0);
    await create.click();
    await pickQuickInput(page, 'Top talkers');
    await pickQuickInput(page, 'Last 24 hours');

    const frame = await findFrame(page, 'body[data-phase]', 60_000);
    // While Athena runs, the statistics show its state.
    await frame.locator('body[data-phase="running"] dd[data-stat="State"]').waitFor({ state: 'attached', timeout: 30_000 });
    await frame.locator('body[data-phase="done"]').waitFor({ state: 'attached', timeout: 90_000 });
    const info = await frame.evaluate(() => {
      const canvas = document.getElementById('chart') as HTMLCanvasElement;
      const ctx = canvas.getContext('2d')!;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
      const stats: Record<string, string> = {};
      document.querySelectorAll('dd[data-stat]').forEach((dd) => (stats[(dd as HTMLElement).dataset.stat!] = dd.textContent ?? ''));
      return {
        rows: document.querySelectorAll('#results tbody tr').length,
        headers: Array.from(document.querySelectorAll('#results th')).map((th) => th.textContent),
        stats,
        painted,
        chartHidden: document.getElementById('chartBox')!.hidden,
        scripts: Array.from(document.scripts)
          .map((s) => s.src)
          .filter((src) => src !== ''),
      };
    });
    assert.equal(info.chartHidden, false);
    assert.ok(info.painted > 1000, `the chart drew something (${info.painted} painted pixels)`);
    assert.ok(info.rows > 0, 'the table has rows');
    assert.deepEqual(info.headers, ['Source', 'Destination', 'Bytes', 'Packets', 'Records']);
    assert.equal(info.stats.State, 'SUCCEEDED');
    assert.match(info.stats['Data scanned'], /^[\d.]+ (KB|MB)$/);
    assert.match(info.stats['Engine time'], /^\d+\.\d+ s$/);
    assert.match(info.stats['Cost estimate'], /^\$[\d.e-]+ \(\$5 per TB scanned/);
    assert.deepEqual(
      info.scripts.map((s) => s.replace(/.*\/media\//, 'media/')),
      ['media/dist/athenaPage.js'],
    );
    // A click on a header sorts the table by it: numbers as numbers, ascending then descending (aria-sort says so).
    const bytesOf = () =>
      frame.evaluate(() => ({
        sort: document.querySelectorAll('#results th')[2]?.getAttribute('aria-sort'),
        values: Array.from(document.querySelectorAll('#results tbody tr')).map((tr) =>
          Number((tr.children[2]?.textContent ?? '').replace(/,/g, '')),
        ),
      }));
    await frame.locator('#results th button', { hasText: 'Bytes' }).click();
    const up = await bytesOf();
    assert.equal(up.sort, 'ascending');
    assert.deepEqual(
      up.values,
      [...up.values].sort((a, b) => a - b),
      'ascending by bytes',
    );
    await frame.locator('#results th button', { hasText: 'Bytes' }).click();
    const down = await bytesOf();
    assert.equal(down.sort, 'descending');
    assert.deepEqual(
      down.values,
      [...down.values].sort((a, b) => b - a),
      'descending by bytes',
    );
    assert.ok(up.values.length > 1 && up.values[0] !== down.values[0], 'the order changed');
    await page.screenshot({ path: path.join(artifactsDir, 'ui-athena.png') });
  });
});
