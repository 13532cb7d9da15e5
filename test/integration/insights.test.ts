// Logs Insights analyses inside the real VS Code: Analyze… on flow log nodes of the tree, through
// the AWS workers, to the local endpoint; each analysis's answer equals the ground truth computed
// from the records the endpoint serves. Cancel, multi-region merge, Open Query + CodeLens, and
// every error state as the panel shows it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ANALYSES, buildAnalysisQuery, isIpAddress } from '../../src/shared/insightsAnalyses';
import type { AnalysisRun } from '../../src/insightsView/analysisPanel';
import type { RecordsPanel } from '../../src/recordsView/recordsPanel';
import { recordLayout } from '../../src/shared/recordsFields';
import { bruteForce, recordsFromEvents } from '../emulator/insights/groundTruth';
import { fixture, isFlowLog, loadToEnd, regionNode, setting, type Fixture, type FlowLogNode, panelLog, loadedRows } from './helpers';

const ACCOUNT = '111111111111';
// Ranges end 20 minutes ago: newer windows are still being "delivered" by the endpoint (as on AWS,
// records arrive minutes late), so the answer and the ground truth read later would differ.
const past = (minutes: number) => {
  const endTime = Date.now() - 20 * 60_000;
  return { startTime: endTime - minutes * 60_000, endTime };
};

