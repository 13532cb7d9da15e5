// UI walk for records of an S3 flow log (Parquet, Hive-compatible per-hour folders) in the real
// workbench (code-server in headless Chromium): the inline Show Records action, rows read from the
// local S3 through hyparquet in the AWS worker, the objects/bytes progress, "Filter by this value"
// from a cell menu (checked in the worker: S3 has no server-side filter). Leaves a screenshot
// (docs/records-s3.png is copied from it).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { FlowLog } from '../../src/shared/types';
import type { Emulator } from '../emulator/server';
import { artifactsDir, showRecords, openOneRegion, showFlowLogRow, suiteHooks, type Workbench } from './harness';

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

describe('records explorer UI (S3 Parquet, real VS Code in headless Chromium)', function () {
  this.timeout(240_000);
  let emulator: Emulator | undefined;
  let wb: Workbench | undefined;
  let page: Page;
  let frame: Frame;

  before(async function () {
    this.timeout(180_000);
    ({ emulator, wb } = await openOneRegion({
      name: 's3',
      profile: 'ui-s3',
      flowLogsPerRegion: 10,
      endpoint: { athena: { workGroups: { primary: { outputLocation: 's3://athena-results/ui/' } } } },
      flowLogs: (_, generated) => [s3FlowLog(), ...generated.slice(0, 2)],
      viewport: { width: 1500, height: 900 },
    }));
    page = wb.page;
  });

  suiteHooks('records-s3', () => ({ wb, emulator }));

  it('Show Records (inline) on an S3 Parquet flow log shows the last hour read from its objects', async function () {
    const row = await showFlowLogRow(page, 'ui-s3', 'us-east-1', NAME);
    frame = await showRecords(page, row);
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
    await page.screenshot({ path: path.join(artifactsDir, 'ui-records-s3.png') });
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
