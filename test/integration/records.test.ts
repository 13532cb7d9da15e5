// The records panel in the real VS Code: Show Records from a flow log node, the webview's
// messages (the same validated path the page uses), filters, paging to the end of a range with
// exact counts against the endpoint's ground truth, the cap, export contents, and the error
// states. Records travel: local endpoint -> AWS worker (SDK, parsing) -> extension host -> webview.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FlowLog } from '../../src/shared/types';
import type { RecordsPanel } from '../../src/recordsView/recordsPanel';
import {
  fixture,
  Fixture,
  children,
  regionNode,
  setting,
  isFlowLog,
  defaultAccounts,
  sleep,
  FlowLogNode,
  panelLog,
  loadedRows,
  recordKey,
} from './helpers';
import { recordLayout } from '../../src/shared/recordsFields';
import { parseMessage } from '../../src/shared/recordsParse';
import { recordPredicate, type FieldFilter } from '../../src/shared/recordsFilters';

const A1 = '111111111111';
const REGION = 'us-east-1';
const HOUR = 3_600_000;

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  for (let waited = 0; !cond(); waited += 25) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('records panel (CloudWatch Logs)', function () {
  this.timeout(120_000);
  let fx: Fixture;
  let nodes: FlowLogNode[];
  let cwl: FlowLogNode;
  let failed: FlowLogNode | undefined;
  let firehose: FlowLogNode | undefined;

  const truth = (f: FlowLog, startMs: number, endMs: number, filters: FieldFilter[] = []) => {
    const layout = recordLayout(f.LogFormat);
    return fx.emulator.logs
      .events(A1, REGION, f.LogGroupName!, startMs, endMs)
      .map((e) => parseMessage(layout, e.message, e.timestamp, e.logStreamName, e.eventId))
      .filter(recordPredicate(layout, filters));
  };
  /** Opens the panel and waits until the webview has said ready (or sends ready itself) and the first load is over. */
  async function open(node: FlowLogNode): Promise<RecordsPanel> {
    const p = (await vscode.commands.executeCommand('flowLogs.showRecords', node)) as RecordsPanel | undefined;
    assert.ok(p, 'a records panel opened');
    try {
      await until('the webview to say ready', () => panelLog(fx, p).posted.some((m) => m.type === 'init'), 15_000);
    } catch {
      await p.handle({ type: 'ready' }); // a host that does not run webview scripts: the same message
    }
    await until('the first load', () => panelLog(fx, p).posted.some((m) => m.type === 'state' && m.status !== 'loading'));
    await p.whenIdle();
    return p;
  }
  async function runQuery(p: RecordsPanel, query: unknown): Promise<void> {
    await p.handle({ type: 'run', query });
    await p.whenIdle();
  }
  const lastState = (p: RecordsPanel) => [...panelLog(fx, p).posted].reverse().find((m) => m.type === 'state')!;
  const closeAll = async () => {
    for (const p of fx.api.openRecordsPanels()) p.panel.dispose();
    await until('panels closed', () => fx.api.openRecordsPanels().length === 0);
  };

  before(async () => {
    await setting('pageSize', 100);
    fx = await fixture({ accounts: defaultAccounts(40) });
    await sleep(300);
    await vscode.commands.executeCommand('flowLogs.refresh');
    nodes = (await children(fx.api, await regionNode(fx.api, 'acct1', REGION))).filter(isFlowLog);
    cwl = nodes.find(
      (n) =>
        n.flowLog.LogDestinationType === 'cloud-watch-logs' &&
        n.flowLog.DeliverLogsStatus !== 'FAILED' &&
        n.flowLog.MaxAggregationInterval === 60 &&
        n.flowLog.TrafficType === 'ALL',
    )!;
    failed = nodes.find((n) => n.flowLog.LogDestinationType === 'cloud-watch-logs' && n.flowLog.DeliverLogsStatus === 'FAILED');
    firehose = nodes.find((n) => n.flowLog.LogDestinationType === 'kinesis-data-firehose');
    assert.ok(cwl, 'fixture sanity: a CloudWatch Logs flow log with a 60 s interval');
  });
  afterEach(async () => {
    fx.emulator.setFaults([]);
    await setting('records.maxRecords', undefined);
  });
  after(async () => {
    await closeAll();
    await setting('pageSize', undefined);
    await fx.stop();
  });

  it('Show Records opens one panel per flow log, with the first screenful of the last hour', async () => {
    assert.match(cwl.getTreeItem().contextValue ?? '', /^flowLog\S*\.cwl\b/);
    const p = await open(cwl);
    assert.equal(lastState(p).status, 'more');
    const t = truth(cwl.flowLog, p.loader!.query.startMs, p.loader!.query.endMs);
    assert.ok(t.length > 500, 'the last hour has more than a screenful');
    assert.deepEqual((await loadedRows(fx, p)).map(recordKey), t.slice(0, 500).map(recordKey));
    assert.equal(p.loader!.progress.requests, 1, 'one request for the first screenful');
    const again = await vscode.commands.executeCommand('flowLogs.showRecords', cwl);
    assert.equal(again, p, 'Show Records again reveals the same panel');
    assert.equal(fx.api.openRecordsPanels().length, 1);
    // The page is told the total, never the rows of a load; it asks for a window of rows and gets it.
    const log = panelLog(fx, p);
    assert.ok(log.posted.some((m) => m.type === 'total' && m.total === 500));
    assert.ok(!log.posted.some((m) => m.type === 'rows'), 'no message carries the loaded rows');
    await p.handle({ type: 'window', seq: 9_999, start: 100, count: 50 });
    const answer = [...log.posted].reverse().find((m) => m.type === 'window' && m.seq === 9_999);
    assert.deepEqual(answer, { type: 'window', seq: 9_999, start: 100, total: 500, count: 50 });
    await p.handle({ type: 'window', seq: 10_000, start: 0, count: 5_000 }); // over MAX_WINDOW_ROWS: dropped
    assert.ok(!log.posted.some((m) => m.type === 'window' && m.seq === 10_000));
    assert.ok(log.posted.filter((m) => m.type === 'window').every((m) => (m.count as number) <= 2_000));
  });

  it('Firehose says its records cannot be read back; other arguments never throw', async () => {
    if (firehose) assert.equal(await vscode.commands.executeCommand('flowLogs.showRecords', firehose), undefined);
    assert.match(firehose?.getTreeItem().contextValue ?? 'flowLog.firehose', /\.firehose\b/);
    assert.equal(fx.api.openRecordsPanels().length, 1);
  });

  it('filters: paging to the end of a range gives exactly the ground truth, in order', async () => {
    const p = await open(cwl);
    const endMs = Math.floor((Date.now() - HOUR) / 60_000) * 60_000;
    const startMs = endMs - 24 * HOUR;
    const filters = [
      { field: 'dstaddr', value: '10.0.0.0/12' },
      { field: 'srcport', value: '>1023' },
      { field: 'action', value: 'ACCEPT' },
    ];
    await runQuery(p, { range: { startMs, endMs }, filters });
    await p.handle({ type: 'loadAll' });
    await p.whenIdle();
    const expected = truth(cwl.flowLog, startMs, endMs, filters);
    assert.ok(expected.length > 50);
    assert.equal(lastState(p).status, 'done');
    assert.deepEqual((await loadedRows(fx, p)).map(recordKey), expected.map(recordKey));
    // The pattern went to CloudWatch (only matching events travelled), and the /12 was re-checked here.
    const sent = fx.emulator.requests.filter((r) => r.action === 'FilterLogEvents' && r.logs?.startTime === startMs);
    assert.ok(
      sent.length >= 1 && sent.every((r) => /action="ACCEPT"/.test(r.logs?.pattern ?? '') && /srcport>=1024/.test(r.logs?.pattern ?? '')),
    );
    const reset = [...panelLog(fx, p).posted].reverse().find((m) => m.type === 'reset') as unknown as {
      plan: { items: { placement: string }[] };
    };
    assert.deepEqual(
      reset.plan.items.map((i) => i.placement),
      ['both', 'server', 'server'],
    );
  });

  it('Load all stops at the cap setting and says so', async () => {
    await setting('records.maxRecords', 1200);
    const p = await open(cwl);
    await runQuery(p, { range: { preset: '24h' }, filters: [] });
    await p.handle({ type: 'loadAll' });
    await p.whenIdle();
    assert.equal((await loadedRows(fx, p)).length, 1200);
    assert.deepEqual([lastState(p).status, lastState(p).cap], ['capped', 1200]);
  });

  it('export: CSV, JSON and NDJSON files hold the loaded records', async () => {
    const p = await open(cwl);
    await runQuery(p, { range: { preset: '3h' }, filters: [{ field: 'action', value: 'REJECT' }] });
    const n = (await loadedRows(fx, p)).length;
    assert.ok(n > 0);
    const layout = recordLayout(cwl.flowLog.LogFormat);
    for (const format of ['csv', 'json', 'ndjson'] as const) {
      const file = vscode.Uri.file(path.join(fx.dir, `export.${format}`));
      await p.exportTo(format, file);
      const text = fs.readFileSync(file.fsPath, 'utf8');
      if (format === 'csv') {
        const lines = text.trimEnd().split('\r\n');
        assert.equal(lines.length, n + 1);
        assert.deepEqual(lines[0].split(','), ['@timestamp', '@logStream', '@problem', ...layout.fields.map((f) => f.name)]);
        assert.equal(lines[1].split(',').slice(3).join(' '), (await loadedRows(fx, p))[0].v.join(' '));
      } else {
        const rows =
          format === 'json'
            ? JSON.parse(text)
            : text
                .trimEnd()
                .split('\n')
                .map((l) => JSON.parse(l));
        assert.equal(rows.length, n);
        assert.ok(rows.every((r: Record<string, string>) => r.action === 'REJECT'));
        assert.equal(rows[0]['@timestamp'], new Date((await loadedRows(fx, p))[0].t).toISOString());
      }
    }
  });

  it('error states: missing log group, denied, throttled (Retry resumes), bad filter; nothing loaded is lost', async () => {
    if (failed) {
      const f = await open(failed);
      const s = lastState(f);
      assert.equal(s.status, 'error');
      const e = s.error as { kind: string; actions: string[]; message: string };
      assert.equal(e.kind, 'notFound');
      assert.ok(e.actions.includes('showDelivery'));
      f.panel.dispose();
    }
    const p = await open(cwl);
    fx.emulator.setFaults([{ fault: 'unauthorized', action: 'FilterLogEvents' }]);
    await runQuery(p, { range: { preset: '1h' }, filters: [] });
    const denied = lastState(p).error as { kind: string; message: string };
    assert.equal(denied.kind, 'denied');
    assert.match(denied.message, /logs:FilterLogEvents on arn:aws:logs:us-east-1:111111111111:log-group:/);

    fx.emulator.setFaults([]);
    const endMs = Math.floor((Date.now() - HOUR) / 60_000) * 60_000;
    const startMs = endMs - 6 * HOUR;
    await runQuery(p, { range: { startMs, endMs }, filters: [] });
    const before = (await loadedRows(fx, p)).length;
    assert.equal(before, 500);
    await setting('maxAttempts', 1);
    fx.emulator.setFaults([{ fault: 'throttle', action: 'FilterLogEvents' }]);
    await p.handle({ type: 'loadAll' });
    await p.whenIdle();
    assert.equal((lastState(p).error as { kind: string }).kind, 'throttled');
    assert.equal((await loadedRows(fx, p)).length, before, 'the records loaded before the error are kept');
    fx.emulator.setFaults([]);
    await setting('maxAttempts', undefined);
    await p.handle({ type: 'retry' });
    await p.handle({ type: 'loadAll' });
    await p.whenIdle();
    assert.equal(lastState(p).status, 'done');
    assert.deepEqual((await loadedRows(fx, p)).map(recordKey), truth(cwl.flowLog, startMs, endMs).map(recordKey));

    const sentBefore = fx.emulator.requests.length;
    await runQuery(p, { range: { preset: '1h' }, filters: [{ field: 'dstport', value: 'https' }] });
    const bad = lastState(p).error as { kind: string; message: string; actions: string[] };
    assert.equal(bad.kind, 'invalidPattern');
    assert.match(bad.message, /not a number or range/);
    assert.deepEqual(bad.actions, ['editFilters']);
    assert.equal(fx.emulator.requests.length, sentBefore, 'a bad filter sends no request');
  });

  it('a records panel is restored after a window reload, with its query; an unusable state says so', async () => {
    await closeAll();
    const panel = vscode.window.createWebviewPanel('flowLogs.records', 'restored', vscode.ViewColumn.Active, { enableScripts: true });
    const query = { range: { preset: '3h' as const }, filters: [{ field: 'action', value: 'REJECT' }] };
    await fx.api.recordsPanels.deserializeWebviewPanel(panel, {
      profile: 'acct1',
      region: REGION,
      flowLogId: cwl.flowLog.FlowLogId!,
      query,
    });
    const p = fx.api.openRecordsPanels().find((x) => x.panel === panel);
    assert.ok(p, 'the panel is managed again');
    try {
      await until('the webview to say ready', () => panelLog(fx, p).posted.some((m) => m.type === 'init'), 15_000);
    } catch {
      await p.handle({ type: 'ready' });
    }
    await until('the restored load', () => panelLog(fx, p).posted.some((m) => m.type === 'state' && m.status !== 'loading'));
    await p.whenIdle();
    assert.deepEqual(p.query, { ...query, rawPattern: undefined });
    const layout = recordLayout(cwl.flowLog.LogFormat);
    assert.ok((await loadedRows(fx, p)).length > 0 && (await loadedRows(fx, p)).every((r) => r.v[layout.index['action']] === 'REJECT'));
    for (const state of [
      undefined,
      { profile: 'acct1', region: REGION, flowLogId: '<script>' },
      { profile: 'nobody', region: REGION, flowLogId: cwl.flowLog.FlowLogId! },
    ]) {
      const other = vscode.window.createWebviewPanel('flowLogs.records', 'restored', vscode.ViewColumn.Active, {});
      await fx.api.recordsPanels.deserializeWebviewPanel(other, state as never);
      assert.match(other.webview.html, /Open a flow log/);
      assert.ok(!fx.api.openRecordsPanels().some((x) => x.panel === other));
      other.dispose();
    }
  });

  it('untrusted messages from the webview are dropped', async () => {
    const p = await open(cwl);
    const n = panelLog(fx, p).posted.length;
    for (const m of [
      null,
      'run',
      { type: 'run', query: { range: { preset: '99y' }, filters: [] } },
      { type: 'export', format: 'exe' },
      { type: 'copy', text: 5 },
      { type: 'action', action: 'rm -rf' },
      Object.create({ type: 'ready' }),
    ])
      await p.handle(m);
    assert.equal(panelLog(fx, p).posted.length, n, 'nothing was done for them');
  });
});
