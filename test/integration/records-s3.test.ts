// The records panel for S3 flow logs in the real VS Code: Show Records on an s3 flow log in each
// layout and format, exact records against the endpoint's ground truth, export contents, a corrupt
// object skipped and named, and the error states. Records travel: local endpoint (S3) -> AWS
// worker (SDK, gunzip / hyparquet, filters) -> extension host -> webview.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
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
} from './helpers';
import { recordLayout } from '../../src/shared/recordsFields';
import { parseMessage } from '../../src/shared/recordsParse';
import { recordPredicate, type FieldFilter } from '../../src/shared/recordsFilters';

const REGION = 'us-east-1';
const HOUR = 3_600_000;

async function until(what: string, cond: () => boolean, ms = 60_000): Promise<void> {
  for (let waited = 0; !cond(); waited += 25) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('records panel (S3)', function () {
  this.timeout(240_000);
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
  async function runAll(p: RecordsPanel, range: { startMs: number; endMs: number }, filters: FieldFilter[] = []): Promise<void> {
    await p.handle({ type: 'run', query: { range, filters } });
    await p.whenIdle();
    await p.handle({ type: 'loadAll' });
    await p.whenIdle();
  }
  const lastState = (p: RecordsPanel) => [...panelLog(fx, p).posted].reverse().find((m) => m.type === 'state')!;
  const closeAll = async () => {
    for (const p of fx.api.openRecordsPanels()) p.panel.dispose();
    await until('panels closed', () => fx.api.openRecordsPanels().length === 0);
  };

  before(async () => {
    await setting('pageSize', 100);
    const now = Date.now();
    fx = await fixture({ accounts: defaultAccounts(40), s3: { largeObjectRecords: 2000, now: () => now } });
    await sleep(300);
    await vscode.commands.executeCommand('flowLogs.refresh');
    nodes = (await children(fx.api, await regionNode(fx.api, 'acct1', REGION)))
      .filter(isFlowLog)
      .filter((n) => n.flowLog.LogDestinationType === 's3');
    assert.ok(nodes.length >= 4, `fixture sanity: ${nodes.length} s3 flow logs`);
  });
  afterEach(async () => {
    fx.emulator.setFaults([]);
    fx.emulator.s3.configure({ deny: [], kmsBuckets: [], missingBuckets: [] });
    await closeAll();
  });
  after(async () => {
    await closeAll();
    await setting('pageSize', undefined);
    await fx?.stop();
  });

  it('Show Records on S3 flow logs in each layout and format: exact records against the ground truth', async () => {
    const seen = new Set<string>();
    const range = {
      startMs: Math.floor((Date.now() - 3 * HOUR) / 60_000) * 60_000,
      endMs: Math.floor((Date.now() - HOUR) / 60_000) * 60_000,
    };
    for (const node of nodes) {
      const o = node.flowLog.DestinationOptions ?? {};
      const combo = `${o.HiveCompatiblePartitions ? 'hive' : 'default'}/${o.PerHourPartition ? 'hourly' : 'daily'}/${o.FileFormat}`;
      if (seen.has(combo)) continue;
      seen.add(combo);
      const p = await open(node);
      assert.equal(panelLog(fx, p).posted.find((m) => m.type === 'init')?.source, 's3');
      await runAll(p, range);
      const state = lastState(p);
      assert.equal(state.status, 'done', `${combo}: ${JSON.stringify(state)}`);
      const want = truth(node.flowLog, range.startMs, range.endMs);
      assert.ok(want.length > 20, `${combo}: ${want.length}`);
      assert.deepEqual((await loadedRows(fx, p)).map((r) => r.v.join(' ')).sort(), want, combo);
      const s3 = (state.progress as { s3?: { objectsRead: number; bytesRead: number; listedAll: boolean } }).s3!;
      assert.ok(s3.objectsRead > 0 && s3.bytesRead > 0 && s3.listedAll, JSON.stringify(s3));
      p.panel.dispose();
    }
    assert.ok(seen.size >= 4, [...seen].join(' '));
  });

  it('filters and export (CSV) of an S3 flow log', async () => {
    const node = nodes.find((n) => n.flowLog.DestinationOptions?.FileFormat === 'parquet') ?? nodes[0];
    const p = await open(node);
    const range = {
      startMs: Math.floor((Date.now() - 2 * HOUR) / 60_000) * 60_000,
      endMs: Math.floor((Date.now() - HOUR) / 60_000) * 60_000,
    };
    const filters: FieldFilter[] = [{ field: 'log-status', value: 'OK' }];
    const layout = recordLayout(node.flowLog.LogFormat);
    const usable = layout.index['log-status'] !== undefined ? filters : [];
    await runAll(p, range, usable);
    const want = truth(node.flowLog, range.startMs, range.endMs, usable);
    assert.deepEqual((await loadedRows(fx, p)).map((r) => r.v.join(' ')).sort(), want);
    const file = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 's3-export-')), 'x.csv'));
    await p.exportTo('csv', file);
    const lines = fs.readFileSync(file.fsPath, 'utf8').trim().split(/\r?\n/);
    assert.equal(lines.length, want.length + 1);
    // "Open in console" goes to the bucket's folder in the S3 console, not to CloudWatch.
    assert.match(p.consoleUrl() ?? '', new RegExp(`^https://[^ ]*/s3/buckets/${bucketOf(node.flowLog)}`));
  });

  it('a corrupt object is skipped and named; the rest is exact', async () => {
    const pick = nodes
      .map((n) => ({
        n,
        c: fx.emulator.s3.objects(bucketOf(n.flowLog)).find((o) => o.flowLogId === n.flowLog.FlowLogId && o.kind === 'corrupt'),
      }))
      .find((x) => x.c)!;
    assert.ok(pick, 'fixture sanity: a corrupt object');
    const p = await open(pick.n);
    const range = {
      startMs: Math.floor((pick.c!.windowStart - HOUR) / 60_000) * 60_000,
      endMs: Math.floor((pick.c!.windowStart + HOUR) / 60_000) * 60_000,
    };
    await runAll(p, range);
    const state = lastState(p);
    assert.equal(state.status, 'done');
    const s3 = (state.progress as { s3: { skipped: { key: string; why: string }[] } }).s3;
    assert.deepEqual(
      s3.skipped.map((s) => s.key),
      [pick.c!.key],
    );
    assert.deepEqual((await loadedRows(fx, p)).map((r) => r.v.join(' ')).sort(), truth(pick.n.flowLog, range.startMs, range.endMs));
  });

  it('error states: access denied names s3:ListBucket and the bucket, NoSuchBucket, KMS, SlowDown; Retry recovers', async () => {
    const node = nodes[0];
    const bucket = bucketOf(node.flowLog);
    const range = {
      startMs: Math.floor((Date.now() - 2 * HOUR) / 60_000) * 60_000,
      endMs: Math.floor((Date.now() - HOUR) / 60_000) * 60_000,
    };
    const p = await open(node);
    const attempt = async () => {
      await p.handle({ type: 'run', query: { range, filters: [] } });
      await p.whenIdle();
      return lastState(p) as unknown as { status: string; error?: { kind: string; message: string; actions: string[] } };
    };
    fx.emulator.s3.configure({ deny: [{ action: 's3:ListBucket', bucket }] });
    let s = await attempt();
    assert.equal(s.error?.kind, 'denied');
    assert.match(s.error!.message, new RegExp(`s3:ListBucket on bucket ${bucket}`));
    fx.emulator.s3.configure({ deny: [], missingBuckets: [bucket] });
    s = await attempt();
    assert.equal(s.error?.kind, 'notFound');
    assert.ok(s.error!.message.includes(bucket));
    fx.emulator.s3.configure({ missingBuckets: [], kmsBuckets: [bucket] });
    s = await attempt();
    assert.equal(s.error?.kind, 'kms');
    fx.emulator.s3.configure({ kmsBuckets: [] });
    fx.emulator.setFaults([{ fault: 'throttle', action: 'GetObject' }]);
    s = await attempt();
    assert.equal(s.error?.kind, 'throttled');
    assert.ok(s.error!.actions.includes('retry'));
    fx.emulator.setFaults([]);
    await p.handle({ type: 'loadAll' });
    await p.whenIdle();
    assert.equal(lastState(p).status, 'done');
    assert.deepEqual((await loadedRows(fx, p)).map((r) => r.v.join(' ')).sort(), truth(node.flowLog, range.startMs, range.endMs));
  });
});
