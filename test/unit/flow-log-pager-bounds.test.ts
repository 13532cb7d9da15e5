// Issue 13, defect 4: Load All and Search All Regions are bounded against a server that never
// stops, both by "no progress" (empty pages with fresh tokens forever) and by a page bound that
// holds for non-empty pages too; the pager says why, and keeps what it loaded.
import assert from 'node:assert/strict';
import { FlowLogPager, type DescribeFlowLogsPage } from '../../src/aws/flowLogPager';
import { searchAllRegions } from '../../src/aws/searchAllRegions';

/** A server: `real` items first (pages of pageSize), then for ever what `then` answers. */
function endless(real: number, then: 'empty' | 'full') {
  let requests = 0;
  let n = 0;
  const fetch: DescribeFlowLogsPage = async (req) => {
    requests += 1;
    await Promise.resolve();
    if (n < real || then === 'full') {
      const items = Array.from({ length: req.pageSize }, () => ({ FlowLogId: `fl-${String(n++).padStart(17, '0')}` }));
      return { items, nextToken: `t${requests}` };
    }
    return { items: [], nextToken: `e${requests}` };
  };
  return { fetch, requests: () => requests };
}

describe('FlowLogPager bounds (issue 13, defect 4)', () => {
  it('(a) empty pages with a fresh token forever: Load All stops on no progress, says why, keeps the items, Load more… stays', async () => {
    const server = endless(10, 'empty');
    const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5 });
    const r = await pager.loadAll();
    assert.equal(r.error, undefined);
    assert.equal(pager.items.length, 10, 'the flow logs before the empty pages are kept');
    assert.equal(server.requests(), 2 + 50, '2 real pages, then 50 empty pages in a row');
    assert.equal(pager.hasMore, true, 'Load more… stays: the user decides');
    assert.match(pager.stoppedEarly ?? '', /50 empty pages in a row/);
    assert.match(pager.stoppedEarlyLabel ?? '', /^Load All stopped: 50 empty pages in a row/);
  });

  it('(b) non-empty pages forever: the page bound applies, says why, keeps the items', async () => {
    const server = endless(0, 'full');
    const warnings: string[] = [];
    const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 5, maxPages: 40, onWarning: (m) => warnings.push(m) });
    const r = await pager.loadAll();
    assert.equal(r.error, undefined);
    assert.equal(server.requests(), 40);
    assert.equal(pager.items.length, 200);
    assert.equal(pager.hasMore, false);
    assert.match(pager.stoppedEarlyLabel ?? '', /limit of 40 pages \(200 kept\)/);
    assert.deepEqual(warnings, ['Stopped after 40 pages']);
  });

  it('(b) the default bounds hold without options (no hang, no unbounded heap)', async () => {
    const server = endless(0, 'full');
    const pager = new FlowLogPager(server.fetch, { filters: [] }, { pageSize: 1000 });
    await pager.loadAll();
    assert.equal(pager.items.length, 1_000_000, 'the item bound');
    assert.equal(server.requests(), 1000);
    assert.match(pager.stoppedEarlyLabel ?? '', /1000000 flow logs/);
  });

  it('Search All Regions: a never-ending region is bounded, reports why and keeps its flow logs; the others complete', async () => {
    const bad = endless(10, 'empty');
    const good: DescribeFlowLogsPage = async () => ({ items: [{ FlowLogId: 'fl-00000000000000001' }] });
    const groups = await searchAllRegions(
      [
        { profile: 'p', profileName: 'p', region: 'us-east-1' },
        { profile: 'p', profileName: 'p', region: 'eu-west-1' },
      ],
      { filters: [] },
      (t) => (t.region === 'us-east-1' ? bad.fetch : good),
      { concurrency: 2, pageSize: 5 },
    );
    assert.equal(groups[0].flowLogs.length, 10);
    assert.equal(groups[0].requests, 52);
    assert.match(groups[0].stoppedEarly ?? '', /empty pages in a row/);
    assert.equal(groups[1].flowLogs.length, 1);
    assert.equal(groups[1].stoppedEarly, undefined);
  });
});
