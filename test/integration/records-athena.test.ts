// Records over long ranges through Athena (issue 25.4) in the real VS Code: a range of an S3 flow
// log over flowLogs.records.athenaAboveObjects makes the records panel offer the paths (a panel
// state, no pop-up); Read through Athena creates the table (the Analyze with Athena path's check
// and confirmation), runs the SELECT through the AWS worker on the local endpoint (DuckDB over
// its own S3 objects) and pages the answer into the worker's store; the records are EXACTLY those
// the object path loads, and the endpoint's ground truth, for text and Parquet layouts; the path
// is named with its query id; no output location is an error state with Open Athena Settings.
import * as assert from 'node:assert/strict';
import type { FlowLog } from '../../src/shared/types';
import type { RecordsPanel } from '../../src/recordsView/recordsPanel';
import { partitionRange } from '../../src/athena/table';
import { recordLayout } from '../../src/shared/recordsFields';
import { parseMessage } from '../../src/shared/recordsParse';
import { recordPredicate, type FieldFilter } from '../../src/shared/recordsFilters';
import * as vscode from 'vscode';
import { fixture, type Fixture, children, regionNode, setting, isFlowLog, sleep, type FlowLogNode, panelLog, loadedRows } from './helpers';

const REGION = 'us-east-1';
const HOUR = 3_600_000;

