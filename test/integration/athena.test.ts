// Analyze with Athena… inside the real VS Code: an S3 flow log node of the tree, the table created
// through the AWS workers on the local endpoint (DuckDB over its own S3 objects), the analysis's
// answer against the records the endpoint serves, the table reused the second time, Cancel sending
// StopQueryExecution, and the missing output location as an error.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AthenaRun } from '../../src/athenaView/athenaPanel';
import { partitionRange } from '../../src/athena/table';
import { fixture, isFlowLog, loadToEnd, regionNode, setting, type Fixture, type FlowLogNode } from './helpers';

const HOUR = 3_600_000;

describe('Analyze with Athena', function () {
  this.timeout(180000);
  let fx: Fixture;
  let node: FlowLogNode;

  before(async () => {
    await setting('athena.outputLocation', 's3://athena-results/out/');
    fx = await fixture({ s3: { largeObjectRecords: 300 } });
    const nodes = (await loadToEnd(fx.api, await regionNode(fx.api, 'acct1', 'us-east-1')))
      .filter(isFlowLog)
      .filter(
        (n) =>
          n.flowLog.LogDestinationType === 's3' &&
          n.flowLog.DestinationOptions?.PerHourPartition &&
          n.flowLog.DeliverLogsStatus !== 'FAILED',
      )
      // A format with the fields of per interface, top talkers and top ports.
      .filter((n) =>
        ['interface-id', 'srcaddr', 'dstaddr', 'dstport', 'protocol', 'bytes', 'packets', 'start'].every(
          (f) => !n.flowLog.LogFormat || n.flowLog.LogFormat.includes(`\${${f}}`),
        ),
      );
    node = nodes[0];
    assert.ok(node, 'the data has a per-hour S3 flow log');
  });
  after(async () => {
    await setting('athena.outputLocation', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fx.stop();
  });

  /** An hour ending 30 minutes ago (or earlier) whose partitions hold no corrupt object. */
  function range(): { startTime: number; endTime: number } {
    const corrupt = fx.emulator.s3
      .objects(/^arn:aws:s3:::([^/]+)/.exec(node.flowLog.LogDestination!)![1])
      .filter((o) => o.kind === 'corrupt' && o.flowLogId === node.flowLog.FlowLogId);
    for (let end = Date.now() - 30 * 60_000; ; end -= HOUR) {
      const r = partitionRange(true, end - HOUR, end);
      const bad = corrupt.some((o) => {
        const k = partitionRange(true, o.windowStart + 300_000, o.windowStart + 300_001).first;
        return k >= r.first && k <= r.last;
      });
      if (!bad) return { startTime: end - HOUR, endTime: end };
    }
  }

  it('creates the table on confirmation, answers per interface as the records say, and reuses the table', async () => {
    const { startTime, endTime } = range();
    const run = (await vscode.commands.executeCommand('flowLogs.analyzeWithAthena', node, {
      analysis: 'perInterface',
      startTime,
      endTime,
      confirm: true,
    })) as AthenaRun | undefined;
    assert.ok(
      run,
      `a run started (${fx.api
        .outputLines()
        .filter((l) => l.includes('Athena'))
        .join(' | ')})`,
    );
    const result = await run.done;
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
    assert.ok(run.states.includes('SUCCEEDED'));
    assert.ok(result.answer.execution.dataScannedBytes! > 0);
    const truth = fx.emulator.s3.records(node.flowLog, startTime, endTime);
    const flows = result.answer.rows.reduce((n, r) => n + Number(r[3]), 0);
    assert.equal(flows, truth.rows.length);
    // What the page was sent last: Athena's statistics, the chart, the rows.
    const page = run.pageState;
    assert.equal(page.phase, 'done');
    assert.equal(page.stats.state, 'SUCCEEDED');
    assert.equal(page.stats.scannedBytes, result.answer.execution.dataScannedBytes);
    assert.ok(page.stats.engineMs !== undefined && page.stats.costUsd > 0, JSON.stringify(page.stats));
    assert.equal(page.chart, 'bars');
    assert.equal(page.rows?.length, result.answer.rows.length);
    const creates = () => fx.emulator.requests.filter((r) => r.action === 'StartQueryExecution').length;
    const before = creates();
    const again = (await vscode.commands.executeCommand('flowLogs.analyzeWithAthena', node, {
      analysis: 'topTalkers',
      startTime,
      endTime,
    })) as AthenaRun;
    assert.ok(again, 'the second run needs no confirmation: the table exists and matches');
    assert.ok((await again.done).ok);
    assert.equal(creates() - before, 1, 'only the analysis ran: no CREATE the second time');
  });

  it('Cancel sends StopQueryExecution', async () => {
    fx.emulator.athena.options.queryDelayMs = 5000;
    try {
      const { startTime, endTime } = range();
      const run = (await vscode.commands.executeCommand('flowLogs.analyzeWithAthena', node, {
        analysis: 'topDstPorts',
        startTime,
        endTime,
      })) as AthenaRun;
      await new Promise((r) => setTimeout(r, 300));
      run.cancel();
      const result = await run.done;
      assert.ok(!result.ok && result.error.kind === 'aborted', JSON.stringify(result));
      assert.ok(fx.emulator.requests.some((r) => r.action === 'StopQueryExecution'));
    } finally {
      fx.emulator.athena.options.queryDelayMs = 0;
    }
  });

  it('Open Recent Athena Query puts the SQL in a sql editor; Run Athena Query runs the edited text; CSV export defuses formulas', async () => {
    const recent = fx.api.athena.recent();
    assert.ok(recent.length >= 2, 'the analyses run above are kept');
    assert.match(recent[0].sql, /FROM "vpc_flow_logs"\./);
    const editor = (await vscode.commands.executeCommand('flowLogs.openRecentAthenaQuery', 0)) as vscode.TextEditor | undefined;
    assert.ok(editor, 'an editor opened');
    assert.equal(editor.document.languageId, 'sql');
    assert.equal(editor.document.getText().trim(), recent[0].sql.trim());
    const edited = `SELECT '=1+2' AS f, 7 AS n\nUNION ALL SELECT '-3', 8`;
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), edited));
    const run = (await vscode.commands.executeCommand('flowLogs.runAthenaQuery', editor.document.uri)) as AthenaRun;
    assert.ok(run, 'Run Athena Query started a run');
    assert.equal(run.sql, edited);
    const result = await run.done;
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
    assert.equal(editor.document.isDirty, false, 'the query file is saved before it runs');
    assert.equal(fx.api.athena.recent()[0].sql, edited, 'the edited query is the newest recent one');
    const dir = mkdtempSync(join(tmpdir(), 'athena-export-'));
    try {
      const file = vscode.Uri.file(join(dir, 'answer.csv'));
      await run.exportTo(file, 'csv');
      const csv = readFileSync(file.fsPath, 'utf8');
      assert.deepEqual(csv.trim().split(/\r?\n/).sort(), ["'=1+2,7", '-3,8', 'f,n'].sort(), csv);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a query error is a panel state with its actions (a syntax error from Run Athena Query, its position)', async () => {
    const editor = (await vscode.commands.executeCommand('flowLogs.openRecentAthenaQuery', 0)) as vscode.TextEditor;
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), 'SELECT count(*)\nFROM FROM nowhere'));
    const bad = (await vscode.commands.executeCommand('flowLogs.runAthenaQuery')) as AthenaRun;
    const result = await bad.done;
    assert.ok(!result.ok && result.error.kind === 'syntax' && result.error.position?.line === 2, JSON.stringify(result));
    const page = bad.pageState;
    assert.equal(page.phase, 'error');
    assert.deepEqual(page.error?.position, result.error.position);
    assert.deepEqual(
      page.actions?.map((a) => a.action),
      ['editQuery', 'retry'],
    );
  });

  it('Run Athena Query on an editor it did not open, and with garbage, says what it needs', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: 'SELECT 1' });
    await vscode.window.showTextDocument(doc);
    for (const arg of [undefined, 42, { uri: 'x' }, vscode.Uri.parse('untitled:nothing')])
      assert.equal(await vscode.commands.executeCommand('flowLogs.runAthenaQuery', arg), undefined);
  });
});
