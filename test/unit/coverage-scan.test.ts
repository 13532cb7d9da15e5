// The join under paging: VPCs, subnets and flow logs on different pages, duplicates across pages,
// a repeated NextToken, interface lookups in chunks, errors as values; then the whole check
// against the emulator through the real SDK (every VPC once, the verdict the ground truth gives);
// and the Markdown and CSV reports, escaped.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCoverage, CoverageSource, INTERFACE_IDS_PER_REQUEST, scanRegion, summarizeCoverage } from '../../src/coverage/scan';
import { coverageCsv, coverageMarkdown, csvField, escapeMarkdownCell } from '../../src/coverage/report';
import { coverageSource } from '../../src/coverage/source';
import type { FlowLog } from '../../src/shared/types';
import type { NetworkInterface, PageOrError, RegionCoverage, Subnet, Vpc } from '../../src/coverage/types';
import { ClientCache } from '../../src/aws/worker/clients';
import { InProcessAws, workerFailure } from '../support/inProcessAws';
import { FlowLogService } from '../../src/aws/flowLogService';
import { MemoryLogger } from '../support/loggers';
import { listProfiles, type AwsProfile } from '../../src/shared/profiles';
import { loadSharedConfig } from '../../src/shared/sharedConfig';
import { awsConfigFor, defaultAccounts, startEmulator, type Emulator } from '../emulator/server';
import { expectedVerdicts } from '../emulator/vpcs/truth';

const ACCOUNT = '111111111111';

/** Serves `items` in the given pages (lists of indexes), with tokens "p1", "p2"... */
function paged<T>(
  pages: T[][],
  calls: (string | undefined)[],
  tokenAt?: (page: number) => string | undefined,
): (token: string | undefined) => Promise<PageOrError<T>> {
  return async (token) => {
    calls.push(token);
    const i = token === undefined ? 0 : Number(token.slice(1));
    const next = i + 1 < pages.length ? (tokenAt?.(i) ?? `p${i + 1}`) : undefined;
    return { items: pages[i], nextToken: next };
  };
}

function fakeSource(opts: {
  vpcs: Vpc[][];
  subnets: Subnet[][];
  flowLogs: FlowLog[][];
  interfaces?: NetworkInterface[];
  calls?: Record<string, unknown[]>;
}): CoverageSource {
  const calls = opts.calls ?? {};
  for (const k of ['vpcs', 'subnets', 'flowLogs', 'interfaces']) calls[k] ??= [];
  const vpcs = paged(opts.vpcs, calls.vpcs as (string | undefined)[]);
  const subnets = paged(opts.subnets, calls.subnets as (string | undefined)[]);
  return {
    accountId: async () => ACCOUNT,
    vpcs: (t) => vpcs(t),
    subnets: (t) => subnets(t),
    interfaces: async (ids) => {
      calls.interfaces.push(ids.length);
      return { items: (opts.interfaces ?? []).filter((e) => ids.includes(e.NetworkInterfaceId!)) };
    },
    flowLogs: async (req) => {
      calls.flowLogs.push(req.nextToken);
      const i = req.nextToken === undefined ? 0 : Number(req.nextToken.slice(1));
      return { items: opts.flowLogs[i], nextToken: i + 1 < opts.flowLogs.length ? `p${i + 1}` : undefined };
    },
  };
}

const fl = (id: string, resource: string, traffic = 'ALL', extra: Partial<FlowLog> = {}): FlowLog => ({
  FlowLogId: id,
  ResourceId: resource,
  TrafficType: traffic,
  FlowLogStatus: 'ACTIVE',
  DeliverLogsStatus: 'SUCCESS',
  ...extra,
});

