// Server-side filters, applied through the commands (with arguments, as the quick picks end up
// calling them), checked against the emulator's ground truth filtered here by independent
// predicates: every page is loaded with "Load more…" before comparing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FlowLog, Ec2Filter } from '../../src/shared/types';
import type { FilterSet } from '../../src/filters/filterSet';
import {
  fixture,
  Fixture,
  children,
  profileNode,
  regionNode,
  ids,
  loadToEnd,
  label,
  description,
  setting,
  isError,
  isFlowLog,
  isLoadMore,
  defaultAccounts,
  sleep,
  EmulatorAccount,
  RegionNode,
} from './helpers';

const A1 = '111111111111';
const A2 = '222222222222';
/** The two regions every case is checked in (both have generated flow logs). */
const REGIONS = [
  { profile: 'acct1', account: A1, region: 'us-east-1' },
  { profile: 'acct2', account: A2, region: 'eu-central-1' },
] as const;
const PER_REGION = 80;
const PAGE_SIZE = 5;

type Filter = { name: string; values: string[] };

const tag = (f: FlowLog, key: string) => (f.Tags ?? []).filter((t) => t.Key === key).map((t) => t.Value ?? '');
const hasTag = (f: FlowLog, key: string, value?: string) => tag(f, key).some((v) => value === undefined || v === value);

async function cmd<T = unknown>(id: string, ...args: unknown[]): Promise<T> {
  return vscode.commands.executeCommand<T>(id, ...args);
}

function describeRequests(fx: Fixture, account: string, region: string) {
  return fx.emulator.requests.filter((q) => q.action === 'DescribeFlowLogs' && q.accountId === account && q.region === region);
}

function stateFilters(fx: Fixture): { version: number; filters: Filter[]; flowLogIds?: string[] } | undefined {
  const raw = fx.api.services.context.workspaceState.get<string>('flowLogs.activeFilters');
  return raw === undefined ? undefined : JSON.parse(raw);
}

