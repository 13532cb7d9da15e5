// Create Flow Log… from the Coverage view in the real VS Code host against the local endpoint: the
// "Not covered" group's VPCs become "Covered" in one flow. The multi-step input is driven through
// fake quick picks and input boxes (the test replaces window.createQuickPick/createInputBox, as
// other tests replace showQuickPick), Back included; the modal confirmation is answered by a stub.
// DryRun first (the endpoint's request log), per-resource results, the denied, partial and
// read-only cases, Delete Flow Log(s) and Edit Tags.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { VpcNode } from '../../src/tree/coverageNodes';
import type { WriteResult } from '../../src/commands/writeCommands';
import type { RegionCoverage } from '../../src/coverage/types';
import { defaultAccounts, fixture, Fixture, isFlowLog, label, loadToEnd, regionNode, setting, TreeNode } from './helpers';

type WindowKey = 'showWarningMessage' | 'createQuickPick' | 'createInputBox';
function stub(key: WindowKey, value: unknown): () => void {
  const w = vscode.window as unknown as Record<string, unknown>;
  const original = Object.getOwnPropertyDescriptor(w, key);
  Object.defineProperty(w, key, { configurable: true, writable: true, value });
  return () => {
    if (original) Object.defineProperty(w, key, original);
  };
}

/** An answer for a question (by its placeholder or prompt): an item label, labels (many), text, or 'BACK'. */
type Script = (question: string, step: number | undefined, labels: string[]) => string | string[];

/** Fake quick picks and input boxes that answer from `script` and record every question with its step. */
function driveInputs(script: Script): { asked: string[]; restore: () => void } {
  const asked: string[] = [];
  const events = () => {
    const handlers: ((x?: unknown) => void)[] = [];
    return { on: (h: (x?: unknown) => void) => (handlers.push(h), { dispose() {} }), fire: (x?: unknown) => handlers.forEach((h) => h(x)) };
  };
  const makePick = () => {
    const accept = events();
    const button = events();
    const hide = events();
    const qp = {
      title: '',
      step: undefined as number | undefined,
      totalSteps: undefined as number | undefined,
      placeholder: '',
      items: [] as vscode.QuickPickItem[],
      selectedItems: [] as readonly vscode.QuickPickItem[],
      canSelectMany: false,
      ignoreFocusOut: false,
      buttons: [] as vscode.QuickInputButton[],
      onDidAccept: accept.on,
      onDidTriggerButton: button.on,
      onDidHide: hide.on,
      show() {
        setTimeout(() => {
          asked.push(`${qp.step}/${qp.totalSteps} ${qp.placeholder}`);
          const answer = script(
            qp.placeholder,
            qp.step,
            qp.items.map((i) => i.label),
          );
          if (answer === 'BACK') {
            assert.ok(qp.buttons.includes(vscode.QuickInputButtons.Back), `Back offered at ${qp.placeholder}`);
            return button.fire(vscode.QuickInputButtons.Back);
          }
          const wanted = Array.isArray(answer) ? answer : [answer];
          qp.selectedItems = qp.items.filter((i) => wanted.includes(i.label));
          assert.equal(qp.selectedItems.length, wanted.length, `${qp.placeholder}: ${wanted} among ${qp.items.map((i) => i.label)}`);
          accept.fire();
        }, 0);
      },
      dispose() {},
    };
    return qp;
  };
  const makeBox = () => {
    const accept = events();
    const button = events();
    const hide = events();
    const change = events();
    const box = {
      title: '',
      step: undefined as number | undefined,
      totalSteps: undefined as number | undefined,
      prompt: '',
      value: '',
      placeholder: '',
      validationMessage: undefined as string | undefined,
      ignoreFocusOut: false,
      buttons: [] as vscode.QuickInputButton[],
      onDidAccept: accept.on,
      onDidTriggerButton: button.on,
      onDidHide: hide.on,
      onDidChangeValue: change.on,
      show() {
        setTimeout(() => {
          asked.push(`${box.step}/${box.totalSteps} ${box.prompt}`);
          const answer = script(box.prompt, box.step, []);
          if (answer === 'BACK') return button.fire(vscode.QuickInputButtons.Back);
          box.value = String(answer);
          change.fire(box.value);
          accept.fire();
          if (box.validationMessage) hide.fire();
        }, 0);
      },
      dispose() {},
    };
    return box;
  };
  const r1 = stub('createQuickPick', makePick);
  const r2 = stub('createInputBox', makeBox);
  return {
    asked,
    restore: () => {
      r1();
      r2();
    },
  };
}

