// Fault suite, issue 13 (defects found under attack), as the user sees them in the real VS Code:
// a credential program with a secret on its command line (1), one that never exits (3, 10), a
// response body that stalls (2), a server that sends empty pages forever to Load All (4), a
// session token pasted above the first section (6), a lone surrogate in a LogGroupName (9), and
// the wrong-secret profile after Check Permissions (issue 14, item 3).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  fixture,
  Fixture,
  children,
  profileNode,
  regionNode,
  ids,
  label,
  setting,
  isError,
  isLoadMore,
  isFlowLog,
  defaultAccounts,
  description,
} from './helpers';
import { registerSecret, logMark, dfl, lastSeq, settles, freshRegion, errorNodes } from './faultHelpers';

const API_TOKEN = 'S3cretApiTokenFromTheCommandLine0123456789';
const WRONG_SECRET = 'wrongSecretKeyForAttackTests0000000000EXAMPLE';
const PASTED_TOKEN = 'IQoJb3JpZ2luX2VjEPastedSessionTokenAttackTest0123456789abcdefXYZ==';
const REGION = 'us-east-1';

/** Milliseconds from `start`, for the observed numbers in TESTING.md (printed, never asserted). */
const since = (start: number) => Math.round(performance.now() - start);
/** Records an observed number (test-artifacts/issue13-observed.txt), for TESTING.md. */
function observe(line: string): void {
  const dir = process.env.FLOWLOGS_TEST_ARTIFACTS;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, 'issue13-observed.txt'), `${new Date().toISOString()} ${line}\n`);
}

