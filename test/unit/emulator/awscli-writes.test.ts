// The local endpoint's write calls (issue 26) as the AWS CLI sees them: Debian's `awscli` 2.9
// (/usr/bin/aws, installed by scripts/ensure-system-deps.sh for the unit layer) with
// --endpoint-url: create-flow-logs and delete-flow-logs, each with --dry-run first.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { defaultAccounts, startEmulator, type Emulator } from '../../emulator/server';

const AWS = '/usr/bin/aws';

/** Runs the CLI; never throws for a non-zero exit (a DryRun answer is one). */
function aws(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(AWS, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      if (e && typeof e.code === 'string') {
        reject(new Error(`${AWS} did not run (${e.code}): install Debian's awscli (bash scripts/ensure-system-deps.sh unit)`));
        return;
      }
      resolve({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the AWS CLI against the local endpoint: create-flow-logs, delete-flow-logs (issue 26)', function () {
  this.timeout(120_000);
  const region = 'us-east-1';
  const [acct] = defaultAccounts(1);
  let em: Emulator;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    em = await startEmulator({ accounts: [acct], seed: 7 });
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: acct.accessKeyId,
      AWS_SECRET_ACCESS_KEY: acct.secretAccessKey!,
      AWS_DEFAULT_REGION: region,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    };
  });
  after(async () => {
    await em?.stop();
  });

  it('DryRun answers DryRunOperation (412) and creates nothing; the real call creates; delete answers per ID', async () => {
    const logged = new Set(em.flowLogs(acct.accountId, region).map((l) => l.ResourceId));
    const vpc = em.network(acct.accountId, region).vpcs.find((v) => v.OwnerId === acct.accountId && !logged.has(v.VpcId))!;
    assert.ok(vpc, 'an unlogged VPC of the account');
    const before = em.flowLogs(acct.accountId, region).length;
    const create = [
      'ec2',
      'create-flow-logs',
      '--endpoint-url',
      em.url,
      '--output',
      'json',
      '--resource-type',
      'VPC',
      '--resource-ids',
      vpc.VpcId!,
      '--traffic-type',
      'REJECT',
      '--log-group-name',
      '/cli/flow',
      '--deliver-logs-permission-arn',
      `arn:aws:iam::${acct.accountId}:role/flow-logs-delivery`,
    ];
    em.resetRequests();
    const dry = await aws([...create, '--dry-run'], env);
    assert.notEqual(dry.code, 0, dry.stdout);
    assert.match(dry.stderr, /\(DryRunOperation\).*Request would have succeeded, but DryRun flag is set/);
    assert.deepEqual(
      em.requests.filter((r) => r.action === 'CreateFlowLogs').map((r) => [r.dryRun, r.status]),
      [[true, 412]],
    );
    assert.equal(em.flowLogs(acct.accountId, region).length, before, 'DryRun created nothing');

    const made = await aws(create, env);
    assert.equal(made.code, 0, made.stderr);
    const out = JSON.parse(made.stdout) as { FlowLogIds: string[]; Unsuccessful?: unknown[] };
    assert.equal(out.FlowLogIds.length, 1);
    assert.match(out.FlowLogIds[0], /^fl-[0-9a-f]{17}$/);
    assert.deepEqual(out.Unsuccessful ?? [], []);
    const created = em.flowLogs(acct.accountId, region).find((l) => l.FlowLogId === out.FlowLogIds[0]);
    assert.deepEqual([created?.ResourceId, created?.TrafficType, created?.LogGroupName], [vpc.VpcId, 'REJECT', '/cli/flow']);

    // The same again: a per-resource Unsuccessful item, exit 0 (the request itself succeeded).
    const again = await aws(create, env);
    assert.equal(again.code, 0, again.stderr);
    const againOut = JSON.parse(again.stdout) as { FlowLogIds: string[]; Unsuccessful: { ResourceId: string; Error: { Code: string } }[] };
    assert.deepEqual(againOut.FlowLogIds, []);
    assert.deepEqual(
      againOut.Unsuccessful.map((u) => [u.ResourceId, u.Error.Code]),
      [[vpc.VpcId, 'FlowLogAlreadyExists']],
    );

    const del = ['ec2', 'delete-flow-logs', '--endpoint-url', em.url, '--output', 'json', '--flow-log-ids', out.FlowLogIds[0]];
    const delDry = await aws([...del, '--dry-run'], env);
    assert.notEqual(delDry.code, 0);
    assert.match(delDry.stderr, /\(DryRunOperation\)/);
    assert.ok(
      em.flowLogs(acct.accountId, region).some((l) => l.FlowLogId === out.FlowLogIds[0]),
      'DryRun deleted nothing',
    );
    const gone = await aws([...del, 'fl-0000000000000dead'], env);
    assert.equal(gone.code, 0, gone.stderr);
    const goneOut = JSON.parse(gone.stdout) as { Unsuccessful: { ResourceId: string; Error: { Code: string } }[] };
    assert.deepEqual(
      goneOut.Unsuccessful.map((u) => [u.ResourceId, u.Error.Code]),
      [['fl-0000000000000dead', 'InvalidFlowLogId.NotFound']],
    );
    assert.equal(em.flowLogs(acct.accountId, region).length, before);
  });
});