describe('Coverage: the join under paging', () => {
  it('joins VPCs, subnets and flow logs that arrive on different pages; each VPC once', async () => {
    const calls: Record<string, unknown[]> = {};
    const source = fakeSource({
      vpcs: [
        [
          { VpcId: 'vpc-a', OwnerId: ACCOUNT },
          { VpcId: 'vpc-b', OwnerId: ACCOUNT },
        ],
        [
          { VpcId: 'vpc-c', OwnerId: ACCOUNT },
          { VpcId: 'vpc-a', OwnerId: ACCOUNT },
        ],
        [{ VpcId: 'vpc-d', OwnerId: '999999999999' }],
      ],
      subnets: [
        [{ SubnetId: 'subnet-c1', VpcId: 'vpc-c' }],
        [
          { SubnetId: 'subnet-c2', VpcId: 'vpc-c' },
          { SubnetId: 'subnet-b1', VpcId: 'vpc-b' },
        ],
      ],
      // vpc-a's flow log is on the last page; vpc-b's on the first; vpc-c's subnet log in the middle.
      flowLogs: [[fl('fl-b', 'vpc-b', 'ACCEPT'), fl('fl-e', 'eni-gone')], [fl('fl-c1', 'subnet-c2')], [fl('fl-a', 'vpc-a', 'REJECT')]],
      calls,
    });
    const r = await scanRegion('p', 'us-east-1', source);
    assert.equal(r.error, undefined);
    assert.deepEqual(
      r.vpcs.map((v) => [v.vpcId, v.verdict]),
      [
        ['vpc-a', 'covered'],
        ['vpc-b', 'partlyCovered'],
        ['vpc-c', 'partlyCovered'],
        ['vpc-d', 'shared'],
      ],
    );
    assert.match(r.vpcs[2].reason, /1 of 2 subnet/);
    assert.deepEqual(calls.vpcs, [undefined, 'p1', 'p2']);
    assert.deepEqual(calls.subnets, [undefined, 'p1']);
    assert.deepEqual(calls.flowLogs, [undefined, 'p1', 'p2']);
    assert.deepEqual(calls.interfaces, [1], 'the interface a flow log names is looked up (and found absent)');
    assert.equal(r.requests, 3 + 2 + 3 + 1);
  });

  it('looks interfaces up in chunks and joins them to their VPC', async () => {
    const n = INTERFACE_IDS_PER_REQUEST * 2 + 50;
    const logs = Array.from({ length: n }, (_, i) => fl(`fl-${i}`, `eni-${i}`, 'REJECT'));
    const calls: Record<string, unknown[]> = {};
    const source = fakeSource({
      vpcs: [
        [
          { VpcId: 'vpc-a', OwnerId: ACCOUNT },
          { VpcId: 'vpc-b', OwnerId: ACCOUNT },
        ],
      ],
      subnets: [[]],
      flowLogs: [logs.slice(0, 1000)],
      interfaces: [
        { NetworkInterfaceId: 'eni-7', VpcId: 'vpc-a' },
        { NetworkInterfaceId: `eni-${n - 1}`, VpcId: 'vpc-a' },
      ],
      calls,
    });
    const r = await scanRegion('p', 'r', source);
    assert.deepEqual(calls.interfaces, [INTERFACE_IDS_PER_REQUEST, INTERFACE_IDS_PER_REQUEST, 50]);
    assert.deepEqual(
      r.vpcs.map((v) => [v.vpcId, v.verdict, v.interfacesCovered]),
      [
        ['vpc-a', 'partlyCovered', 2],
        ['vpc-b', 'notCovered', 0],
      ],
    );
  });

  it('ends a listing whose NextToken repeats, instead of looping, and fails the region (no verdict from part of it)', async () => {
    let calls = 0;
    const source = fakeSource({ vpcs: [[]], subnets: [[]], flowLogs: [[]] });
    source.vpcs = async () => {
      calls += 1;
      return { items: [{ VpcId: `vpc-${calls}`, OwnerId: ACCOUNT }], nextToken: 'same' };
    };
    const r = await scanRegion('p', 'r', source);
    assert.equal(calls, 2);
    assert.deepEqual(r.vpcs, []);
    assert.match(r.error?.message ?? '', /DescribeVpcs did not finish: the server repeated a page token/);
    assert.deepEqual(r.error?.actions, ['retry']);
  });

  it('turns an error page, a failing STS call and a cancel into the region error', async () => {
    const denied = fakeSource({ vpcs: [[]], subnets: [[]], flowLogs: [[]] });
    denied.subnets = async () => ({
      error: { kind: 'denied', code: 'UnauthorizedOperation', message: 'Not authorized for ec2:DescribeSubnets', actions: ['retry'] },
    });
    const r1 = await scanRegion('p', 'r', denied);
    assert.equal(r1.error?.kind, 'denied');
    assert.deepEqual(r1.vpcs, []);
    const sts = fakeSource({ vpcs: [[]], subnets: [[]], flowLogs: [[]] });
    sts.accountId = async () => {
      throw workerFailure(Object.assign(new Error('bad'), { name: 'InvalidClientTokenId' }));
    };
    assert.equal((await scanRegion('p', 'r', sts)).error?.kind, 'credentials');
    const abort = new AbortController();
    abort.abort();
    const r3 = await scanRegion('p', 'r', fakeSource({ vpcs: [[]], subnets: [[]], flowLogs: [[]] }), abort.signal);
    assert.equal(r3.error?.kind, 'aborted');
  });

  it('runs regions at most `concurrency` at a time, every region reported in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const targets = Array.from({ length: 9 }, (_, i) => ({ profile: i, profileName: `p${i % 3}`, region: `r${i}` }));
    const results = await checkCoverage(
      targets,
      () => {
        const s = fakeSource({ vpcs: [[{ VpcId: 'vpc-1', OwnerId: ACCOUNT }]], subnets: [[]], flowLogs: [[]] });
        const inner = s.vpcs;
        s.vpcs = async (t) => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await new Promise((r) => setImmediate(r));
          inFlight -= 1;
          return inner(t);
        };
        return s;
      },
      { concurrency: 3 },
    );
    assert.equal(peak, 3);
    assert.deepEqual(
      results.map((r) => r.region),
      targets.map((t) => t.region),
    );
    assert.equal(summarizeCoverage(results).text, '0 of 9 VPCs covered');
  });
});