describe('filters: applied on the server, through the commands', function () {
  let fx: Fixture;

  before(async () => {
    await setting('pageSize', PAGE_SIZE);
    await setting('maxAttempts', 2);
    await setting('regions', { acct2: ['eu-central-1', 'ap-northeast-1'] });
    fx = await fixture({ accounts: defaultAccounts(PER_REGION) });
    await sleep(300); // let the configuration change events settle before the tree is used
    await cmd('flowLogs.refresh');
  });
  after(async () => {
    await cmd('flowLogs.clearFilters');
    await setting('pageSize', undefined);
    await setting('maxAttempts', undefined);
    await setting('regions', undefined);
    await fx.stop();
  });

  const truth = (account: string, region: string, pred: (f: FlowLog) => boolean) =>
    fx.emulator
      .flowLogs(account, region)
      .filter(pred)
      .map((f) => f.FlowLogId!);

  async function apply(filters: Filter[], idsText?: string): Promise<void> {
    await cmd('flowLogs.clearFilters');
    for (const f of filters) assert.equal(await cmd('flowLogs.addFilter', f), true, `addFilter ${f.name}=${f.values.join('|')}`);
    if (idsText !== undefined) assert.equal(await cmd('flowLogs.filterByIds', idsText), true, 'filterByIds');
  }

  /** Loads every page of both regions and compares with the predicate over the ground truth. */
  async function expectTreeMatches(pred: (f: FlowLog) => boolean, sentFilters?: Ec2Filter[]): Promise<number> {
    let total = 0;
    for (const { profile, account, region } of REGIONS) {
      fx.emulator.resetRequests();
      const r = await regionNode(fx.api, profile, region);
      const kids = await loadToEnd(fx.api, r);
      const expected = truth(account, region, pred);
      assert.ok(!kids.some(isError), `${profile}/${region}: no error node, got ${kids.map(label).join(' | ')}`);
      assert.deepEqual(ids(kids), expected, `${profile}/${region}: tree equals filtered ground truth`);
      if (expected.length === 0) assert.deepEqual(kids.map(label), ['No flow logs match the filters']);
      assert.match(description(r), /filtered/);
      if (sentFilters) {
        const reqs = describeRequests(fx, account, region);
        assert.ok(reqs.length >= 1, 'at least one DescribeFlowLogs request');
        for (const q of reqs) assert.deepEqual(q.params?.filters, sentFilters, 'the filters went to the server');
      }
      total += expected.length;
    }
    return total;
  }

  interface Case {
    title: string;
    filters: () => Filter[];
    ids?: () => string;
    pred: (f: FlowLog) => boolean;
    sent?: () => Ec2Filter[];
  }
  const cases: Case[] = [
    {
      title: 'traffic-type=REJECT',
      filters: () => [{ name: 'traffic-type', values: ['REJECT'] }],
      pred: (f) => f.TrafficType === 'REJECT',
      sent: () => [{ Name: 'traffic-type', Values: ['REJECT'] }],
    },
    {
      title: 'log-destination-type=s3|kinesis-data-firehose (values OR-ed)',
      filters: () => [{ name: 'log-destination-type', values: ['s3', 'kinesis-data-firehose'] }],
      pred: (f) => f.LogDestinationType === 's3' || f.LogDestinationType === 'kinesis-data-firehose',
      sent: () => [{ Name: 'log-destination-type', Values: ['s3', 'kinesis-data-firehose'] }],
    },
    {
      title: 'deliver-log-status=FAILED (enum value given in lower case is canonicalised)',
      filters: () => [{ name: 'deliver-log-status', values: ['failed'] }],
      pred: (f) => f.DeliverLogsStatus === 'FAILED',
      sent: () => [{ Name: 'deliver-log-status', Values: ['FAILED'] }],
    },
    {
      title: 'resource-id with wildcards: vpc-0* | subnet-?a*',
      filters: () => [{ name: 'resource-id', values: ['vpc-0*', 'subnet-?a*'] }],
      pred: (f) => /^vpc-0/.test(f.ResourceId ?? '') || /^subnet-.a/.test(f.ResourceId ?? ''),
      sent: () => [{ Name: 'resource-id', Values: ['vpc-0*', 'subnet-?a*'] }],
    },
    {
      title: 'tag:env=prod',
      filters: () => [{ name: 'tag:env', values: ['prod'] }],
      pred: (f) => hasTag(f, 'env', 'prod'),
      sent: () => [{ Name: 'tag:env', Values: ['prod'] }],
    },
    {
      title: 'tag-key=team',
      filters: () => [{ name: 'tag-key', values: ['team'] }],
      pred: (f) => hasTag(f, 'team'),
      sent: () => [{ Name: 'tag-key', Values: ['team'] }],
    },
    {
      title: 'flow-log-id (one ID of each region)',
      filters: () => [
        {
          name: 'flow-log-id',
          values: [fx.emulator.flowLogs(A1, 'us-east-1')[7].FlowLogId!, fx.emulator.flowLogs(A2, 'eu-central-1')[11].FlowLogId!],
        },
      ],
      pred: (f) =>
        f.FlowLogId === fx.emulator.flowLogs(A1, 'us-east-1')[7].FlowLogId ||
        f.FlowLogId === fx.emulator.flowLogs(A2, 'eu-central-1')[11].FlowLogId,
    },
    {
      title: 'AND: traffic-type=REJECT and tag:env=prod',
      filters: () => [
        { name: 'traffic-type', values: ['REJECT'] },
        { name: 'tag:env', values: ['prod'] },
      ],
      pred: (f) => f.TrafficType === 'REJECT' && hasTag(f, 'env', 'prod'),
      sent: () => [
        { Name: 'traffic-type', Values: ['REJECT'] },
        { Name: 'tag:env', Values: ['prod'] },
      ],
    },
    {
      title: 'AND: deliver-log-status=FAILED and log-destination-type=s3|kinesis-data-firehose and tag-key=Name',
      filters: () => [
        { name: 'deliver-log-status', values: ['FAILED'] },
        { name: 'log-destination-type', values: ['s3', 'kinesis-data-firehose'] },
        { name: 'tag-key', values: ['Name'] },
      ],
      pred: (f) =>
        f.DeliverLogsStatus === 'FAILED' &&
        (f.LogDestinationType === 's3' || f.LogDestinationType === 'kinesis-data-firehose') &&
        hasTag(f, 'Name'),
    },
    {
      title: 'AND: flow log IDs (Filter by IDs) and traffic-type=ALL',
      filters: () => [{ name: 'traffic-type', values: ['ALL'] }],
      // Twelve IDs of the first region, of every traffic type, pasted with mixed separators and quotes.
      ids: () =>
        fx.emulator
          .flowLogs(A1, 'us-east-1')
          .slice(0, 12)
          .map((f, i) => (i % 3 === 0 ? `"${f.FlowLogId}",` : i % 3 === 1 ? `${f.FlowLogId}\n` : `${f.FlowLogId} `))
          .join(''),
      pred: (f) =>
        f.TrafficType === 'ALL' &&
        fx.emulator
          .flowLogs(A1, 'us-east-1')
          .slice(0, 12)
          .some((x) => x.FlowLogId === f.FlowLogId),
    },
  ];

  for (const c of cases) {
    it(`shows exactly the flow logs matching ${c.title}`, async () => {
      await apply(c.filters(), c.ids?.());
      const total = await expectTreeMatches(c.pred, c.sent?.());
      assert.ok(total > 0, 'fixture sanity: the case matches some flow logs');
      // Not everything: the filter really narrowed the list.
      assert.ok(total < 2 * PER_REGION, 'the filter narrowed the list');
    });
  }

  it('pages a filtered list with Load more… (small page size), with the filter on every request', async () => {
    await apply([{ name: 'traffic-type', values: ['REJECT'] }]);
    const expected = truth(A1, 'us-east-1', (f) => f.TrafficType === 'REJECT');
    assert.ok(expected.length > 2 * PAGE_SIZE, 'fixture sanity: several pages');
    fx.emulator.resetRequests();
    const r = await regionNode(fx.api, 'acct1', 'us-east-1');
    const first = await children(fx.api, r);
    assert.deepEqual(ids(first), expected.slice(0, PAGE_SIZE));
    assert.ok(first.some(isLoadMore), 'Load more… under a filtered region');
    assert.equal(description(r), `${PAGE_SIZE} loaded, more available · filtered`);
    let kids = first;
    let clicks = 0;
    while (kids.some(isLoadMore)) {
      await cmd('flowLogs.loadMore', kids.find(isLoadMore));
      kids = await children(fx.api, r);
      clicks++;
      assert.ok(ids(kids).length <= Math.min(expected.length, PAGE_SIZE * (clicks + 1)), 'at most one page per click');
    }
    assert.deepEqual(ids(kids), expected);
    assert.equal(description(r), `${expected.length} flow log${expected.length === 1 ? '' : 's'} · filtered`);
    const reqs = describeRequests(fx, A1, 'us-east-1');
    assert.ok(reqs.length >= Math.ceil(expected.length / PAGE_SIZE));
    for (const q of reqs) {
      assert.equal(q.params?.maxResults, PAGE_SIZE);
      assert.deepEqual(q.params?.filters, [{ Name: 'traffic-type', Values: ['REJECT'] }]);
    }
    assert.equal(reqs.filter((q) => !q.params?.nextToken).length, 1, 'only the first request starts without a NextToken');
  });

  it('shows the active filters in the view description and on the regions, and persists them in workspace state', async () => {
    await apply([
      { name: 'traffic-type', values: ['REJECT'] },
      { name: 'tag:env', values: ['prod', 'staging'] },
    ]);
    const desc = String(fx.api.services.treeView.description ?? '');
    assert.match(desc, /traffic-type=REJECT/);
    assert.match(desc, /tag:env=prod\|staging/);
    for (const { profile, region } of REGIONS) {
      const r = await regionNode(fx.api, profile, region);
      assert.match(description(r), /filtered/, `${profile}/${region} before loading`);
      assert.equal((r.getTreeItem().iconPath as vscode.ThemeIcon).id, 'filter');
    }
    const saved = stateFilters(fx);
    assert.ok(saved, 'saved in workspace state');
    assert.deepEqual(saved.filters, [
      { name: 'traffic-type', values: ['REJECT'] },
      { name: 'tag:env', values: ['prod', 'staging'] },
    ]);

    await cmd('flowLogs.clearFilters');
    assert.equal(fx.api.services.treeView.description, undefined);
    assert.deepEqual(stateFilters(fx)?.filters, []);
    const r = await regionNode(fx.api, 'acct1', 'us-east-1');
    assert.doesNotMatch(description(r), /filtered/);
    const first = await children(fx.api, r);
    assert.deepEqual(
      ids(first),
      fx.emulator
        .flowLogs(A1, 'us-east-1')
        .slice(0, PAGE_SIZE)
        .map((f) => f.FlowLogId),
    );
    assert.doesNotMatch(description(r), /filtered/);
  });

  it('Edit Filters removes and replaces a filter; the tree follows', async () => {
    await apply([
      { name: 'traffic-type', values: ['REJECT'] },
      { name: 'tag:env', values: ['prod'] },
    ]);
    assert.equal(await cmd('flowLogs.editFilters', { remove: 'tag:env' }), true);
    assert.deepEqual(
      fx.api.services.filters.filters.filters.map((f) => f.name),
      ['traffic-type'],
    );
    await expectTreeMatches((f) => f.TrafficType === 'REJECT', [{ Name: 'traffic-type', Values: ['REJECT'] }]);

    assert.equal(await cmd('flowLogs.editFilters', { replace: 'traffic-type', with: { name: 'traffic-type', values: ['ACCEPT'] } }), true);
    assert.deepEqual(fx.api.services.filters.filters.filters, [{ name: 'traffic-type', values: ['ACCEPT'] }]);
    await expectTreeMatches((f) => f.TrafficType === 'ACCEPT', [{ Name: 'traffic-type', Values: ['ACCEPT'] }]);

    // IDs are removed with the pseudo-name FlowLogIds.
    const someIds = fx.emulator
      .flowLogs(A1, 'us-east-1')
      .slice(0, 20)
      .map((f) => f.FlowLogId!);
    assert.equal(await cmd('flowLogs.filterByIds', someIds.join(',')), true);
    await expectTreeMatches((f) => f.TrafficType === 'ACCEPT' && someIds.includes(f.FlowLogId!));
    assert.equal(await cmd('flowLogs.editFilters', { remove: 'FlowLogIds' }), true);
    assert.equal(fx.api.services.filters.filters.flowLogIds, undefined);
    await expectTreeMatches((f) => f.TrafficType === 'ACCEPT');
  });

  it('saves the filters as a preset and applies it again', async () => {
    const name = `it preset ${Math.random().toString(36).slice(2)}`;
    await cmd('flowLogs.clearFilters');
    assert.equal(await cmd('flowLogs.saveFilterPreset', name), false, 'nothing to save without filters');
    await apply([
      { name: 'log-destination-type', values: ['s3'] },
      { name: 'tag-key', values: ['team'] },
    ]);
    assert.equal(await cmd('flowLogs.saveFilterPreset', name), true);
    await cmd('flowLogs.clearFilters');
    assert.equal(fx.api.services.filters.filters.filters.length, 0);
    assert.equal(await cmd('flowLogs.applyFilterPreset', `${name} (no such preset)`), false);
    assert.equal(fx.api.services.filters.filters.filters.length, 0);
    assert.equal(await cmd('flowLogs.applyFilterPreset', name), true);
    assert.deepEqual(fx.api.services.filters.filters.filters, [
      { name: 'log-destination-type', values: ['s3'] },
      { name: 'tag-key', values: ['team'] },
    ]);
    await expectTreeMatches((f) => f.LogDestinationType === 's3' && hasTag(f, 'team'));
  });

  it("Filter by Resource filters on the node's resource ID, and a second one replaces it", async () => {
    await cmd('flowLogs.clearFilters');
    const r = await regionNode(fx.api, 'acct1', 'us-east-1');
    const all = (await loadToEnd(fx.api, r)).filter(isFlowLog);
    const a = all[3];
    const b = all.find((n) => n.flowLog.ResourceId !== a.flowLog.ResourceId)!;
    assert.ok(b, 'fixture sanity: two resources');
    assert.equal(await cmd('flowLogs.filterByResource', a), true);
    assert.deepEqual(fx.api.services.filters.filters.filters, [{ name: 'resource-id', values: [a.flowLog.ResourceId] }]);
    await expectTreeMatches((f) => f.ResourceId === a.flowLog.ResourceId, [{ Name: 'resource-id', Values: [a.flowLog.ResourceId!] }]);
    assert.equal(await cmd('flowLogs.filterByResource', b), true, 'replaces, not a duplicate-filter error');
    assert.deepEqual(fx.api.services.filters.filters.filters, [{ name: 'resource-id', values: [b.flowLog.ResourceId] }]);
    await expectTreeMatches((f) => f.ResourceId === b.flowLog.ResourceId);
  });

  describe('invalid input is refused before any request', () => {
    let r: RegionNode;
    let before: string;
    let loaded: string[];

    beforeEach(async () => {
      await apply([{ name: 'traffic-type', values: ['REJECT'] }]);
      r = await regionNode(fx.api, 'acct1', 'us-east-1');
      loaded = ids(await loadToEnd(fx.api, r));
      assert.ok(loaded.length > 0);
      before = JSON.stringify(fx.api.services.filters.filters);
      fx.emulator.resetRequests();
    });

    async function expectRefused(result: unknown): Promise<void> {
      assert.equal(result, false, 'the command returns false');
      assert.equal(JSON.stringify(fx.api.services.filters.filters), before, 'filters unchanged');
      assert.deepEqual(stateFilters(fx)?.filters, [{ name: 'traffic-type', values: ['REJECT'] }], 'stored filters unchanged');
      // The loaded pages are kept: reading the region again sends nothing.
      const kids = await children(fx.api, r);
      assert.deepEqual(ids(kids), loaded);
      assert.equal(fx.emulator.requests.length, 0, `no request sent, got ${fx.emulator.requests.map((q) => q.action).join(', ')}`);
    }

    const invalid: [string, string, unknown][] = [
      ['an empty value', 'flowLogs.addFilter', { name: 'tag:env', values: [''] }],
      ['a whitespace-only value', 'flowLogs.addFilter', { name: 'tag:env', values: ['   \t '] }],
      ['no value at all', 'flowLogs.addFilter', { name: 'log-destination-type', values: [] }],
      ['a value outside the enum', 'flowLogs.addFilter', { name: 'deliver-log-status', values: ['BROKEN'] }],
      ['a malformed resource ID', 'flowLogs.addFilter', { name: 'resource-id', values: ['sg-0123456789abcdef0'] }],
      ['a malformed flow-log-id value', 'flowLogs.addFilter', { name: 'flow-log-id', values: ['fl-xyz'] }],
      ['an unknown filter name', 'flowLogs.addFilter', { name: 'bogus-name', values: ['x'] }],
      ['a whitespace-only filter name', 'flowLogs.addFilter', { name: '   ', values: ['x'] }],
      ['a tag filter without a key', 'flowLogs.addFilter', { name: 'tag:  ', values: ['x'] }],
      ['a duplicate filter name', 'flowLogs.addFilter', { name: 'traffic-type', values: ['ACCEPT'] }],
      ['a malformed flow log ID', 'flowLogs.filterByIds', 'fl-12345'],
      ['one malformed ID among valid ones', 'flowLogs.filterByIds', 'fl-0123456789abcdef0, fl-0123456789abcdefg'],
      ['an empty ID list', 'flowLogs.filterByIds', '  \n '],
      [
        'an invalid replacement value',
        'flowLogs.editFilters',
        { replace: 'traffic-type', with: { name: 'traffic-type', values: ['NOPE'] } },
      ],
      [
        'a replacement of a filter that is not there',
        'flowLogs.editFilters',
        { replace: 'tag:env', with: { name: 'tag:env', values: ['prod'] } },
      ],
    ];
    for (const [what, command, arg] of invalid) {
      it(`${command} refuses ${what}`, async () => {
        await expectRefused(await cmd(command, arg));
      });
    }
  });

  it('an unknown filter that reaches EC2 shows an error node naming it, with the Edit Filters action', async () => {
    await cmd('flowLogs.clearFilters');
    const bogus: FilterSet = { filters: [{ name: 'bogus-name', values: ['x'] }] };
    await fx.api.services.filters.set(bogus);
    fx.emulator.resetRequests();
    const r = await regionNode(fx.api, 'acct1', 'us-east-1');
    const kids = await children(fx.api, r);
    assert.equal(ids(kids).length, 0);
    const err = kids.find(isError);
    assert.ok(err, `an error node, got ${kids.map(label).join(' | ')}`);
    assert.match(label(err), /bogus-name/);
    assert.match(String(err.getTreeItem().contextValue), /\bfilter\b/);
    const reqs = describeRequests(fx, A1, 'us-east-1');
    assert.ok(reqs.length >= 1);
    assert.ok(
      reqs.every((q) => q.status === 400 && q.errorCode === 'InvalidParameterValue'),
      'EC2 rejected it',
    );
    // Clearing the filters recovers.
    await cmd('flowLogs.clearFilters');
    const again = await children(fx.api, await regionNode(fx.api, 'acct1', 'us-east-1'));
    assert.ok(!again.some(isError));
    assert.deepEqual(
      ids(again),
      fx.emulator
        .flowLogs(A1, 'us-east-1')
        .slice(0, PAGE_SIZE)
        .map((f) => f.FlowLogId),
    );
  });

  describe('Check Permissions', () => {
    before(async () => {
      await cmd('flowLogs.clearFilters');
    });

    it('reports allowed on an allowed region, in the result and the node description', async () => {
      const r = await regionNode(fx.api, 'acct1', 'us-east-1');
      fx.emulator.resetRequests();
      const result = await cmd<{ allowed: boolean }>('flowLogs.checkPermissions', r);
      assert.deepEqual(result, { allowed: true });
      assert.match(description(r), /allowed/);
      const dry = fx.emulator.requests.filter((q) => q.action === 'DescribeFlowLogs');
      assert.ok(dry.length >= 1 && dry.every((q) => q.params?.dryRun === true && q.region === 'us-east-1'), 'a DryRun request');
    });

    it("reports denied on account 2's ap-northeast-1", async () => {
      const r = await regionNode(fx.api, 'acct2', 'ap-northeast-1');
      const result = await cmd<{ allowed: boolean; error?: { kind: string; message: string } }>('flowLogs.checkPermissions', r);
      assert.equal(result.allowed, false);
      assert.equal(result.error?.kind, 'denied');
      assert.match(description(r), /denied/);
      assert.doesNotMatch(description(r), /allowed/);
      // Another region of the same profile is still allowed.
      const ok = await cmd<{ allowed: boolean }>('flowLogs.checkPermissions', await regionNode(fx.api, 'acct2', 'eu-central-1'));
      assert.equal(ok.allowed, true);
    });

    it('on a profile node, checks every shown region, labels each, and sums up on the profile', async () => {
      const p = await profileNode(fx.api, 'acct2');
      const shown = (await children(fx.api, p)).map((n) => (n as RegionNode).region);
      assert.ok(shown.includes('ap-northeast-1') && shown.includes('eu-central-1'), shown.join(', '));
      fx.emulator.resetRequests();
      const result = await cmd<{
        allowed: boolean;
        allowedRegions: number;
        regions: number;
        results: { region: string; result: { allowed: boolean } }[];
      }>('flowLogs.checkPermissions', p);
      assert.equal(result.allowed, false, 'one region is denied, so the profile is not "allowed"');
      assert.equal(result.regions, shown.length);
      assert.equal(result.allowedRegions, shown.length - 1);
      const dry = fx.emulator.requests.filter((q) => q.action === 'DescribeFlowLogs' && q.params?.dryRun === true && q.accountId === A2);
      assert.deepEqual([...new Set(dry.map((q) => q.region))].sort(), [...shown].sort(), 'a DryRun in every shown region');
      assert.match(description(p), new RegExp(`allowed in ${shown.length - 1} of ${shown.length} regions`));
      assert.match(description(await regionNode(fx.api, 'acct2', 'ap-northeast-1')), /denied/);
      assert.match(description(await regionNode(fx.api, 'acct2', 'eu-central-1')), /allowed/);
    });
  });
});

