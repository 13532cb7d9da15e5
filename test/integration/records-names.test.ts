// Address names and Explain this record in the records panel (issue 27 items 2 and 4), in the real
// VS Code host against the local endpoint: the panel is asked for the names of the addresses of the
// rows in view (the page's own validated message), names them through the AWS workers with the flow
// log's profile and region and posts the name map back; the endpoint's interfaces come back as
// their instances (Name tags), ALB and NAT gateway. Explain from a REJECT record runs
// flowLogs.explainRecord with the panel's profile and region.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RecordsPanel } from '../../src/recordsView/recordsPanel';
import type { ExplainOutcome } from '../../src/commands/explainCommands';
import { EXPLAIN_FIELDS } from '../../src/webviews/records/protocol';
import {
  fixture,
  Fixture,
  children,
  regionNode,
  isFlowLog,
  defaultAccounts,
  sleep,
  loadToEnd,
  type FlowLogNode,
  panelLog,
  loadedRows,
} from './helpers';
import { streamsOf } from '../emulator/logs/records';

const A1 = '111111111111';
const REGION = 'us-east-1';

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  for (let waited = 0; !cond(); waited += 25) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('records panel: address names and Explain', function () {
  this.timeout(180_000);
  let fx: Fixture;
  let nodes: FlowLogNode[];

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
  const fieldsOf = (p: RecordsPanel) =>
    (panelLog(fx, p).posted.find((m) => m.type === 'init') as unknown as { fields: { name: string }[] }).fields;

  before(async () => {
    fx = await fixture({ accounts: defaultAccounts(40) });
    await children(fx.api);
    nodes = (await loadToEnd(fx.api, await regionNode(fx.api, 'acct1', REGION)))
      .filter(isFlowLog)
      .filter(
        (n) =>
          n.flowLog.LogDestinationType === 'cloud-watch-logs' &&
          n.flowLog.DeliverLogsStatus !== 'FAILED' &&
          !n.flowLog.ResourceId?.startsWith('eni-') &&
          (!n.flowLog.LogFormat || n.flowLog.LogFormat.startsWith('${version} ${account-id} ${interface-id} ${srcaddr}')),
      );
    assert.ok(nodes.length > 0, 'default-format CloudWatch Logs flow logs');
  });
  after(async () => {
    for (const p of fx.api.openRecordsPanels()) p.panel.dispose();
    await fx?.stop();
  });

  it('the addresses of the rows in view are named: instances by Name tag, the ALB, the NAT gateway', async () => {
    const owners = fx.emulator.network(A1, REGION).owners!.interfaces;
    const kindOf = (e: (typeof owners)[number]) =>
      e.InterfaceType === 'nat_gateway'
        ? 'nat'
        : e.Description.startsWith('ELB app/')
          ? 'alb'
          : e.Attachment?.InstanceId
            ? 'instance'
            : 'other';
    // The flow logs whose interfaces include the kinds wanted, most kinds first.
    const ranked = nodes
      .map((n) => {
        const enis = new Set(streamsOf(7, A1, REGION, n.flowLog).enis);
        return { n, kinds: new Set(owners.filter((e) => enis.has(e.NetworkInterfaceId)).map(kindOf)) };
      })
      .sort((a, b) => b.kinds.size - a.kinds.size);
    const seen = new Map<string, string>();
    const before = fx.api.workerAnswers.findInterfacesPage ?? 0;
    for (const { n, kinds } of ranked.slice(0, 4)) {
      if (![...kinds].some((k) => k !== 'other' && !seen.has(k))) continue;
      const p = await open(n);
      const fields = fieldsOf(p).map((f) => f.name);
      const src = fields.indexOf('srcaddr');
      const dst = fields.indexOf('dstaddr');
      // What the page asks for: the addresses of the rows in view, 500 at most per request.
      const addresses = [...new Set((await loadedRows(fx, p)).flatMap((r) => [r.v[src], r.v[dst]]).filter((a) => a && a !== '-'))].slice(
        0,
        500,
      );
      assert.ok(addresses.length > 10, 'rows with addresses');
      await p.handle({ type: 'names', addresses });
      const posted = [...panelLog(fx, p).posted].reverse().find((m) => m.type === 'names');
      assert.ok(posted && (posted.count as number) > 0 && !posted.error, `names were posted: ${JSON.stringify(posted)}`);
      for (const e of owners) {
        const name = panelLog(fx, p).names.get(e.PrivateIpAddress);
        if (!name) continue;
        assert.equal(name.interfaceId, e.NetworkInterfaceId, `${e.PrivateIpAddress} is its interface`);
        const k = kindOf(e);
        if (k !== 'other' && !seen.has(k)) seen.set(k, name.label);
        if (k === 'instance') assert.ok(name.openable?.includes(e.Attachment!.InstanceId!), 'the instance can be opened in the console');
        assert.ok(name.subnetId, `the subnet of ${e.NetworkInterfaceId} for the details pane`);
        if (e.Groups.length) assert.equal(name.groups?.length, e.Groups.length, `the security groups of ${e.NetworkInterfaceId}`);
      }
      p.panel.dispose();
      if (seen.size === 3) break;
    }
    assert.match(seen.get('instance') ?? '', /^(prod|staging)-\w+-\d+ \(i-[0-9a-f]{17}\)$/, 'an instance by its Name tag');
    assert.match(seen.get('alb') ?? '', /^ALB \S+$/, 'the ALB by its name');
    assert.match(seen.get('nat') ?? '', /^NAT gateway nat-[0-9a-f]{17}$/, 'the NAT gateway');
    assert.ok((fx.api.workerAnswers.findInterfacesPage ?? 0) > before, 'the lookups went through the AWS workers');
  });

  it('asking again is answered from the cache; a bad request is dropped', async () => {
    const p = await open(nodes[0]);
    const fields = fieldsOf(p).map((f) => f.name);
    const addresses = [...new Set((await loadedRows(fx, p)).slice(0, 40).map((r) => r.v[fields.indexOf('srcaddr')]))].filter(
      (a) => a !== '-',
    );
    await p.handle({ type: 'names', addresses });
    const requests = fx.api.workerAnswers.findInterfacesPage ?? 0;
    await p.handle({ type: 'names', addresses });
    assert.equal(fx.api.workerAnswers.findInterfacesPage ?? 0, requests, 'no new request for names already known');
    const n = panelLog(fx, p).posted.length;
    for (const bad of [
      { type: 'names', addresses: ['<b>x</b>'] },
      { type: 'explain', record: { srcaddr: '1.2.3.4' } },
      { type: 'openResource', id: 'https://x' },
    ])
      await p.handle(bad);
    assert.equal(panelLog(fx, p).posted.length, n, 'nothing was done for them');
    p.panel.dispose();
  });

  it('Explain from a REJECT record runs flowLogs.explainRecord with the panel profile and region', async () => {
    const p = await open(nodes[0]);
    // The records the network ACL denies (203.0.113.0/24 inbound), over a day so some are there.
    await p.handle({
      type: 'run',
      query: {
        range: { preset: '24h' },
        filters: [
          { field: 'action', value: 'REJECT' },
          { field: 'srcaddr', value: '203.0.113.0/24' },
        ],
      },
    });
    await p.whenIdle();
    const fields = fieldsOf(p).map((f) => f.name);
    const rec = (await loadedRows(fx, p)).find((r) => r.v[fields.indexOf('log-status')] === 'OK');
    assert.ok(rec, 'a REJECT record from 203.0.113.0/24');
    // The message the page posts: the record's fields Explain reads, by name.
    const record = Object.fromEntries(EXPLAIN_FIELDS.filter((f) => fields.includes(f)).map((f) => [f, rec.v[fields.indexOf(f)]] as const));
    await p.handle({ type: 'explain', record });
    const out = panelLog(fx, p).explained.at(-1) as ExplainOutcome;
    assert.ok(out?.ok, out && !out.ok ? out.message : 'an outcome');
    assert.equal(out.result.explanation?.deniedBy, 'network-acl');
    assert.equal(out.result.explanation?.networkAcl.entry?.RuleNumber, 50);
    assert.equal(out.result.dst?.interfaceId, record['interface-id'], 'the destination is the record interface');
    const status = [...panelLog(fx, p).posted].reverse().find((m) => m.type === 'status');
    assert.match(String(status?.text), /^Explained: Rejected: the network ACL \(rule 50/);
    p.panel.dispose();
  });
});
