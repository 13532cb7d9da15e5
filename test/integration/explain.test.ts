// Explain This Record in the real VS Code host against the local endpoint (issue 27): a REJECT
// record of the endpoint's own CloudWatch Logs records shows who both ends are and the rule that
// decided, through the AWS workers; whatever else VS Code may pass gets a message, never a throw.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { children, defaultAccounts, fixture, isFlowLog, loadToEnd, regionNode, sleep, type Fixture, type FlowLogNode } from './helpers';
import type { AnalysisRun } from '../../src/insightsView/analysisPanel';
import { streamsOf, windowEvents } from '../emulator/logs/records';
import type { ExplainOutcome } from '../../src/commands/explainCommands';

describe('Explain This Record', function () {
  let fx: Fixture;
  const accounts = defaultAccounts(40);
  const [acct] = accounts;
  const region = acct.regions[0];
  type Rec = Record<string, string>;
  let records: Rec[];

  before(async () => {
    fx = await fixture({ accounts });
    await children(fx.api); // the profiles are read (and the workers told about them)
    records = [];
    const logs = fx.emulator
      .flowLogs(acct.accountId, region)
      .filter((f) => f.LogDestinationType === 'cloud-watch-logs' && f.DeliverLogsStatus !== 'FAILED' && !f.ResourceId?.startsWith('eni-'));
    for (const f of logs) {
      const s = streamsOf(7, acct.accountId, region, f);
      for (let w = 2_900_000; w < 2_900_040; w++)
        for (const e of windowEvents(s, w)) {
          const v = e.message.split(' ');
          records.push(Object.fromEntries(s.fields.map((name, i) => [name, v[i]])));
        }
    }
  });
  after(async () => {
    await fx?.stop();
  });

  const explain = (record: unknown) =>
    vscode.commands.executeCommand('flowLogs.explainRecord', { profile: 'acct1', region, record }) as Thenable<ExplainOutcome>;

  it('a REJECT from the range the network ACL denies: both ends named, network ACL rule 50 decided', async () => {
    const rec = records.find((r) => r.action === 'REJECT' && r.srcaddr?.startsWith('203.0.113.') && r['log-status'] === 'OK');
    assert.ok(rec, 'a REJECT record from 203.0.113.0/24 in the demo data');
    const before = fx.api.workerAnswers.findInterfacesPage ?? 0;
    const out = await explain(rec);
    assert.ok(out.ok, !out.ok ? out.message : '');
    assert.equal(out.result.explanation?.verdict, 'deny');
    assert.equal(out.result.explanation?.deniedBy, 'network-acl');
    assert.equal(out.result.explanation?.networkAcl.entry?.RuleNumber, 50);
    assert.match(out.summary, /^Rejected: the network ACL \(rule 50: inbound all traffic from 203\.0\.113\.0\/24 DENY\)/);
    assert.equal(out.result.src?.kind, 'public');
    assert.ok(out.result.dst?.interfaceId === rec['interface-id'], 'the destination is the interface, named');
    assert.match(out.markdown, /\| destination \| 10\.\d+\.\d+\.\d+ \| .+ \|/);
    assert.ok((fx.api.workerAnswers.findInterfacesPage ?? 0) > before, 'the lookups went through the AWS workers');
    // The explanation is on screen, as a Markdown document.
    assert.ok(vscode.workspace.textDocuments.some((d) => d.languageId === 'markdown' && d.getText().includes(out.summary.slice(0, 40))));
  });

  it('a scan of an instance rejected by a missing security group rule names the instance and says no rule allows it', async () => {
    let found: ExplainOutcome | undefined;
    const scans = records.filter(
      (r) => r.action === 'REJECT' && r.protocol === '6' && /^(52|54|34|151|185)\./.test(r.srcaddr ?? '') && /^10\./.test(r.dstaddr ?? ''),
    );
    for (const r of scans.slice(0, 30)) {
      const out = await explain(r);
      if (out.ok && out.result.local?.kind === 'instance') {
        found = out;
        break;
      }
    }
    assert.ok(found?.ok, 'a rejected scan of an instance');
    assert.equal(found.result.explanation?.deniedBy, 'security-group');
    assert.match(found.result.local!.label, /^(prod|staging)-\w+-\d+ \(i-[0-9a-f]{17}\)$/, 'the instance by its Name tag');
    assert.match(found.summary, /security groups \(no rule allows it\)/);
    assert.match(found.markdown, /## Security groups \(stateful/);
    assert.match(found.markdown, /## Network ACL .*\(stateless/);
  });

  for (const analysis of ['topTalkers', 'perInterface'] as const)
    it(`the ${analysis} analysis names its rows' interfaces (Insights)`, async () => {
      fx.emulator.logs.insights.runningMs = 200;
      const nodes = (await loadToEnd(fx.api, await regionNode(fx.api, 'acct1', region)))
        .filter(isFlowLog)
        .filter(
          (n: FlowLogNode) =>
            n.flowLog.LogDestinationType === 'cloud-watch-logs' &&
            n.flowLog.DeliverLogsStatus !== 'FAILED' &&
            !n.flowLog.ResourceId?.startsWith('eni-') &&
            (!n.flowLog.LogFormat || n.flowLog.LogFormat.startsWith('${version} ${account-id} ${interface-id} ${srcaddr}')),
        );
      const node = nodes[0];
      assert.ok(node, 'a default-format CloudWatch flow log');
      const endTime = Date.now() - 20 * 60_000;
      const run = (await vscode.commands.executeCommand('flowLogs.analyze', node, [node], {
        analysis,
        startTime: endTime - 120 * 60_000,
        endTime,
      })) as AnalysisRun;
      const outcome = await run.done;
      assert.equal(outcome.state, 'complete', outcome.summary);
      for (let i = 0; i < 100 && !run.names; i++) await sleep(100);
      assert.ok(run.names, 'names came');
      const owners = fx.emulator.network(acct.accountId, region).owners!.interfaces;
      const mine = owners.filter((e) => outcome.table.rows.some((r) => r.includes(e.PrivateIpAddress) || r.includes(e.NetworkInterfaceId)));
      assert.ok(mine.length > 0, 'the rows hold interfaces of the records');
      for (const e of mine) {
        const key = outcome.table.rows.some((r) => r.includes(e.NetworkInterfaceId)) ? e.NetworkInterfaceId : e.PrivateIpAddress;
        assert.ok(run.names![key], `${key} (${e.Description}) is named`);
      }
    });

  it('accepts whatever VS Code may pass: undefined, a URI, a number, a record without an interface', async () => {
    for (const arg of [
      undefined,
      vscode.Uri.file('/tmp/x'),
      42,
      'text',
      { profile: 'acct1', region, record: { srcaddr: '-', dstaddr: '-' } },
    ]) {
      const out = (await vscode.commands.executeCommand('flowLogs.explainRecord', arg)) as ExplainOutcome;
      assert.equal(out.ok, false);
      assert.ok(!out.ok && out.message.length > 10);
    }
  });
});