async function until(what: string, cond: () => boolean, ms = 60_000): Promise<void> {
  for (let waited = 0; !cond(); waited += 25) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('records panel: long ranges through Athena', function () {
  this.timeout(300_000);
  let fx: Fixture;
  let nodes: FlowLogNode[];
  const bucketOf = (f: FlowLog) => /^arn:[^:]+:s3:::([^/]+)/.exec(f.LogDestination ?? '')![1];

  const truth = (f: FlowLog, startMs: number, endMs: number, filters: FieldFilter[] = []): string[] => {
    const layout = recordLayout(f.LogFormat);
    return fx.emulator.s3
      .records(f, startMs, endMs)
      .rows.map((r) => parseMessage(layout, r.join(' '), 0))
      .filter(recordPredicate(layout, filters))
      .map((r) => r.v.join(' '))
      .sort();
  };
  /** Two hours ending at least an hour ago whose partitions hold no corrupt object (Athena fails on those, as a gzip reader must). */
  function cleanRange(f: FlowLog): { startMs: number; endMs: number } {
    const perHour = !!f.DestinationOptions?.PerHourPartition;
    const corrupt = fx.emulator.s3.objects(bucketOf(f)).filter((o) => o.kind === 'corrupt' && o.flowLogId === f.FlowLogId);
    for (let end = Math.floor((Date.now() - HOUR) / 60_000) * 60_000; ; end -= HOUR) {
      const r = partitionRange(perHour, end - 2 * HOUR, end);
      const bad = corrupt.some((o) => {
        const k = partitionRange(perHour, o.windowStart + 300_000, o.windowStart + 300_001).first;
        return k >= r.first && k <= r.last;
      });
      if (!bad) return { startMs: end - 2 * HOUR, endMs: end };
    }
  }
  async function open(node: FlowLogNode): Promise<RecordsPanel> {
    const p = (await vscode.commands.executeCommand('flowLogs.showRecords', node)) as RecordsPanel | undefined;
    assert.ok(p, 'a records panel opened');
    try {
      await until('the webview to say ready', () => panelLog(fx, p).posted.some((m) => m.type === 'init'), 15_000);
    } catch {
      await p.handle({ type: 'ready' }); // a host that does not run webview scripts: the same message
    }
    await until('the first query to stop', () => panelLog(fx, p).posted.some((m) => m.type === 'state' && m.status !== 'loading'));
    await p.whenIdle();
    return p;
  }
  const lastOf = <T extends string>(p: RecordsPanel, type: T) =>
    [...panelLog(fx, p).posted].reverse().find((m) => m.type === type) as Record<string, unknown> | undefined;
  const rows = async (p: RecordsPanel) => (await loadedRows(fx, p)).map((r) => r.v.join(' ')).sort();
  async function loadAll(p: RecordsPanel): Promise<void> {
    await p.whenIdle();
    await p.handle({ type: 'loadAll' });
    await p.whenIdle();
  }

  before(async () => {
    await setting('athena.outputLocation', 's3://athena-results/out/');
    // Any range of more than one object offers Athena.
    await setting('records.athenaAboveObjects', 1);
    fx = await fixture({ s3: { largeObjectRecords: 300 } });
    await vscode.commands.executeCommand('flowLogs.refresh');
    nodes = (await children(fx.api, await regionNode(fx.api, 'acct1', REGION)))
      .filter(isFlowLog)
      .filter((n) => n.flowLog.LogDestinationType === 's3' && n.flowLog.DeliverLogsStatus !== 'FAILED');
    assert.ok(nodes.length >= 2, `fixture sanity: ${nodes.length} s3 flow logs`);
  });
  afterEach(async () => {
    for (const p of fx.api.openRecordsPanels()) p.panel.dispose();
    await until('panels closed', () => fx.api.openRecordsPanels().length === 0);
  });
  after(async () => {
    await setting('athena.outputLocation', undefined);
    await setting('records.athenaAboveObjects', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fx?.stop();
  });

  for (const format of ['plain-text', 'parquet']) {
    it(`${format}: the offer is a panel state; through Athena the records equal the objects' and the ground truth, with and without filters`, async () => {
      // Athena chooses records by their start field: a format with it (the default has it).
      const node = nodes.find(
        (n) =>
          (n.flowLog.DestinationOptions?.FileFormat ?? 'plain-text') === format &&
          (!n.flowLog.LogFormat || n.flowLog.LogFormat.includes('${start}')),
      );
      assert.ok(node, `the data has a ${format} S3 flow log`);
      const range = cleanRange(node.flowLog);
      const p = await open(node);
      await p.handle({ type: 'run', query: { range, filters: [] } });
      await p.whenIdle();
      // The range holds more objects than the setting: the panel offers, reads nothing.
      assert.equal(lastOf(p, 'state')?.status, 'choose', JSON.stringify(lastOf(p, 'state')));
      const offer = lastOf(p, 'readPath')!;
      assert.equal(offer.offer, true);
      assert.match(String(offer.text), /objects \(setting flowLogs\.records\.athenaAboveObjects: 1\)/);
      assert.equal(p.loaded, 0);

      // Filters the data matches: the action of a record of the range, any port but 22, an IPv4 /8 of either address.
      const layout = recordLayout(node.flowLog.LogFormat);
      const sample = truth(node.flowLog, range.startMs, range.endMs)
        .map((r) => r.split(' '))
        .find((v) => /^\d+\.\d+\.\d+\.\d+$/.test(v[layout.index.srcaddr]))!;
      const some: FieldFilter[] = [
        { field: 'action', value: sample[layout.index.action] },
        { field: 'dstport', value: '!22' },
        { field: 'srcaddr|dstaddr', value: `${sample[layout.index.srcaddr].split('.')[0]}.0.0.0/8` },
      ];
      for (const filters of [[], some]) {
        await p.handle({ type: 'run', query: { range, filters } });
        await p.whenIdle();
        await p.readVia('athena', { confirm: true });
        await loadAll(p);
        const state = lastOf(p, 'state')!;
        assert.equal(state.status, 'done', JSON.stringify(state));
        const throughAthena = await rows(p);
        const path = lastOf(p, 'readPath')!;
        assert.equal(path.path, 'athena');
        assert.match(
          String(path.text),
          new RegExp(`^Read through Athena: ${throughAthena.length.toLocaleString('en')} records, [\\d.]+ MB scanned, query id [0-9a-f-]+`),
        );
        assert.ok(path.queryId);
        // Open query: the SQL that ran, in a .sql file with the Run Athena Query CodeLens on where it ran.
        await p.handle({ type: 'openAthenaQuery' });
        await until('the query editor', () => vscode.window.activeTextEditor?.document.languageId === 'sql', 15_000);
        const editor = vscode.window.activeTextEditor!;
        assert.match(editor.document.getText(), /^SELECT [\s\S]+\bFROM\b/);
        assert.ok(editor.document.uri.path.endsWith('.sql') && editor.document.uri.scheme !== 'untitled', editor.document.uri.toString());
        const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', editor.document.uri)) as vscode.CodeLens[];
        assert.ok(
          lenses.some((l) => /Run Athena Query on .+ · us-east-1 · workgroup primary/.test(l.command?.title ?? '')),
          lenses.map((l) => l.command?.title).join(' | '),
        );
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

        await p.readVia('objects');
        await loadAll(p);
        assert.equal(lastOf(p, 'state')?.status, 'done');
        assert.equal(lastOf(p, 'readPath')?.path, 'objects');
        const fromObjects = await rows(p);
        const want = truth(node.flowLog, range.startMs, range.endMs, filters);
        assert.ok(want.length > 5, `the range holds such records (${want.length})`);
        assert.deepEqual(fromObjects, want, 'the object path gives the ground truth');
        assert.deepEqual(throughAthena, want, `${format} ${JSON.stringify(filters)}: the same records through Athena`);
      }
    });
  }

  it('Athena without a query result location: an error state with Open Athena Settings, and Retry', async () => {
    await setting('athena.outputLocation', undefined);
    try {
      const node = nodes[0];
      const p = await open(node);
      await p.readVia('athena', { confirm: true });
      await p.whenIdle();
      const state = lastOf(p, 'state')!;
      assert.equal(state.status, 'error');
      const error = state.error as { message: string; actions: string[] };
      assert.match(error.message, /no query result location/);
      assert.deepEqual(error.actions, ['athenaSettings', 'retry']);
    } finally {
      await setting('athena.outputLocation', 's3://athena-results/out/');
    }
  });
});
