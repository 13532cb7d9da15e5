// Server-side filters through the real SDK: each case must return exactly the set the test
// computes on its own from the ground truth (its own glob matcher, not the emulator's).
import assert from 'node:assert/strict';
import { EC2Client, paginateDescribeFlowLogs } from '@aws-sdk/client-ec2';
import type { Ec2Filter, FlowLog } from '../../../src/shared/types';
import { FIELD_FILTERS } from '../../../src/filters/filterDefinitions';
import { startEmulator, type Emulator, type EmulatorAccount } from '../../emulator/server';

/** EC2 wildcard semantics, written independently: `*` any run, `?` one character, `\` escapes. */
function glob(pattern: string, value: string): boolean {
  const p = [...pattern];
  const v = [...value];
  const memo = new Map<string, boolean>();
  const at = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    if (memo.has(key)) return memo.get(key)!;
    let result: boolean;
    if (i === p.length) result = j === v.length;
    else if (p[i] === '*') result = at(i + 1, j) || (j < v.length && at(i, j + 1));
    else if (p[i] === '?') result = j < v.length && at(i + 1, j + 1);
    else if (p[i] === '\\' && i + 1 < p.length) result = j < v.length && p[i + 1] === v[j] && at(i + 2, j + 1);
    else result = j < v.length && p[i] === v[j] && at(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return at(0, 0);
}

function matchesFilter(log: FlowLog, filter: Ec2Filter): boolean {
  const anyValue = (text: string | undefined) => text !== undefined && filter.Values.some((p) => glob(p, text));
  if (filter.Name === 'tag-key') return (log.Tags ?? []).some((t) => anyValue(t.Key));
  if (filter.Name.startsWith('tag:')) return (log.Tags ?? []).some((t) => t.Key === filter.Name.slice(4) && anyValue(t.Value));
  const field = FIELD_FILTERS.get(filter.Name)?.field;
  return field !== undefined && anyValue(log[field]);
}

function expectedIds(logs: FlowLog[], filters: Ec2Filter[], ids?: string[]): string[] {
  return logs
    .filter((log) => filters.every((f) => matchesFilter(log, f)) && (ids === undefined || ids.includes(log.FlowLogId!)))
    .map((log) => log.FlowLogId!);
}

describe('emulator filters through the real SDK', function () {
  this.timeout(20000);
  const account: EmulatorAccount = {
    accountId: '123456789012',
    accessKeyId: 'AKIAFILTERTEST000001',
    secretAccessKey: 'filter-secret',
    regions: ['us-east-1'],
    flowLogsPerRegion: 800,
  };
  let em: Emulator;
  let client: EC2Client;
  let truth: FlowLog[];

  before(async () => {
    em = await startEmulator({ accounts: [account], seed: 99 });
    client = clientFor('us-east-1');
    truth = em.flowLogs(account.accountId, 'us-east-1');
  });
  after(() => em.stop());

  function clientFor(region: string): EC2Client {
    return new EC2Client({
      endpoint: em.url,
      region,
      credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey! },
      maxAttempts: 1,
    });
  }

  async function fetchIds(filters: Ec2Filter[], ids?: string[], region = 'us-east-1'): Promise<string[]> {
    const c = region === 'us-east-1' ? client : clientFor(region);
    const out: string[] = [];
    for await (const page of paginateDescribeFlowLogs({ client: c, pageSize: 50 }, { Filter: filters, FlowLogIds: ids })) {
      out.push(...(page.FlowLogs ?? []).map((f) => f.FlowLogId!));
    }
    return out;
  }

  interface Case {
    name: string;
    filters: () => Ec2Filter[];
    ids?: () => string[];
    /** Whether the expected set must be non-empty (guards against vacuous cases). */
    some: boolean;
  }
  const f = (Name: string, ...Values: string[]): Ec2Filter => ({ Name, Values });
  const cases: Case[] = [
    { name: 'deliver-log-status FAILED', filters: () => [f('deliver-log-status', 'FAILED')], some: true },
    { name: 'deliver-log-status SUCCESS', filters: () => [f('deliver-log-status', 'SUCCESS')], some: true },
    { name: 'log-destination-type s3', filters: () => [f('log-destination-type', 's3')], some: true },
    {
      name: 'log-destination-type firehose OR cloud-watch-logs',
      filters: () => [f('log-destination-type', 'kinesis-data-firehose', 'cloud-watch-logs')],
      some: true,
    },
    { name: 'flow-log-id exact', filters: () => [f('flow-log-id', truth[17].FlowLogId!)], some: true },
    { name: 'flow-log-id unknown', filters: () => [f('flow-log-id', 'fl-0000000000000beef')], some: false },
    { name: 'log-group-name with *', filters: () => [f('log-group-name', '/aws/vpc/flowlogs/*')], some: true },
    { name: 'log-group-name exact', filters: () => [f('log-group-name', truth.find((l) => l.LogGroupName)!.LogGroupName!)], some: true },
    { name: 'resource-id prefix *', filters: () => [f('resource-id', 'subnet-*')], some: true },
    { name: 'resource-id with ?', filters: () => [f('resource-id', 'eni-' + '?'.repeat(17))], some: true },
    { name: 'resource-id ? too short', filters: () => [f('resource-id', 'eni-' + '?'.repeat(16))], some: false },
    { name: 'traffic-type ACCEPT OR REJECT', filters: () => [f('traffic-type', 'ACCEPT', 'REJECT')], some: true },
    { name: 'traffic-type is case-sensitive', filters: () => [f('traffic-type', 'accept')], some: false },
    { name: 'tag:env prod', filters: () => [f('tag:env', 'prod')], some: true },
    { name: 'tag:env prod OR dev', filters: () => [f('tag:env', 'prod', 'dev')], some: true },
    { name: 'tag:env PROD (case)', filters: () => [f('tag:env', 'PROD')], some: false },
    { name: 'tag:Owner *@example.com', filters: () => [f('tag:Owner', '*@example.com')], some: true },
    { name: 'tag:Name hostile markup', filters: () => [f('tag:Name', '<img src=x onerror=alert(1)>*')], some: true },
    { name: 'tag:<key with colon and space>', filters: () => [f('tag:cost center: a/b', '*spaces*')], some: true },
    { name: 'tag-key Owner', filters: () => [f('tag-key', 'Owner')], some: true },
    { name: 'tag-key with wildcard', filters: () => [f('tag-key', 'O*', 'te?m')], some: true },
    { name: 'tag-key hostile', filters: () => [f('tag-key', 'html-attr"><svg onload=alert(1)>')], some: true },
    {
      name: 'AND of three filters',
      filters: () => [f('log-destination-type', 's3'), f('tag:env', 'prod', 'staging'), f('traffic-type', 'ALL')],
      some: true,
    },
    { name: 'AND that excludes everything', filters: () => [f('log-destination-type', 's3'), f('log-group-name', '*')], some: false },
    {
      name: 'FlowLogIds only',
      filters: () => [],
      ids: () => [truth[1].FlowLogId!, truth[500].FlowLogId!, 'fl-0000000000000dead'],
      some: true,
    },
    {
      name: 'FlowLogIds AND filter',
      filters: () => [f('log-destination-type', truth[2].LogDestinationType!)],
      ids: () => truth.slice(0, 40).map((l) => l.FlowLogId!),
      some: true,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const filters = c.filters();
      const ids = c.ids?.();
      const expected = expectedIds(truth, filters, ids);
      assert.equal(expected.length > 0, c.some, `case expectation: ${expected.length} matches`);
      if (c.some) assert.ok(expected.length < truth.length || filters.length === 0, 'a filter that matches everything proves little');
      assert.deepEqual(await fetchIds(filters, ids), expected);
    });
  }

  it('handles wildcard metacharacters and escapes in values literally', async () => {
    const logs: FlowLog[] = ['a*b', 'axxb', 'a?b', 'a.b', 'a\\b', '(x)+[y]', 'prefix-😀', 'Prefix-x', ''].map((value, i) => ({
      FlowLogId: `fl-${String(i).padStart(17, '0')}`,
      LogGroupName: value,
      Tags: [{ Key: 'v', Value: value }],
    }));
    em.setFlowLogs(account.accountId, 'eu-north-1', logs);
    const table: [string, number[]][] = [
      ['a*b', [0, 1, 2, 3, 4]],
      ['a\\*b', [0]],
      ['a\\?b', [2]],
      ['a?b', [0, 2, 3, 4]],
      ['a.b', [3]],
      ['a\\\\b', [4]],
      ['(x)+[y]', [5]],
      ['prefix-?', [6]],
      ['*', [0, 1, 2, 3, 4, 5, 6, 7, 8]],
    ];
    for (const [pattern, indexes] of table) {
      const want = indexes.map((i) => logs[i].FlowLogId!);
      assert.deepEqual(expectedIds(logs, [f('tag:v', pattern)]), want, `independent matcher, ${pattern}`);
      assert.deepEqual(await fetchIds([f('tag:v', pattern)], undefined, 'eu-north-1'), want, `tag:v ${pattern}`);
      assert.deepEqual(await fetchIds([f('log-group-name', pattern)], undefined, 'eu-north-1'), want, `log-group-name ${pattern}`);
    }
  });
});