describe('Coverage: reports', () => {
  const hostile = '<img src=x onerror=alert(1)> | *bold* `code` [x](javascript:1)\n# head \u202Eevil';
  const regions: RegionCoverage[] = [
    {
      profileName: 'prod',
      region: 'us-east-1',
      accountId: ACCOUNT,
      requests: 4,
      vpcs: [
        {
          vpcId: 'vpc-2',
          name: hostile,
          cidr: '10.0.0.0/16',
          isDefault: false,
          ownerId: ACCOUNT,
          verdict: 'covered',
          reason: 'VPC flow log fl-1 (ALL, ACTIVE, delivery SUCCESS)',
          flowLogIds: ['fl-1'],
          resourceIds: ['vpc-2'],
          subnetsTotal: 2,
          subnetsCovered: 0,
          interfacesCovered: 0,
        },
        {
          vpcId: 'vpc-1',
          name: '=HYPERLINK("http://x")',
          cidr: '172.31.0.0/16',
          isDefault: true,
          ownerId: ACCOUNT,
          verdict: 'notCovered',
          reason: 'No flow log on the VPC, its subnets or its network interfaces',
          flowLogIds: [],
          resourceIds: ['vpc-1'],
          subnetsTotal: 3,
          subnetsCovered: 0,
          interfacesCovered: 0,
        },
      ],
    },
    {
      profileName: 'stage',
      region: 'ap-northeast-1',
      requests: 1,
      vpcs: [],
      error: {
        kind: 'denied',
        code: 'UnauthorizedOperation',
        message: 'Not authorized for ec2:DescribeVpcs, "quoted"',
        actions: ['retry'],
      },
    },
  ];
  const at = new Date(Date.UTC(2026, 11, 1, 23, 0, 0));

  it('Markdown: time, rule set, summary, worst verdict first, every value escaped', () => {
    const md = coverageMarkdown(regions, at);
    assert.match(md, /Checked 2026-12-01T23:00:00\.000Z: \*\*1 of 2 VPCs covered \(1 region\(s\) failed\)\*\*/);
    assert.match(md, /EC2\.6/);
    assert.match(md, /CIS AWS Foundations v1\.4\.0 3\.9, v3\.0\.0 and v5\.0\.0 3\.7/);
    assert.ok(md.indexOf('vpc-1') < md.indexOf('vpc-2'), 'Not covered before Covered');
    assert.match(md, /Error: Not authorized for ec2:DescribeVpcs/);
    assert.ok(!md.includes('<img'), 'no raw HTML');
    assert.ok(!md.includes('\u202E'));
    const row = md.split('\n').find((l) => l.includes('vpc-2'))!;
    assert.equal(row.split(/(?<!\\)\|/).length, 10, `a hostile name must not add table cells: ${row}`);
    assert.ok(row.includes('&lt;img src=x onerror=alert(1)&gt; \\| \\*bold\\* \\`code\\` \\[x\\](javascript:1) # head'));
  });

  it('CSV: one row per VPC and per failed region, RFC 4180 quoting, formulas defused', () => {
    const csv = coverageCsv(regions, at);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(
      lines[0],
      'checked_at,profile,account_id,region,vpc_id,name,cidr,is_default,owner_id,verdict,reason,flow_log_ids,subnets_covered,subnets_total,interfaces_covered,rule_set',
    );
    assert.ok(
      lines[1].startsWith('2026-12-01T23:00:00.000Z,prod,111111111111,us-east-1,vpc-1,"\'=HYPERLINK(""http://x"")",172.31.0.0/16,true,'),
    );
    assert.ok(lines[1].includes(',Not covered,'));
    assert.ok(
      csv.includes('"<img src=x onerror=alert(1)> | *bold* `code` [x](javascript:1)\n# head \u202Eevil"'),
      'the name survives whole, quoted',
    );
    assert.match(csv, /stage,,ap-northeast-1,,,,,,error,"Not authorized for ec2:DescribeVpcs, ""quoted"" \(UnauthorizedOperation\)"/);
    // One rule for every export (webview/csv.ts): a plain number stays a number, a formula is defused.
    assert.equal(csvField('-1'), '-1');
    assert.equal(csvField('-1+1'), "'-1+1");
    assert.equal(csvField(' padded '), '" padded "');
    assert.equal(escapeMarkdownCell(undefined), '');
  });
});

