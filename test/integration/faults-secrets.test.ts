// Fault suite, last file: after a session with faults (this file's own, plus every faults-*
// file that ran before it in this extension host), the output channel holds no secret access
// key and no session token that a test configured.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  fixture,
  Fixture,
  children,
  profileNode,
  regionNode,
  loadToEnd,
  label,
  setting,
  defaultAccounts,
  type EmulatorAccount,
  type TreeNode,
} from './helpers';
import { configuredSecrets, registerSecret, errorNodes, logMark } from './faultHelpers';

const GOOD_TOKEN = 'IQoJb3JpZ2luX2VjEGOODsessionTOKENsecretsTest9876543210zyxwvuEXAMPLE';
const EXPIRED_TOKEN = 'IQoJb3JpZ2luX2VjEXPIREDsessionTOKENsecretsTest0123456789abcdEXAMPLE';
const WRONG_SECRET = 'wrongSecretForTheSecretsTest+/abcdefghijklmnopqrstEXAMPLE';

describe('faults: no configured secret reaches the output channel', function () {
  this.timeout(90_000);
  let fx: Fixture;
  let accts: EmulatorAccount[];

  before(async () => {
    await setting('pageSize', 5);
    await setting('maxAttempts', 2);
    accts = defaultAccounts(25);
    accts[0].expiredSessionTokens = [EXPIRED_TOKEN];
    registerSecret(GOOD_TOKEN, EXPIRED_TOKEN, WRONG_SECRET, ...accts.map((a) => a.secretAccessKey));
    fx = await fixture({
      accounts: accts,
      profiles: (a) => [
        { name: 'session', account: a[0], region: 'us-east-1', sessionToken: GOOD_TOKEN },
        { name: 'expired', account: a[0], region: 'us-east-1', sessionToken: EXPIRED_TOKEN },
        { name: 'wrong', account: a[1], region: 'us-east-1', secretAccessKey: WRONG_SECRET },
        { name: 'plain', account: a[1], region: 'us-east-1' },
      ],
    });
  });
  after(async () => {
    await setting('pageSize', undefined);
    await setting('maxAttempts', undefined);
    await fx.stop();
  });

  it('a session with throttling, 500s, drops, expired and wrong credentials logs no secret', async () => {
    const since = logMark(fx.api, 'secrets session');
    fx.emulator.setFaults([
      { fault: 'throttle', action: 'DescribeFlowLogs', rate: 0.3 },
      { fault: 'internalError', action: 'DescribeFlowLogs', nth: 4 },
      { fault: 'drop', action: 'DescribeFlowLogs', nth: 7 },
    ]);
    const shown: TreeNode[] = [];
    for (const name of ['expired', 'wrong']) {
      const kids = await children(fx.api, await profileNode(fx.api, name));
      assert.equal(errorNodes(kids).length, 1, `${name}: ${kids.map(label).join(' | ')}`);
      shown.push(...kids);
    }
    for (const name of ['session', 'plain']) {
      const r = await regionNode(fx.api, name, 'us-east-1');
      let all = await loadToEnd(fx.api, r);
      // Retry the failed pages until the listing completes (the faults are finite).
      for (let i = 0; i < 10 && errorNodes(all).length; i++) {
        await vscode.commands.executeCommand('flowLogs.retry', errorNodes(all)[0]);
        all = await loadToEnd(fx.api, r);
      }
      assert.equal(errorNodes(all).length, 0, `${name}: ${all.map(label).join(' | ')}`);
      shown.push(...all);
    }
    fx.emulator.setFaults([]);
    // The session token was really sent (so it had a chance to leak).
    assert.ok(fx.emulator.requests.some((q) => q.sessionToken && q.accountId === accts[0].accountId && q.status === 200));
    assert.ok(
      fx.emulator.requests.some((q) => q.faults.length > 0),
      'faults fired',
    );

    const session = since();
    assert.ok(session.length >= 10, `the session was logged (${session.length} lines)`);
    assert.ok(session.some((l) => /attempt failed/.test(l)));
    assert.ok(session.some((l) => /GetCallerIdentity profile=expired ->/.test(l)));
    const treeText = shown
      .map((n) => {
        const item = n.getTreeItem();
        const tip = item.tooltip;
        return [label(n), item.description, typeof tip === 'string' ? tip : tip?.value].join(' ');
      })
      .join('\n');
    for (const secret of [GOOD_TOKEN, EXPIRED_TOKEN, WRONG_SECRET, ...accts.map((a) => a.secretAccessKey!)]) {
      assert.ok(!treeText.includes(secret), `a configured secret (${secret.slice(0, 6)}…) is shown in the tree`);
    }
  });

  it('the whole output channel (every fault file of this run) contains none of the configured secrets', () => {
    const lines = fx.api.outputLines();
    assert.ok(lines.length > 20, `lines kept: ${lines.length}`);
    assert.ok(configuredSecrets.size >= 5, `secrets registered: ${configuredSecrets.size}`);
    const leaked = [...configuredSecrets].filter((s) => lines.some((l) => l.includes(s)));
    assert.deepEqual(
      leaked.map((s) => `${s.slice(0, 6)}…`),
      [],
    );
    // Not even a long fragment of one (a truncated or split secret).
    const fragments = [...configuredSecrets].filter((s) => s.length >= 24).map((s) => s.slice(4, 20));
    assert.deepEqual(
      fragments.filter((f) => lines.some((l) => l.includes(f))),
      [],
    );
  });
});