describe('faults: defects found under attack (issue 13)', function () {
  this.timeout(120_000);
  let fx: Fixture;
  let log: () => string[];
  const tooltip = (n: { getTreeItem(): vscode.TreeItem }) => {
    const t = n.getTreeItem().tooltip;
    return typeof t === 'string' ? t : ((t as vscode.MarkdownString | undefined)?.value ?? '');
  };

  before(async () => {
    await setting('pageSize', 5);
    await setting('maxAttempts', 1);
    await setting('credentialProcessTimeoutSeconds', 2).catch(() => undefined); // (so this file also runs against the code before the fix)
    const accts = defaultAccounts(12);
    registerSecret(API_TOKEN, WRONG_SECRET, PASTED_TOKEN, ...accts.map((x) => x.secretAccessKey));
    fx = await fixture({
      accounts: accts,
      profiles: (a) => [
        { name: 'good1', account: a[0], region: REGION },
        { name: 'bad-secret', account: a[0], region: REGION, secretAccessKey: WRONG_SECRET },
      ],
      extraConfig: [
        '',
        '[profile proc-secret]',
        `credential_process = /bin/false --api-token=${API_TOKEN}`,
        `region = ${REGION}`,
        '',
        '[profile proc-slow]',
        'credential_process = sleep 40',
        `region = ${REGION}`,
        '',
      ].join('\n'),
    });
    log = logMark(fx.api, 'attack');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['pageSize', 'maxAttempts', 'credentialProcessTimeoutSeconds', 'requestTimeoutSeconds'])
      await setting(key, undefined);
    await fx.stop();
  });

  it('defect 1: a credential program with a token on its command line: one error node, no command line or token anywhere', async () => {
    const kids = await children(fx.api, await profileNode(fx.api, 'proc-secret'));
    assert.equal(kids.length, 1, kids.map(label).join(' | '));
    assert.ok(isError(kids[0]));
    assert.equal(
      label(kids[0]),
      'Credentials could not be loaded for profile "proc-secret": the credential program (credential_process) failed (exit 1); run it in a terminal to see why',
    );
    const everything = [label(kids[0]), tooltip(kids[0]), description(kids[0]), ...log()].join('\n');
    for (const word of [API_TOKEN, API_TOKEN.slice(0, 16), '/bin/false', '--api-token'])
      assert.ok(!everything.includes(word), `"${word}" was shown`);
    assert.ok(
      log().some((l) => l.includes('credential_process of profile proc-secret failed (exit 1)')),
      'the output channel says which profile failed',
    );
  });

  it('defects 3 and 10: a credential program that never exits: stopped after the timeout, ONE credentials error node (not a timeout per region); Refresh does not pile up runs', async () => {
    const start = performance.now();
    const p = await profileNode(fx.api, 'proc-slow');
    // Two Refreshes while it runs: each asks again, and the run in flight is shared.
    const first = children(fx.api, p);
    await vscode.commands.executeCommand('flowLogs.refresh');
    await vscode.commands.executeCommand('flowLogs.refresh');
    await settles(first, 'the first load of proc-slow');
    const kids = await settles(children(fx.api, await profileNode(fx.api, 'proc-slow')), 'proc-slow after the Refreshes');
    const ms = since(start);
    assert.equal(kids.length, 1, kids.map(label).join(' | '));
    assert.ok(isError(kids[0]));
    assert.equal(kids[0].error.kind, 'credentials');
    assert.match(
      label(kids[0]),
      /^Credentials could not be loaded for profile "proc-slow": the credential program \(credential_process\) did not finish within 2 s and was stopped/,
    );
    assert.doesNotMatch(label(kids[0]), /requestTimeoutSeconds/);
    const stopped = log().filter((l) => l.includes('credential_process of profile proc-slow: no answer within 2 s; stopped it'));
    assert.ok(stopped.length >= 1 && stopped.length <= 2, `${stopped.length} runs were stopped (one per Refresh would be 3)`);
    observe(`defects 3/10: error node after ${ms} ms, ${stopped.length} credential_process run(s) for 1 load + 2 Refreshes`);
  });

  it('defect 2: a response body that stalls: the region shows a timeout error node, after one request (maxAttempts 1)', async () => {
    await setting('requestTimeoutSeconds', 2);
    try {
      const r = await freshRegion(fx.api, 'good1', REGION);
      const seq = lastSeq(fx.emulator);
      fx.emulator.setFaults([{ fault: 'stallBody', action: 'DescribeFlowLogs', nth: 1 }]);
      const start = performance.now();
      const kids = await settles(children(fx.api, r), 'the stalled region');
      const ms = since(start);
      fx.emulator.setFaults([]);
      const errs = errorNodes(kids);
      assert.equal(errs.length, 1, kids.map(label).join(' | '));
      assert.equal(errs[0].error.kind, 'timeout');
      assert.equal(dfl(fx.emulator, seq).length, 1);
      observe(`defect 2: timeout error node after ${ms} ms, ${dfl(fx.emulator, seq).length} request`);
    } finally {
      fx.emulator.setFaults([]);
      await setting('requestTimeoutSeconds', undefined);
    }
  });

  it('defect 4: Load All against empty pages with a fresh token forever: stops on no progress, says why, keeps page 1, Load more… stays', async () => {
    const r = await freshRegion(fx.api, 'good1', REGION);
    await children(fx.api, r); // page 1
    const seq = lastSeq(fx.emulator);
    fx.emulator.setFaults([{ fault: 'emptyPageWithToken', action: 'DescribeFlowLogs' }]);
    try {
      const start = performance.now();
      await settles(Promise.resolve(vscode.commands.executeCommand('flowLogs.loadAll', r)), 'Load All');
      const ms = since(start);
      const kids = await children(fx.api, r);
      const truth = fx.emulator.flowLogs('111111111111', REGION).map((f) => f.FlowLogId);
      assert.deepEqual(ids(kids), truth.slice(0, 5), 'the flow logs of page 1 are kept');
      assert.ok(kids.some(isLoadMore), 'Load more… stays');
      assert.ok(
        kids.some((k) => label(k) === 'Load All stopped: 50 empty pages in a row from the server'),
        kids.map(label).join(' | '),
      );
      assert.ok(!kids.some((k) => label(k) === 'No flow logs'));
      assert.equal(dfl(fx.emulator, seq).length, 50);
      observe(`defect 4a: Load All stopped after ${dfl(fx.emulator, seq).length} requests in ${ms} ms, ${ids(kids).length} flow logs kept`);
    } finally {
      fx.emulator.setFaults([]);
    }
  });

  it('defect 8: twenty Refreshes during loads (200 ms latency): at most one request per shown node, none fails, detached nodes never load', async () => {
    fx.emulator.setFaults([{ fault: 'latency', action: 'DescribeFlowLogs', latencyMs: 200, jitterMs: 50 }]);
    const mark = logMark(fx.api, 'twenty refreshes');
    const seq = lastSeq(fx.emulator);
    try {
      const pending: Promise<unknown>[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await regionNode(fx.api, 'good1', REGION);
        pending.push(children(fx.api, r));
        if (i % 3 === 1) pending.push(Promise.resolve(vscode.commands.executeCommand('flowLogs.loadMore', r)));
        pending.push(Promise.resolve(vscode.commands.executeCommand('flowLogs.refresh')));
        await new Promise((res) => setTimeout(res, i % 2 ? 30 : 120));
      }
      await settles(Promise.allSettled(pending), 'the pending loads', 60_000);
      // A stale node asked again after the Refreshes (as VS Code may) does not load.
      const stale = await regionNode(fx.api, 'good1', REGION);
      await vscode.commands.executeCommand('flowLogs.refresh');
      const before = dfl(fx.emulator, seq).length;
      assert.deepEqual(await children(fx.api, stale), []);
      assert.equal(dfl(fx.emulator, seq).length, before, 'a detached node sent nothing');
      fx.emulator.setFaults([]);
      const kids = await children(fx.api, await regionNode(fx.api, 'good1', REGION));
      assert.equal(ids(kids).length, 5);
      const sent = dfl(fx.emulator, seq).length;
      assert.ok(sent <= 21, `${sent} DescribeFlowLogs requests for 20 shown nodes and the final one`);
      assert.ok(!mark().some((l) => /DescribeFlowLogs .* -> (TimeoutError|timeout)/.test(l)), 'no request failed as a timeout');
      observe(`defect 8: ${sent} DescribeFlowLogs requests for 20 Refreshes + the final load`);
    } finally {
      fx.emulator.setFaults([]);
    }
  });

  it('defect 9: a LogGroupName that is a lone surrogate: the detail panel renders', async () => {
    const logs = fx.emulator.flowLogs('111111111111', REGION);
    fx.emulator.setFlowLogs('111111111111', REGION, [
      { ...logs[0], LogGroupName: '\uD800', LogDestinationType: 'cloud-watch-logs' },
      ...logs.slice(1),
    ]);
    const r = await freshRegion(fx.api, 'good1', REGION);
    const node = (await children(fx.api, r)).filter(isFlowLog)[0];
    assert.equal(node.flowLog.LogGroupName, '\uD800', 'the SDK decoded the character reference to a lone surrogate');
    await vscode.commands.executeCommand('flowLogs.showDetails', node);
    const html = fx.api.openDetailPanels()[0]?.panel.webview.html ?? '';
    assert.ok(html.includes(logs[0].FlowLogId!), 'the panel shows the flow log');
    observe(`defect 9: panel HTML ${html.length} characters for a LogGroupName of U+D800`);
    fx.emulator.setFlowLogs('111111111111', REGION, logs);
  });

  it('issue 14 item 3: the wrong-secret profile reads as a credentials error everywhere: tree, Check Permissions, the profile description', async () => {
    const p = await profileNode(fx.api, 'bad-secret');
    const tree = (await children(fx.api, p))[0];
    assert.ok(isError(tree));
    const result = (await vscode.commands.executeCommand('flowLogs.checkPermissions', p)) as {
      allowed: boolean;
      error?: { kind: string; message: string };
    };
    assert.equal(result.allowed, false);
    assert.equal(result.error?.kind, 'credentials');
    assert.equal(result.error?.message, label(tree), 'one wording in the tree and in Check Permissions');
    assert.equal(label(tree), 'Invalid credentials for profile "bad-secret": AWS rejected the access key ID or the secret access key');
    const desc = String((await profileNode(fx.api, 'bad-secret')).getTreeItem().description);
    assert.match(desc, /invalid credentials/);
    assert.doesNotMatch(desc, /denied/);
  });

  it('defect 7: the tree lists what the SDK loads: [profile café] and [profile x] in the credentials file are not listed but explained; upper-case keys are not usable', async () => {
    const credentials = fs.readFileSync(path.join(fx.dir, 'credentials'), 'utf8');
    const config = fs.readFileSync(path.join(fx.dir, 'config'), 'utf8');
    const a = defaultAccounts(1)[0];
    const extraConfig = [
      '',
      '[profile café]',
      `aws_access_key_id = ${a.accessKeyId}`,
      `aws_secret_access_key = ${a.secretAccessKey}`,
      '',
      '[profile upper]',
      `region = ${REGION}`,
      `AWS_ACCESS_KEY_ID = ${a.accessKeyId}`,
      `AWS_SECRET_ACCESS_KEY = ${a.secretAccessKey}`,
      '',
    ].join('\n');
    const extraCredentials = [
      '',
      '[profile credx]',
      `aws_access_key_id = ${a.accessKeyId}`,
      `aws_secret_access_key = ${a.secretAccessKey}`,
      '',
    ].join('\n');
    fx.writeConfig(config + extraConfig, credentials + extraCredentials);
    try {
      await vscode.commands.executeCommand('flowLogs.refresh');
      const roots = await children(fx.api);
      const names = roots.filter((n) => n.kind === 'profile').map(label);
      assert.ok(!names.includes('café') && !names.includes('credx'), names.join(', '));
      const upper = await children(fx.api, await profileNode(fx.api, 'upper'));
      assert.ok(isError(upper[0]), 'upper-case keys: the profile is not usable, as for the SDK');
      const problems = roots.find((n) => n.id === 'configProblems');
      assert.ok(problems);
      const tip = tooltip(problems);
      assert.match(tip, /profile "café" is not read by the AWS SDK/);
      assert.match(tip, /\[profile credx\] in the credentials file is not read as profile "credx" by the AWS SDK: write \[credx\]/);
      assert.match(tip, /profile "upper": the AWS SDK reads keys as written; write aws_access_key_id in lower case/);
    } finally {
      fx.writeConfig(config, credentials);
      await vscode.commands.executeCommand('flowLogs.refresh');
    }
  });

  it('also found: a restored detail panel only opens profiles the view shows (no request for a hidden one)', async () => {
    await setting('profiles', ['good1']);
    try {
      const panel = vscode.window.createWebviewPanel('flowLogs.detail', 'restored', vscode.ViewColumn.Active, {});
      fx.emulator.resetRequests();
      const target = fx.emulator.flowLogs('111111111111', REGION)[1];
      await fx.api.detailPanels.deserializeWebviewPanel(panel, {
        profile: 'bad-secret',
        region: REGION,
        flowLogId: target.FlowLogId,
      } as never);
      const restored = fx.api.openDetailPanels().find((x) => x.panel === panel);
      assert.match(restored?.panel.webview.html ?? '', /Select a flow log/);
      assert.equal(fx.emulator.requests.length, 0, 'no credentials resolved, nothing sent');
      panel.dispose();
    } finally {
      await setting('profiles', undefined);
    }
  });

  it('issue 23.8: a restored records panel only opens profiles the view shows (the same rule as the detail panel)', async () => {
    await setting('profiles', ['good1']);
    const target = fx.emulator.flowLogs('111111111111', REGION).find((f) => f.LogDestinationType === 'cloud-watch-logs')!;
    try {
      const hidden = vscode.window.createWebviewPanel('flowLogs.records', 'restored', vscode.ViewColumn.Active, {});
      fx.emulator.resetRequests();
      await fx.api.recordsPanels.deserializeWebviewPanel(hidden, {
        profile: 'bad-secret',
        region: REGION,
        flowLogId: target.FlowLogId,
      } as never);
      assert.equal(fx.emulator.requests.length, 0, 'no credentials resolved for a hidden profile, nothing sent');
      assert.match(hidden.webview.html, /records from the Flow Logs view/);
      hidden.dispose();
      // A shown profile's panel is restored (the same call does reach the endpoint).
      const shown = vscode.window.createWebviewPanel('flowLogs.records', 'restored', vscode.ViewColumn.Active, {});
      fx.emulator.resetRequests();
      await fx.api.recordsPanels.deserializeWebviewPanel(shown, { profile: 'good1', region: REGION, flowLogId: target.FlowLogId } as never);
      assert.ok(fx.emulator.requests.some((q) => q.action === 'DescribeFlowLogs'));
      shown.dispose();
    } finally {
      await setting('profiles', undefined);
    }
  });

  it('defect 6: a session token pasted above the first [section] is never shown (root node, tooltip, output)', async () => {
    const credentials = fs.readFileSync(path.join(fx.dir, 'credentials'), 'utf8');
    const config = fs.readFileSync(path.join(fx.dir, 'config'), 'utf8');
    const mark = logMark(fx.api, 'pasted token');
    fx.writeConfig(config, `${PASTED_TOKEN}\n${credentials}`);
    try {
      await vscode.commands.executeCommand('flowLogs.refresh');
      const roots = await children(fx.api);
      const problems = roots.find((n) => n.id === 'configProblems');
      assert.ok(problems, roots.map(label).join(' | '));
      const shown = [label(problems), description(problems), tooltip(problems), ...mark()].join('\n');
      assert.ok(shown.includes(`${path.join(fx.dir, 'credentials')}:1`), shown);
      for (const part of [PASTED_TOKEN, PASTED_TOKEN.slice(0, 12), PASTED_TOKEN.slice(20, 36)])
        assert.ok(!shown.includes(part), `"${part}" was shown`);
    } finally {
      fx.writeConfig(config, credentials);
      await vscode.commands.executeCommand('flowLogs.refresh');
    }
  });
});