describe('Coverage against the emulator (real SDK over HTTP)', function () {
  this.timeout(60000);
  let em: Emulator;
  let dir: string;
  let profiles: Map<string, AwsProfile>;
  let service: FlowLogService;
  let aws: InProcessAws;
  const logger = new MemoryLogger();
  const [acct1, acct2] = defaultAccounts(40);

  before(async () => {
    em = await startEmulator({ accounts: [acct1, acct2], seed: 11, coverageCases: true });
    dir = mkdtempSync(join(tmpdir(), 'flowlogs-coverage-'));
    const files = awsConfigFor(em, [
      { name: 'one', account: acct1, region: 'us-east-1' },
      { name: 'two', account: acct2, region: 'us-east-1' },
    ]);
    writeFileSync(join(dir, 'config'), files.config);
    writeFileSync(join(dir, 'credentials'), files.credentials);
    const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
    profiles = new Map(listProfiles(env).profiles.map((p) => [p.name, p]));
    const clients = new ClientCache({
      settings: () => ({ maxAttempts: 1, requestTimeoutMs: 5000, userAgent: 'test' }),
      config: () => loadSharedConfig(env),
      logger,
      env,
    });
    aws = new InProcessAws(clients, [...profiles.values()]);
    service = new FlowLogService(aws, logger);
  });
  after(async () => {
    aws?.dispose();
    await em?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const pageSize of [1000, 5])
    it(`judges every VPC of every region once, as the ground truth says; a denied region is an error (pages of ${pageSize})`, async () => {
      em.resetRequests();
      const targets = [
        ...acct1.regions.map((region) => ({ profile: profiles.get('one')!, profileName: 'one', region })),
        ...acct2.regions.map((region) => ({ profile: profiles.get('two')!, profileName: 'two', region })),
      ];
      const results = await checkCoverage(targets, (t) => coverageSource(service, logger, t.profile, t.region, pageSize), {
        concurrency: 4,
      });
      for (const r of results) {
        const account = r.profileName === 'one' ? acct1 : acct2;
        if (account.deniedRegions?.includes(r.region)) {
          assert.equal(r.error?.kind, 'denied', `${r.region}: ${JSON.stringify(r.error)}`);
          assert.match(r.error!.message, /Not authorized for ec2:DescribeVpcs/);
          continue;
        }
        assert.equal(r.error, undefined, `${r.profileName} ${r.region}: ${r.error?.message}`);
        const truth = expectedVerdicts(
          account.accountId,
          em.network(account.accountId, r.region),
          em.flowLogs(account.accountId, r.region),
        );
        assert.deepEqual(new Map(r.vpcs.map((v) => [v.vpcId, v.verdict])), truth);
        assert.equal(r.vpcs.length, truth.size, 'each VPC once');
        // The demo data has every verdict in every region.
        assert.deepEqual(new Set(truth.values()), new Set(['covered', 'failing', 'partlyCovered', 'notCovered', 'shared']), r.region);
        assert.equal(r.vpcs.filter((v) => v.isDefault).length, 1);
      }
      if (pageSize === 5) {
        // VPCs, subnets and flow logs really came on many pages, each asked for once.
        const paged = em.requests.filter((q) => q.accountId === acct1.accountId && q.region === 'us-east-1');
        for (const action of ['DescribeVpcs', 'DescribeSubnets', 'DescribeFlowLogs'])
          assert.ok(paged.filter((q) => q.action === action).length > 5, action);
        const truth = em.network(acct1.accountId, 'us-east-1');
        assert.equal(paged.filter((q) => q.action === 'DescribeVpcs').length, Math.ceil(truth.vpcs.length / 5));
      }
      assert.ok(logger.lines.some((l) => /DescribeVpcs profile=one region=us-east-1 -> \d+ items/.test(l)));
      assert.ok(logger.lines.some((l) => /DescribeNetworkInterfaces profile=one/.test(l)));
      for (const line of logger.lines) assert.ok(!line.includes(acct1.secretAccessKey!));
    });

  // Issue 23.3: a listing that did not finish (the server repeated a page token) is a failed
  // region with Retry, never a verdict over the part that was listed.
  for (const action of ['DescribeVpcs', 'DescribeSubnets', 'DescribeFlowLogs', 'DescribeNetworkInterfaces'])
    it(`a page token repeated by ${action} fails the region (Retry), instead of judging a partial listing`, async () => {
      const region = 'us-east-1';
      const profile = profiles.get('one')!;
      const truth = expectedVerdicts(acct1.accountId, em.network(acct1.accountId, region), em.flowLogs(acct1.accountId, region));
      const logs = em.flowLogs(acct1.accountId, region);
      const interfaceLogs = logs.filter((l) => l.ResourceId?.startsWith('eni-')).length;
      assert.ok(truth.size > 10 && logs.length > 10 && interfaceLogs > 5, 'the region needs several pages of each listing');
      em.setFaults([{ fault: 'repeatToken', action, accountId: acct1.accountId, region, nth: 2 }]);
      try {
        const failed = await scanRegion('one', region, coverageSource(service, logger, profile, region, 5));
        assert.ok(failed.error, `${action}: a partial listing must not be judged (${failed.vpcs.length} VPCs judged)`);
        assert.deepEqual(failed.vpcs, [], 'no verdict from a partial listing');
        assert.ok(failed.error.actions.includes('retry'));
        assert.match(failed.error.message, new RegExp(action));
        assert.match(summarizeCoverage([failed]).text, /1 region\(s\) failed/);
      } finally {
        em.setFaults([]);
      }
      const retried = await scanRegion('one', region, coverageSource(service, logger, profile, region, 5));
      assert.equal(retried.error, undefined);
      assert.deepEqual(new Map(retried.vpcs.map((v) => [v.vpcId, v.verdict])), truth);
    });
});