describe('filters: more than 1000 flow log IDs', function () {
  let fx: Fixture;
  const BIG = '333333333333';
  const bigAccount: EmulatorAccount = {
    accountId: BIG,
    accessKeyId: 'AKIAEMULATOR3333EXAMPLE',
    secretAccessKey: 'emulatorSecretKey3333EXAMPLEwJalrXUtnFEMI',
    regions: ['us-west-2'],
    flowLogsPerRegion: 1500,
  };

  before(async () => {
    await setting('pageSize', 250);
    fx = await fixture({ accounts: [...defaultAccounts(10), bigAccount] });
    await sleep(300);
    await cmd('flowLogs.refresh');
  });
  after(async () => {
    await cmd('flowLogs.clearFilters');
    await setting('pageSize', undefined);
    await fx.stop();
  });

  it('filters by 1200 IDs: each appears exactly once, with at most 1000 IDs per request', async () => {
    const all = fx.emulator.flowLogs(BIG, 'us-west-2');
    assert.equal(all.length, 1500);
    // 1200 of the 1500, not a prefix: every fifth one is left out.
    const wanted = all.filter((_, i) => i % 5 !== 2).map((f) => f.FlowLogId!);
    assert.equal(wanted.length, 1200);
    assert.equal(await cmd('flowLogs.filterByIds', wanted.join('\n')), true);
    assert.match(String(fx.api.services.treeView.description), /1200 IDs/);
    fx.emulator.resetRequests();
    const r = await regionNode(fx.api, 'acct3', 'us-west-2');
    const kids = await loadToEnd(fx.api, r);
    assert.ok(!kids.some(isError), kids.map(label).join(' | '));
    const shown = ids(kids);
    assert.equal(shown.length, 1200, 'every ID once');
    assert.equal(new Set(shown).size, 1200, 'no duplicates');
    assert.deepEqual([...shown].sort(), [...wanted].sort());
    const reqs = describeRequests(fx, BIG, 'us-west-2');
    const withIds = reqs.filter((q) => (q.params?.flowLogIds ?? 0) > 0);
    assert.equal(withIds.length, reqs.length, 'every request carries IDs');
    assert.ok(
      withIds.every((q) => q.params!.flowLogIds! <= 1000),
      `IDs per request: ${withIds.map((q) => q.params!.flowLogIds).join(', ')}`,
    );
    assert.ok(
      withIds.every((q) => q.status === 200),
      'EC2 accepted every request',
    );
    // 1200 IDs cannot fit in one request: at least two different ID lists were sent, starting fresh.
    assert.ok(withIds.filter((q) => !q.params!.nextToken).length >= 2, 'the ID list was split into several queries');
    // Another account's region with the same IDs matches nothing.
    const other = await children(fx.api, await regionNode(fx.api, 'acct1', 'us-east-1'));
    assert.deepEqual(other.map(label), ['No flow logs match the filters']);
  });
});