describe('Logs Insights analyses', function () {
  this.timeout(120000);
  let fx: Fixture;
  let defaultNode: FlowLogNode;
  let customNode: FlowLogNode;
  let euNode: FlowLogNode;

  const cwlNodes = async (region: string) =>
    (await loadToEnd(fx.api, await regionNode(fx.api, 'acct1', region)))
      .filter(isFlowLog)
      .filter((n) => n.flowLog.LogDestinationType === 'cloud-watch-logs' && n.flowLog.DeliverLogsStatus !== 'FAILED');

  before(async () => {
    await setting('regions', { acct1: ['eu-west-1'] });
    fx = await fixture();
    fx.emulator.logs.insights.runningMs = 200;
    const us = await cwlNodes('us-east-1');
    defaultNode = us.find(
      (n) => !n.flowLog.LogFormat || n.flowLog.LogFormat.startsWith('${version} ${account-id} ${interface-id} ${srcaddr}'),
    )!;
    customNode = us.find((n) => n.flowLog.LogFormat?.startsWith('${srcaddr}'))!;
    euNode = (await cwlNodes('eu-west-1')).find((n) => n.flowLog.LogFormat === defaultNode.flowLog.LogFormat)!;
    assert.ok(defaultNode && customNode && euNode, 'the data has default- and custom-format CloudWatch flow logs');
  });
  after(async () => {
    await setting('regions', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fx.stop();
  });
  afterEach(() => {
    fx.emulator.setFaults([]);
    fx.emulator.logs.insights.outcome = () => undefined;
    fx.emulator.logs.insights.maxConcurrent = 30;
  });

  const analyze = async (node: FlowLogNode, nodes: FlowLogNode[], options: object): Promise<AnalysisRun> => {
    const run = (await vscode.commands.executeCommand('flowLogs.analyze', node, nodes, options)) as AnalysisRun | undefined;
    assert.ok(run, 'a run started');
    // The extension's test observer (analysisRuns) saw the same run start: no hook on the panels.
    assert.equal(fx.api.analysisRuns().at(-1), run, 'the exported API lists the run');
    return run!;
  };
  const truthFor = (
    node: FlowLogNode,
    region: string,
    run: AnalysisRun,
    analysis: (typeof ANALYSES)[number]['id'],
    minutes: number,
    address?: string,
  ) => {
    // The same range length as the run's, so the same bins.
    const q = buildAnalysisQuery({ analysis, logFormat: node.flowLog.LogFormat, startTime: 0, endTime: minutes * 60_000, address });
    const outcome = run.outcome!;
    // The range the run used, from the query it sent (epoch seconds).
    const sent = fx.emulator.logs.insights.all().find((x) => x.queryId === outcome.parts[0].queryId)!;
    assert.ok(sent);
    const events = fx.emulator.logs.events(
      ACCOUNT,
      region,
      node.flowLog.LogGroupName!,
      run.range.startTime * 1000,
      run.range.endTime * 1000 + 999,
    );
    return bruteForce(
      analysis,
      { ...q, startTime: run.range.startTime, endTime: run.range.endTime },
      recordsFromEvents(node.flowLog.LogFormat, events),
      address,
    );
  };

  for (const format of ['default', 'custom'] as const) {
    for (const analysis of ANALYSES) {
      it(`${analysis.id} on the ${format}-format flow log returns the ground truth`, async function () {
        const node = format === 'default' ? defaultNode : customNode;
        if (format === 'custom' && analysis.needs.some((f) => ['interfaceId', 'logStatus'].includes(f))) {
          // That format (srcaddr … action) records neither: the analysis is not offered.
          const run = await vscode.commands.executeCommand('flowLogs.analyze', node, [node], { analysis: analysis.id, ...past(180) });
          assert.equal(run, undefined);
          return;
        }
        let address: string | undefined;
        if (analysis.needsAddress) {
          const r = past(60);
          const events = fx.emulator.logs.events(ACCOUNT, 'us-east-1', node.flowLog.LogGroupName!, r.startTime, r.endTime);
          // (Some generated public addresses have three octets; the address input refuses those.)
          address = recordsFromEvents(node.flowLog.LogFormat, events).find((r) => r.srcAddr && isIpAddress(r.srcAddr))!.srcAddr!;
        }
        const run = await analyze(node, [node], { analysis: analysis.id, ...past(180), limit: 10000, address });
        const outcome = await run.done;
        assert.equal(outcome.state, 'complete', outcome.summary);
        const expected = truthFor(node, 'us-east-1', run, analysis.id, 180, address);
        // A flow log of accepted (rejected) traffic only has no rejected (accepted) records.
        const traffic = node.flowLog.TrafficType;
        const mayBeEmpty =
          (analysis.id === 'topRejected' && traffic === 'ACCEPT') || (analysis.id === 'sshRdpFromOutside' && traffic === 'REJECT');
        if (!mayBeEmpty) assert.ok(expected.size > 0, 'the range has data for this analysis');
        const cols = run.columns;
        if (analysis.id === 'recordsOfAddress') {
          const idx = ['@timestamp', 'srcAddr', 'srcPort', 'dstAddr', 'dstPort'].map((f) => cols.findIndex((c) => c.field === f));
          assert.deepEqual(outcome.table.rows.map((r) => JSON.stringify(idx.map((i) => r[i]))).sort(), [...expected.keys()].sort());
        } else {
          const k = cols.filter((c) => c.key).length;
          const got = new Map(outcome.table.rows.map((r) => [JSON.stringify(r.slice(0, k)), r]));
          assert.deepEqual(new Set(got.keys()), new Set(expected.keys()));
          for (const [key, row] of expected) assert.deepEqual(got.get(key), row, key);
        }
        assert.ok(outcome.statistics.recordsScanned > 0);
      });
    }
  }

  it('a multi-selection across regions runs one query per region, concurrently, and says it merged', async () => {
    const run = await analyze(defaultNode, [defaultNode, euNode], { analysis: 'topTalkers', ...past(120), limit: 10000 });
    const outcome = await run.done;
    assert.equal(outcome.state, 'complete', outcome.summary);
    assert.deepEqual(outcome.parts.map((p) => p.region).sort(), ['eu-west-1', 'us-east-1']);
    assert.match(outcome.summary, /merged from 2 queries/);
    const a = truthFor(defaultNode, 'us-east-1', run, 'topTalkers', 120);
    const b = truthFor(euNode, 'eu-west-1', run, 'topTalkers', 120);
    const keys = new Set([...a.keys(), ...b.keys()]);
    assert.equal(outcome.table.rows.length, keys.size);
  });

  it('Cancel stops the query on the endpoint (StopQuery) and the panel says Cancelled', async () => {
    fx.emulator.logs.insights.runningMs = 60_000;
    try {
      const run = await analyze(defaultNode, [defaultNode], { analysis: 'topDstPorts', ...past(60) });
      for (let i = 0; i < 200 && !fx.emulator.logs.insights.all().some((q) => q.status === 'Running'); i++)
        await new Promise((r) => setTimeout(r, 25));
      run.cancel();
      const outcome = await run.done;
      assert.equal(outcome.state, 'cancelled');
      assert.equal(fx.emulator.logs.insights.all().find((q) => q.queryId === outcome.parts[0].queryId)?.status, 'Cancelled');
    } finally {
      fx.emulator.logs.insights.runningMs = 200;
    }
  });

  it('error states: LimitExceeded, access denied, Failed, Timeout', async () => {
    const run = async () => (await analyze(defaultNode, [defaultNode], { analysis: 'topTalkers', ...past(60) })).done;
    fx.emulator.logs.insights.maxConcurrent = 0;
    const limited = await run();
    assert.equal(limited.error?.kind, 'limitExceeded');
    assert.match(limited.summary, /LimitExceededException/);
    fx.emulator.logs.insights.maxConcurrent = 30;
    fx.emulator.setFaults([{ fault: 'unauthorized', action: 'StartQuery' }]);
    const denied = await run();
    assert.match(denied.summary, /^Not authorized for logs:StartQuery/);
    fx.emulator.setFaults([]);
    fx.emulator.logs.insights.outcome = () => 'Failed';
    assert.equal((await run()).state, 'failed');
    fx.emulator.logs.insights.outcome = () => 'Timeout';
    assert.equal((await run()).state, 'timeout');
  });

  it('an analysis whose fields the format lacks is not offered; a non-CloudWatch flow log is refused', async () => {
    assert.equal(
      await vscode.commands.executeCommand('flowLogs.analyze', customNode, [customNode], { analysis: 'perInterface', ...past(60) }),
      undefined,
    );
    const s3 = (await loadToEnd(fx.api, await regionNode(fx.api, 'acct1', 'us-east-1')))
      .filter(isFlowLog)
      .find((n) => n.flowLog.LogDestinationType === 's3')!;
    assert.equal(await vscode.commands.executeCommand('flowLogs.analyze', s3, [s3], { analysis: 'topTalkers', ...past(60) }), undefined);
    // Whatever VS Code passes: nothing usable is not a crash.
    for (const arg of [42, 'x', { kind: 'flowLog' }, vscode.Uri.file('/tmp')]) {
      await vscode.commands.executeCommand('flowLogs.runInsightsQuery', arg).then(
        () => undefined,
        (e) => assert.fail(String(e)),
      );
    }
  });

  it('Open Query: the query in a logs-insights editor, a CodeLens, Run again; a malformed edit shows the server message and position', async () => {
    const first = await analyze(defaultNode, [defaultNode], { analysis: 'topTalkers', ...past(60) });
    await first.done;
    const editor = (await first.openQuery()) as vscode.TextEditor;
    assert.equal(editor.document.languageId, 'logs-insights');
    assert.equal(editor.document.getText().trim(), first.queryString);
    const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', editor.document.uri)) as vscode.CodeLens[];
    assert.ok(
      lenses.some(
        (l) =>
          l.command?.command === 'flowLogs.runInsightsQuery' &&
          l.command.title.includes(`Run Query on flow log`) &&
          l.command.title.includes(`log group ${defaultNode.flowLog.LogGroupName}`),
      ),
      lenses.map((l) => l.command?.title).join(' | '),
    );
    // A file of the extension's storage, not an Untitled editor: nothing to save on close.
    assert.equal(editor.document.isUntitled, false);
    assert.equal(editor.document.isDirty, false);
    assert.equal(editor.document.uri.scheme, 'file');
    const again = (await vscode.commands.executeCommand('flowLogs.runInsightsQuery', editor.document.uri)) as AnalysisRun;
    const outcome = await again.done;
    assert.equal(outcome.state, 'complete');
    assert.deepEqual(
      outcome.table.rows.map((r) => r.slice(0, 3)),
      (await first.done).table.rows.map((r) => r.slice(0, 3)),
    );
    const edit = new vscode.WorkspaceEdit();
    edit.replace(editor.document.uri, new vscode.Range(0, 0, editor.document.lineCount, 0), 'fields srcAddr | frobnicate\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(editor.document.isDirty, true);
    const bad = await ((await vscode.commands.executeCommand('flowLogs.runInsightsQuery', editor.document.uri)) as AnalysisRun).done;
    assert.equal(editor.document.isDirty, false, 'Run Query saved the query file: closing it does not ask');
    assert.equal(bad.error?.kind, 'malformed');
    assert.deepEqual(bad.error?.position, { start: 17, end: 27 });
    assert.match(bad.error!.message, /at character 18/);
  });

  it('a query run from the editor gets the chart its answer has the shape for, as the built-in analyses do', async () => {
    const first = await analyze(defaultNode, [defaultNode], { analysis: 'topTalkers', ...past(60) });
    await first.done;
    assert.equal(first.chart, 'bars');
    const editor = (await first.openQuery()) as vscode.TextEditor;
    const runText = async (text: string) => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(editor.document.uri, new vscode.Range(0, 0, editor.document.lineCount, 0), text);
      assert.ok(await vscode.workspace.applyEdit(edit));
      const run = (await vscode.commands.executeCommand('flowLogs.runInsightsQuery', editor.document.uri)) as AnalysisRun;
      const outcome = await run.done;
      assert.equal(outcome.state, 'complete', outcome.summary);
      assert.ok(outcome.table.rows.length > 0);
      return run;
    };
    assert.equal((await runText('stats count(*) as flows by bin(5m)\n')).chart, 'timeSeries');
    assert.equal((await runText('stats sum(bytes) as total by srcAddr | sort total desc | limit 10\n')).chart, 'bars');
    assert.equal((await runText('fields @timestamp, srcAddr, action | limit 5\n')).chart, 'none');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('from the palette: a picker of the loaded CloudWatch flow logs (several picked), every step counted and naming them, the panel too', async () => {
    // A scripted user: the quick picks and input boxes are recorded (title, step) and answered.
    type Shown = { kind: 'pick' | 'input'; title: string; step?: number; totalSteps?: number; labels: string[] };
    const shown: Shown[] = [];
    const w = vscode.window as unknown as Record<string, unknown>;
    const original = { createQuickPick: w.createQuickPick, createInputBox: w.createInputBox };
    const emitter = <T>() => new vscode.EventEmitter<T>();
    w.createQuickPick = () => {
      const accept = emitter<void>();
      const hide = emitter<void>();
      const qp: Record<string, unknown> = {
        items: [] as vscode.QuickPickItem[],
        selectedItems: [] as vscode.QuickPickItem[],
        activeItems: [] as vscode.QuickPickItem[],
        onDidAccept: accept.event,
        onDidHide: hide.event,
        dispose() {},
        show() {
          const items = qp.items as (vscode.QuickPickItem & { node?: FlowLogNode })[];
          shown.push({
            kind: 'pick',
            title: String(qp.title),
            step: qp.step as number,
            totalSteps: qp.totalSteps as number,
            labels: items.map((i) => i.label),
          });
          const title = String(qp.title);
          setTimeout(() => {
            if (/which flow logs/.test(title)) {
              const want = new Set([defaultNode.flowLog.FlowLogId, euNode.flowLog.FlowLogId]);
              qp.selectedItems = items.filter((i) =>
                want.has((i as { node?: { flowLog: { FlowLogId?: string } } }).node?.flowLog.FlowLogId),
              );
            } else if (/which analysis/.test(title)) qp.activeItems = items.filter((i) => i.label === 'Top talkers');
            else if (/time range/.test(title)) qp.activeItems = items.filter((i) => i.label === 'Last 3 hours');
            accept.fire();
          }, 0);
        },
      };
      return qp;
    };
    w.createInputBox = () => {
      const accept = emitter<void>();
      const hide = emitter<void>();
      const box: Record<string, unknown> = {
        value: '',
        onDidAccept: accept.event,
        onDidHide: hide.event,
        onDidChangeValue: emitter<string>().event,
        dispose() {},
        show() {
          shown.push({
            kind: 'input',
            title: String(box.title),
            step: box.step as number,
            totalSteps: box.totalSteps as number,
            labels: [],
          });
          setTimeout(() => accept.fire(), 0);
        },
      };
      return box;
    };
    let run: AnalysisRun | undefined;
    try {
      run = (await vscode.commands.executeCommand('flowLogs.analyze')) as AnalysisRun | undefined;
    } finally {
      w.createQuickPick = original.createQuickPick;
      w.createInputBox = original.createInputBox;
    }
    assert.ok(run, `a run started; shown: ${JSON.stringify(shown)}`);
    // Step 1 lists the loaded CloudWatch Logs flow logs; every step has its counter.
    assert.deepEqual(
      shown.map((x) => [x.kind, x.step, x.totalSteps]),
      [
        ['pick', 1, 4],
        ['pick', 2, 4],
        ['pick', 3, 4],
        ['input', 4, 4],
      ],
    );
    const loaded = fx.api.services.explorer
      .loadedFlowLogs()
      .filter((r) => r.flowLog.LogDestinationType === 'cloud-watch-logs' && r.flowLog.LogGroupName);
    assert.equal(shown[0].labels.length, loaded.length);
    for (const x of shown.slice(1)) {
      assert.match(x.title, /2 flow logs/, x.title);
      assert.ok(x.title.includes(defaultNode.flowLog.LogGroupName!) && x.title.includes(euNode.flowLog.LogGroupName!), x.title);
    }
    const outcome = await run!.done;
    assert.equal(outcome.state, 'complete', outcome.summary);
    assert.equal(outcome.parts.length, 2, 'one query per region');
    assert.ok(
      run!.subtitle.includes(defaultNode.flowLog.LogGroupName!) && run!.subtitle.includes(euNode.flowLog.LogGroupName!),
      run!.subtitle,
    );
    assert.match(run!.subtitle, /2 flow logs/);
    assert.equal(Math.round((run!.range.endTime - run!.range.startTime) / 60), 180);
  });

  it('a worker that dies mid-analysis: the panel ends in an error state (Run Again), every started query is stopped', async () => {
    fx.emulator.logs.insights.runningMs = 60_000;
    try {
      const before = new Set(fx.emulator.logs.insights.all().map((q) => q.queryId));
      const seq = fx.emulator.requests.length;
      const run = await analyze(defaultNode, [defaultNode, euNode], { analysis: 'topTalkers', ...past(60) });
      // Both queries started and polled: the panel holds both query IDs.
      const polled = () =>
        new Set(
          fx.emulator.requests
            .slice(seq)
            .filter((r) => r.action === 'GetQueryResults' && r.status === 200)
            .map((r) => r.region),
        );
      for (let i = 0; i < 400 && polled().size < 2; i++) await new Promise((r) => setTimeout(r, 25));
      assert.equal(polled().size, 2, 'both regions polled');
      // Kill the workers while a poll is in flight (slow polls, then wait for one to be on the wire).
      fx.emulator.setFaults([{ fault: 'latency', action: 'GetQueryResults', latencyMs: 5_000 }]);
      const mark = fx.emulator.requests.length;
      const inFlight = () => fx.emulator.requests.slice(mark).some((r) => r.action === 'GetQueryResults' && r.status === 0);
      for (let i = 0; i < 400 && !inFlight(); i++) await new Promise((r) => setTimeout(r, 25));
      assert.ok(inFlight(), 'a poll in flight');
      for (const w of (fx.api.services.aws as unknown as { workers: ({ terminate(): Promise<number> } | undefined)[] }).workers)
        void w?.terminate();
      const outcome = await run.done;
      fx.emulator.setFaults([]);
      assert.equal(outcome.state, 'error');
      assert.match(outcome.summary, /worker.*StopQuery sent for 2 started queries/i);
      const started = fx.emulator.logs.insights.all().filter((q) => !before.has(q.queryId));
      assert.equal(started.length, 2);
      for (const q of started) assert.equal(q.status, 'Cancelled');
      // The panel left "running": its last state is done, with the error, and Run Again works.
      const again = (await vscode.commands.executeCommand('flowLogs.analyze', defaultNode, [defaultNode], {
        analysis: 'topTalkers',
        ...past(60),
      })) as AnalysisRun;
      fx.emulator.logs.insights.runningMs = 200;
      assert.equal((await again.done).state, 'complete');
    } finally {
      fx.emulator.setFaults([]);
      fx.emulator.logs.insights.runningMs = 200;
    }
  });

  it('a query stuck in Running is stopped at flowLogs.insights.maxQueryMinutes and the panel says so', async function () {
    this.timeout(180_000);
    fx.emulator.logs.insights.runningMs = 24 * 3600_000;
    await setting('insights.maxQueryMinutes', 1);
    try {
      const run = await analyze(defaultNode, [defaultNode], { analysis: 'topDstPorts', ...past(60) });
      assert.equal(run.maxRunMs, 60_000);
      const outcome = await run.done;
      assert.equal(outcome.state, 'timeout');
      assert.match(
        outcome.summary,
        /Stopped after 1 minute still running \(StopQuery sent; the bound is the setting flowLogs\.insights\.maxQueryMinutes\)/,
      );
      assert.equal(fx.emulator.logs.insights.all().find((q) => q.queryId === outcome.parts[0].queryId)?.status, 'Cancelled');
    } finally {
      await setting('insights.maxQueryMinutes', undefined);
      fx.emulator.logs.insights.runningMs = 200;
    }
  });

  it('exports CSV and JSON of the answer', async () => {
    const run = await analyze(defaultNode, [defaultNode], { analysis: 'perInterface', ...past(60) });
    const outcome = await run.done;
    const csv = vscode.Uri.file(path.join(fx.dir, 'answer.csv'));
    const json = vscode.Uri.file(path.join(fx.dir, 'answer.json'));
    await run.exportTo(csv, 'csv');
    await run.exportTo(json, 'json');
    const lines = fs.readFileSync(csv.fsPath, 'utf8').trim().split('\r\n');
    assert.equal(lines[0], 'Interface,Bytes,Packets,Records');
    assert.equal(lines.length, outcome.table.rows.length + 1);
    assert.deepEqual(
      JSON.parse(fs.readFileSync(json.fsPath, 'utf8')).map((o: { interfaceId: string }) => o.interfaceId),
      outcome.table.rows.map((r) => r[0]),
    );
  });

  it('recent queries are kept and reopen in an editor against the same log groups', async () => {
    const run = await analyze(defaultNode, [defaultNode], { analysis: 'topDstPorts', ...past(90) });
    await run.done;
    const recent = fx.api.insights.recent();
    assert.equal(recent[0].queryString, run.queryString);
    assert.deepEqual(recent[0].targets, [
      { profile: 'acct1', region: 'us-east-1', logGroupName: defaultNode.flowLog.LogGroupName, logFormat: defaultNode.flowLog.LogFormat },
    ]);
    assert.equal(recent[0].minutes, 90);
    const editor = (await vscode.commands.executeCommand('flowLogs.openRecentInsightsQuery', 0)) as vscode.TextEditor;
    assert.equal(editor.document.languageId, 'logs-insights');
    assert.equal(editor.document.getText().trim(), run.queryString);
    const context = fx.api.insights.contexts.get(editor.document.uri.toString())!;
    assert.deepEqual(
      context.targets.map((t) => t.logGroupName),
      [defaultNode.flowLog.LogGroupName],
    );
    assert.equal(Math.round((context.endTime - context.startTime) / 60_000), 90);
  });

  it('field filters typed for an analysis narrow the answer as the same filter over the records does', async () => {
    const run = await analyze(defaultNode, [defaultNode], {
      analysis: 'topTalkers',
      ...past(180),
      limit: 10000,
      filters: 'dstport=443 action=ACCEPT',
    });
    const outcome = await run.done;
    assert.equal(outcome.state, 'complete', outcome.summary);
    assert.match(run.queryString, /filter dstPort = 443\n\| filter action = "ACCEPT"/);
    const events = fx.emulator.logs.events(
      ACCOUNT,
      'us-east-1',
      defaultNode.flowLog.LogGroupName!,
      run.range.startTime * 1000,
      run.range.endTime * 1000 + 999,
    );
    const records = recordsFromEvents(defaultNode.flowLog.LogFormat, events).filter((r) => r.dstPort === 443 && r.action === 'ACCEPT');
    const q = buildAnalysisQuery({ analysis: 'topTalkers', startTime: 0, endTime: 180 * 60_000 });
    const expected = bruteForce('topTalkers', { ...q, startTime: run.range.startTime, endTime: run.range.endTime }, records);
    assert.ok(expected.size > 0);
    assert.deepEqual(new Map(outcome.table.rows.map((r) => [JSON.stringify(r.slice(0, 2)), r])), expected);
    const bad = await vscode.commands.executeCommand('flowLogs.analyze', defaultNode, [defaultNode], {
      analysis: 'topTalkers',
      ...past(60),
      filters: 'dstport=22"or',
    });
    assert.equal(bad, undefined, 'a bad filter is refused with a message, no query sent');
  });
  it('"Show these records" on an analysis row opens the records panel filtered on the row over the same range; its records are the row\'s', async () => {
    const run = await analyze(defaultNode, [defaultNode], { analysis: 'topRejected', ...past(180), limit: 10000 });
    const outcome = await run.done;
    assert.equal(outcome.state, 'complete', outcome.summary);
    const index = outcome.table.rows.findIndex((r) => typeof r[0] === 'string' && typeof r[1] === 'number');
    assert.ok(index >= 0, 'a row with a source and a port');
    const row = outcome.table.rows[index];
    const p = (await run.showRecords(index)) as RecordsPanel | undefined;
    assert.ok(p, 'a records panel opened');
    assert.equal(p.ref.flowLog.FlowLogId, defaultNode.flowLog.FlowLogId);
    const deadline = Date.now() + 20_000;
    while (!panelLog(fx, p).posted.some((m) => m.type === 'init')) {
      if (Date.now() > deadline) {
        await p.handle({ type: 'ready' }); // a host that does not run webview scripts: the same message
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await p.whenIdle();
    assert.deepEqual(p.query, {
      range: { startMs: run.range.startTime * 1000, endMs: run.range.endTime * 1000 + 999 },
      filters: [
        { field: 'srcaddr', value: row[0] },
        { field: 'dstport', value: String(row[1]) },
        { field: 'action', value: 'REJECT' },
      ],
    });
    await p.handle({ type: 'loadAll' });
    await p.whenIdle();
    assert.equal(p.lastOutcome?.status, 'done', JSON.stringify(p.lastOutcome));
    // The panel's records are exactly the row's: as many as Insights counted, all of that pair.
    assert.equal((await loadedRows(fx, p)).length, row[2], 'records shown = the row\'s "Rejected records"');
    const at = recordLayout(defaultNode.flowLog.LogFormat).index;
    assert.ok(
      (await loadedRows(fx, p)).every(
        (r) => r.v[at.srcaddr] === row[0] && r.v[at.dstport] === String(row[1]) && r.v[at.action] === 'REJECT',
      ),
    );
    p.panel.dispose();
  });

  it("the analysis page: one nonce'd script (media/dist/insightsPage.js, Chart.js bundled in), the policy the shell writes", async () => {
    const run = await analyze(defaultNode, [defaultNode], { analysis: 'topTalkers', ...past(60) });
    await run.done;
    const html = run.panel.webview.html;
    const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1].replace(/&#39;/g, "'") ?? '';
    const nonce = /script-src 'nonce-([^']+)'/.exec(policy)?.[1];
    assert.match(policy, /^default-src 'none';/);
    assert.ok(nonce, policy);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1, scripts.join('\n'));
    assert.ok(scripts[0].startsWith(`<script nonce="${nonce}" src="`) && scripts[0].includes('/media/dist/insightsPage.js'), scripts[0]);
    run.panel.dispose();
  });
});