describe('Create, delete and tag flow logs (DryRun first)', function () {
  this.timeout(120_000);
  let fx: Fixture;
  const [acct1, base2] = defaultAccounts(8);
  const acct2 = { ...base2, deniedActions: ['ec2:CreateFlowLogs'] };
  const region = 'us-east-1';

  before(async () => {
    await setting('regions', { acct1: [region], acct2: [region] });
    fx = await fixture({ accounts: [acct1, acct2], coverageCases: true });
  });
  after(async () => {
    await setting('regions', undefined);
    await setting('readOnly', undefined);
    await fx.stop();
  });

  const kids = async (n?: TreeNode) => (await fx.api.coverage.getChildren(n)) as TreeNode[];
  const regionRow = async (profile: string) => {
    const p = (await kids()).find((n) => label(n) === profile)!;
    return (await kids(p)).find((n) => label(n) === region)!;
  };
  const writes = (action: string) => fx.emulator.requests.filter((r) => r.action === action);

  it('turns the "Not covered" group into "Covered" in one flow: questions with Back and steps, DryRun, confirmation, then the real request', async () => {
    const results = (await vscode.commands.executeCommand('flowLogs.checkCoverage')) as RegionCoverage[];
    const mine = results.find((r) => r.profileName === 'acct1' && r.region === region)!;
    const group = (await kids(await regionRow('acct1'))).find((n) => label(n) === 'Not covered')!;
    const vpcIds = ((await kids(group)) as VpcNode[]).map((v) => v.vpc.vpcId);
    assert.ok(vpcIds.length >= 2, JSON.stringify(mine.vpcs.map((v) => v.verdict)));
    fx.emulator.resetRequests();
    let wentBack = false;
    const inputs = driveInputs((q) => {
      if (q === 'Traffic to record') return 'REJECT';
      if (q === 'Destination') {
        if (!wentBack) {
          wentBack = true;
          return 'BACK';
        }
        return 'CloudWatch Logs';
      }
      if (q === 'Log group') return '$(add) New log group…';
      if (q === 'Name of the new log group') return '/it/flow-logs';
      if (q === 'Keep records for') return '30 days';
      if (q.startsWith('IAM role')) return 'flow-logs-delivery';
      if (q === 'Aggregation interval') return '60 seconds';
      if (q === 'Record format') return 'All fields';
      if (q.startsWith('Name tag')) return 'made-in-test';
      if (q.startsWith('Other tags')) return 'team=net; owner=it';
      throw new Error(`unexpected question ${q}`);
    });
    const confirmations: { text: string; detail?: string }[] = [];
    const restoreWarn = stub('showWarningMessage', async (text: string, opts?: { detail?: string }) => {
      confirmations.push({ text, detail: opts?.detail });
      return 'Create';
    });
    let result: WriteResult;
    try {
      result = (await vscode.commands.executeCommand('flowLogs.createFlowLog', group)) as WriteResult;
    } finally {
      inputs.restore();
      restoreWarn();
    }
    // Back returned to the first question; every question carried its step.
    assert.deepEqual(inputs.asked.slice(0, 3), ['1/7 Traffic to record', '2/7 Destination', '1/7 Traffic to record']);
    assert.ok(inputs.asked.some((a) => a.startsWith('4/7 IAM role')));
    assert.ok(inputs.asked.some((a) => a === '7/7 Other tags: key=value; key=value (empty: none)'));
    // One confirmation, after the DryRun, naming what will be created and the CLI line.
    assert.equal(confirmations.length, 1);
    assert.match(confirmations[0].text, new RegExp(`Create ${vpcIds.length} flow log\\(s\\) in ${region}\\? The DryRun succeeded\\.`));
    assert.match(
      confirmations[0].detail!,
      /aws ec2 create-flow-logs --profile acct1 --region us-east-1 --resource-type VPC --resource-ids/,
    );
    assert.match(confirmations[0].detail!, /keeping records 30 days/);
    assert.equal(result.dryRun, 'wouldSucceed');
    assert.deepEqual(
      result.lines.map((l) => [l.resourceId, l.ok]),
      vpcIds.map((id) => [id, true]),
    );
    // The endpoint saw the DryRun first, then the log group, then the real request.
    const order = fx.emulator.requests
      .filter((r) => ['CreateFlowLogs', 'CreateLogGroup', 'PutRetentionPolicy'].includes(r.action))
      .map((r) => `${r.action}${r.dryRun ? ' DryRun' : ''} ${r.status}`);
    assert.deepEqual(order, ['CreateFlowLogs DryRun 412', 'CreateLogGroup 200', 'PutRetentionPolicy 200', 'CreateFlowLogs 200']);
    const created = fx.emulator.flowLogs(acct1.accountId, region).filter((f) => f.LogGroupName === '/it/flow-logs');
    assert.deepEqual(created.map((f) => f.ResourceId).sort(), [...vpcIds].sort());
    assert.equal(created[0].MaxAggregationInterval, 60);
    assert.equal(created[0].TrafficType, 'REJECT');
    assert.ok(created[0].LogFormat!.includes('${reject-reason}'));
    assert.deepEqual(created[0].Tags, [
      { Key: 'Name', Value: 'made-in-test' },
      { Key: 'team', Value: 'net' },
      { Key: 'owner', Value: 'it' },
    ]);
    // The Coverage view checked the region again: those VPCs are Covered, no "Not covered" group is left.
    const now = fx.api.coverage.results.find((r) => r.profileName === 'acct1' && r.region === region)!;
    for (const id of vpcIds) assert.equal(now.vpcs.find((v) => v.vpcId === id)?.verdict, 'covered', id);
    assert.ok(!(await kids(await regionRow('acct1'))).some((n) => label(n) === 'Not covered'));
    assert.ok(fx.api.outputLines().some((l) => /CreateFlowLogs acct1 us-east-1: vpc-[0-9a-f]+: created fl-/.test(l)));
  });

  it('partial: an unknown VPC is reported with AWS message, the other is created', async () => {
    const partly = fx.api.coverage.results
      .find((r) => r.profileName === 'acct1' && r.region === region)!
      .vpcs.find((v) => v.verdict === 'partlyCovered')!;
    const restoreWarn = stub('showWarningMessage', async () => 'Create');
    let result: WriteResult;
    try {
      result = (await vscode.commands.executeCommand('flowLogs.createFlowLog', {
        profile: 'acct1',
        region,
        resourceIds: [partly.vpcId, 'vpc-0000000000000dead'],
        choices: {
          traffic: 'ALL',
          destination: {
            kind: 'cloud-watch-logs',
            logGroupName: '/it/partial',
            roleArn: `arn:aws:iam::${acct1.accountId}:role/flow-logs-delivery`,
          },
          interval: 600,
          format: { kind: 'default' },
        },
      })) as WriteResult;
    } finally {
      restoreWarn();
    }
    assert.deepEqual(
      result.lines.map((l) => [l.resourceId, l.ok]),
      [
        [partly.vpcId, true],
        ['vpc-0000000000000dead', false],
      ],
    );
    assert.match(result.lines[1].text, /InvalidVpcID\.NotFound: The vpc ID 'vpc-0000000000000dead' does not exist/);
    assert.equal(
      fx.api.coverage.results.find((r) => r.profileName === 'acct1')!.vpcs.find((v) => v.vpcId === partly.vpcId)?.verdict,
      'covered',
    );
  });

  it('denied: the DryRun says no, nothing is asked and nothing is sent for real', async () => {
    const vpc = fx.emulator.network(acct2.accountId, region).vpcs.find((v) => v.OwnerId === acct2.accountId)!.VpcId;
    fx.emulator.resetRequests();
    let asked = 0;
    const restoreWarn = stub('showWarningMessage', async () => {
      asked++;
      return 'Create';
    });
    let result: WriteResult;
    try {
      result = (await vscode.commands.executeCommand('flowLogs.createFlowLog', {
        profile: 'acct2',
        region,
        resourceIds: [vpc],
        choices: {
          traffic: 'REJECT',
          destination: {
            kind: 'cloud-watch-logs',
            logGroupName: '/it/denied',
            roleArn: `arn:aws:iam::${acct2.accountId}:role/flow-logs-delivery`,
          },
          interval: 600,
          format: { kind: 'default' },
        },
      })) as WriteResult;
    } finally {
      restoreWarn();
    }
    assert.equal(asked, 0, 'no confirmation after a denied DryRun');
    assert.match(result.dryRun, /Not authorized for ec2:CreateFlowLogs/);
    assert.deepEqual(
      writes('CreateFlowLogs').map((r) => [r.dryRun, r.status]),
      [[true, 403]],
    );
  });

  it('Edit Tags and Delete Flow Log(s): DryRun, modal naming them, then the change; the region reloads', async () => {
    const target = fx.emulator.flowLogs(acct1.accountId, region).find((f) => f.LogGroupName === '/it/partial')!;
    // The flow log's node in the Flow Logs view, as the context menu hands it.
    const listed = (await loadToEnd(fx.api, await regionNode(fx.api, 'acct1', region))).filter(isFlowLog);
    const ref = listed.find((n) => n.ref.flowLog.FlowLogId === target.FlowLogId)!;
    assert.ok(ref, 'the created flow log is listed after the region reloaded');
    fx.emulator.resetRequests();
    const texts: string[] = [];
    const restoreWarn = stub('showWarningMessage', async (text: string, opts?: { detail?: string }) => {
      texts.push(`${text}\n${opts?.detail ?? ''}`);
      return text.startsWith('Change the tags') ? 'Change Tags' : 'Delete';
    });
    try {
      const tagged = (await vscode.commands.executeCommand('flowLogs.editFlowLogTags', ref, {
        tags: [{ Key: 'Name', Value: 'renamed' }],
      })) as WriteResult;
      assert.ok(tagged.lines[0].ok, tagged.lines[0]?.text);
      assert.deepEqual(fx.emulator.flowLogs(acct1.accountId, region).find((f) => f.FlowLogId === target.FlowLogId)?.Tags, [
        { Key: 'Name', Value: 'renamed' },
      ]);
      const deleted = (await vscode.commands.executeCommand('flowLogs.deleteFlowLogs', ref)) as WriteResult;
      assert.deepEqual(
        deleted.lines.map((l) => l.ok),
        [true],
      );
    } finally {
      restoreWarn();
    }
    assert.match(
      texts[1],
      new RegExp(
        `Delete 1 flow log\\(s\\)\\?[\\s\\S]*${target.FlowLogId}[\\s\\S]*aws ec2 delete-flow-logs --profile acct1 --region us-east-1 --flow-log-ids ${target.FlowLogId}`,
      ),
    );
    assert.deepEqual(
      fx.emulator.requests
        .filter((r) => /Tags|FlowLogs/.test(r.action) && r.action !== 'DescribeFlowLogs')
        .map((r) => `${r.action}${r.dryRun ? ' DryRun' : ''} ${r.status}`),
      ['CreateTags DryRun 412', 'CreateTags 200', 'DeleteFlowLogs DryRun 412', 'DeleteFlowLogs 200'],
    );
    assert.ok(!fx.emulator.flowLogs(acct1.accountId, region).some((f) => f.FlowLogId === target.FlowLogId));
  });

  it('flowLogs.readOnly refuses every write, sending nothing', async () => {
    await setting('readOnly', true);
    fx.emulator.resetRequests();
    try {
      for (const c of ['flowLogs.createFlowLog', 'flowLogs.deleteFlowLogs', 'flowLogs.editFlowLogTags'])
        assert.equal(
          await vscode.commands.executeCommand(c, { profile: 'acct1', region, resourceIds: ['vpc-0123456789abcdef0'] }),
          undefined,
          c,
        );
      // Garbage and nothing at all are refused the same way.
      assert.equal(await vscode.commands.executeCommand('flowLogs.createFlowLog', 42), undefined);
    } finally {
      await setting('readOnly', undefined);
    }
    assert.equal(fx.emulator.requests.filter((r) => /Create|Delete|Tags/.test(r.action)).length, 0);
  });
});