// Issue 24.4: the Add Filter wizard driven through VS Code's own quick input (the extension's quick
// pick, its value set as typing does, Enter as workbench.action.acceptSelectedQuickOpenItem).
describe('Add Filter, driven through the quick input', function () {
  let fx: Fixture;
  let shown: vscode.QuickPick<vscode.QuickPickItem>[] = [];
  let original: typeof vscode.window.createQuickPick;

  before(async () => {
    fx = await fixture({ accounts: defaultAccounts(10) });
    original = vscode.window.createQuickPick;
    const w = vscode.window as unknown as Record<string, unknown>;
    w.createQuickPick = () => {
      const qp = original.call(vscode.window) as vscode.QuickPick<vscode.QuickPickItem>;
      shown.push(qp);
      return qp;
    };
  });
  after(async () => {
    (vscode.window as unknown as Record<string, unknown>).createQuickPick = original;
    await cmd('flowLogs.clearFilters');
    await fx.stop();
  });
  beforeEach(async () => {
    shown = [];
    await cmd('flowLogs.clearFilters');
  });

  /** The quick pick whose title starts with `title`, once VS Code shows it. */
  async function pickTitled(title: string): Promise<vscode.QuickPick<vscode.QuickPickItem>> {
    for (let i = 0; i < 200; i++) {
      const qp = shown.find((q) => q.title?.startsWith(title));
      if (qp) return qp;
      await sleep(25);
    }
    throw new Error(`no quick pick "${title}" (shown: ${shown.map((q) => q.title).join(' | ')})`);
  }

  const accept = () => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');

  /** Types `text` in the filter box and waits for VS Code to filter the rows. */
  async function type(qp: vscode.QuickPick<vscode.QuickPickItem>, text: string, active?: string): Promise<void> {
    qp.value = text;
    for (let i = 0; active && i < 200 && qp.activeItems[0]?.label !== active; i++) await sleep(25);
  }

  async function chooseTrafficType(): Promise<vscode.QuickPick<vscode.QuickPickItem>> {
    const kind = await pickTitled('Add Filter');
    await type(kind, 'traffic-type', 'traffic-type');
    await accept();
    return pickTitled('Add Filter: traffic-type');
  }

  /** The command's outcome, or 'still open' when the value step did not take the Enter. */
  async function settle(run: Thenable<unknown>, qp: vscode.QuickPick<vscode.QuickPickItem>): Promise<unknown> {
    const open = new Promise((resolve) => setTimeout(() => resolve('still open'), 3000));
    const outcome = await Promise.race([run, open]);
    if (outcome === 'still open') qp.hide();
    return outcome;
  }

  it('typing REJECT and pressing Enter adds traffic-type = REJECT (nothing checked)', async () => {
    const run = cmd('flowLogs.addFilter');
    const values = await chooseTrafficType();
    assert.equal(values.canSelectMany, true);
    await type(values, 'REJECT', 'REJECT');
    assert.deepEqual(values.selectedItems, [], 'nothing checked: only typed');
    await accept();
    assert.equal(await settle(run, values), true);
    assert.deepEqual(fx.api.services.filters.filters.filters, [{ name: 'traffic-type', values: ['REJECT'] }]);
  });

  it('a value then Space checks it; lower case and two values with Enter', async () => {
    const run = cmd('flowLogs.addFilter');
    const values = await chooseTrafficType();
    await type(values, 'reject ');
    for (let i = 0; i < 100 && values.selectedItems.length === 0; i++) await sleep(25);
    assert.deepEqual(
      values.selectedItems.map((i) => i.label),
      ['REJECT'],
    );
    assert.equal(values.value, '', 'the typed value became a check');
    await sleep(300); // VS Code has taken the cleared box before the next word is typed, as between key presses
    await type(values, 'acc', 'ACCEPT');
    await accept();
    assert.equal(await settle(run, values), true);
    assert.deepEqual(fx.api.services.filters.filters.filters, [{ name: 'traffic-type', values: ['ACCEPT', 'REJECT'] }]);
  });

  it('a word that is no value keeps the step open and names it', async () => {
    const run = cmd('flowLogs.addFilter');
    const values = await chooseTrafficType();
    await type(values, 'DROP');
    await accept();
    for (let i = 0; i < 100 && !/DROP/.test(values.title ?? ''); i++) await sleep(25);
    assert.match(values.title ?? '', /"DROP" is not one of ACCEPT, REJECT, ALL/);
    assert.equal(await settle(run, values), 'still open');
    assert.equal(await run, false, 'closed: nothing added');
    assert.deepEqual(fx.api.services.filters.filters.filters, []);
  });
});
