import * as assert from 'node:assert/strict';
import { chunk, MAX_FLOW_LOG_IDS_PER_REQUEST, parseFlowLogIdList, planQueries } from '../../src/filters/flowLogIds';

const A = 'fl-1234abcd';
const B = 'fl-0123456789abcdef0';
const C = 'fl-deadbeef';

/** `count` distinct valid 17-hex-digit flow log IDs. */
function manyIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `fl-${i.toString(16).padStart(17, '0')}`);
}

describe('parseFlowLogIdList', () => {
  it('splits on commas, spaces, tabs, semicolons and new lines', () => {
    assert.deepEqual(parseFlowLogIdList(`${A}, ${B};${C}\n\tfl-abcdef01\r\nfl-00000000`), {
      ids: [A, B, C, 'fl-abcdef01', 'fl-00000000'],
      invalid: [],
      duplicates: 0,
    });
  });

  it('accepts a pasted JSON array', () => {
    assert.deepEqual(parseFlowLogIdList(JSON.stringify([A, B], null, 2)).ids, [A, B]);
  });

  it('accepts CLI-style quoted output', () => {
    assert.deepEqual(parseFlowLogIdList(`"${A}", "${B}"`).ids, [A, B]);
    assert.deepEqual(parseFlowLogIdList(`('${A}') {${C}}`).ids, [A, C]);
  });

  it('drops duplicates, keeps first-seen order and counts the repeats', () => {
    assert.deepEqual(parseFlowLogIdList(`${B} ${A} ${B} ${A} ${B}`), { ids: [B, A], invalid: [], duplicates: 3 });
  });

  it('reports invalid tokens once each, in order', () => {
    const parsed = parseFlowLogIdList(`${A} vpc-1234abcd fl-123 FL-1234ABCD fl-1234abcg fl-123 fl-1234abcd5`);
    assert.deepEqual(parsed.ids, [A]);
    assert.deepEqual(parsed.invalid, ['vpc-1234abcd', 'fl-123', 'FL-1234ABCD', 'fl-1234abcg', 'fl-1234abcd5']);
    assert.equal(parsed.duplicates, 0);
  });

  it('returns nothing for empty or blank input', () => {
    const none = { ids: [], invalid: [], duplicates: 0 };
    assert.deepEqual(parseFlowLogIdList(''), none);
    assert.deepEqual(parseFlowLogIdList('  \n\t , ; []'), none);
  });
});

describe('chunk', () => {
  for (const count of [0, 1, 1000, 1001, 2500]) {
    it(`splits ${count} IDs into chunks of at most 1000, every ID once and in order`, () => {
      const ids = manyIds(count);
      const chunks = chunk(ids);
      assert.equal(chunks.length, Math.ceil(count / 1000));
      assert.ok(chunks.every((c) => c.length > 0 && c.length <= 1000));
      assert.deepEqual(chunks.flat(), ids);
    });
  }

  it('gives the expected chunk sizes for 2500', () => {
    assert.deepEqual(
      chunk(manyIds(2500)).map((c) => c.length),
      [1000, 1000, 500],
    );
  });

  it('honours a custom size and rejects a size that is not a positive integer', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.throws(() => chunk([1], 0), RangeError);
    assert.throws(() => chunk([1], 1.5), RangeError);
  });
});

describe('planQueries', () => {
  const filters = [{ Name: 'traffic-type', Values: ['REJECT'] }];

  it('keeps a query without IDs as one query without FlowLogIds', () => {
    assert.deepEqual(planQueries({ filters }), [{ filters }]);
    assert.deepEqual(planQueries({ filters, flowLogIds: [] }), [{ filters }]);
    assert.equal('flowLogIds' in planQueries({ filters, flowLogIds: [] })[0], false);
  });

  it('keeps up to 1000 IDs in a single query', () => {
    const ids = manyIds(MAX_FLOW_LOG_IDS_PER_REQUEST);
    assert.deepEqual(planQueries({ filters, flowLogIds: ids }), [{ filters, flowLogIds: ids }]);
  });

  it('splits 2500 IDs into three queries with the same filters', () => {
    const ids = manyIds(2500);
    const plan = planQueries({ filters, flowLogIds: ids });
    assert.equal(plan.length, 3);
    for (const query of plan) assert.deepEqual(query.filters, filters);
    assert.deepEqual(
      plan.map((q) => q.flowLogIds?.length),
      [1000, 1000, 500],
    );
    assert.deepEqual(
      plan.flatMap((q) => q.flowLogIds ?? []),
      ids,
    );
  });

  it('uses a custom maximum and drops repeated IDs', () => {
    const plan = planQueries({ filters: [], flowLogIds: [A, B, A, C] }, 2);
    assert.deepEqual(plan, [
      { filters: [], flowLogIds: [A, B] },
      { filters: [], flowLogIds: [C] },
    ]);
  });

  it('does not share filter arrays between planned queries', () => {
    const plan = planQueries({ filters, flowLogIds: manyIds(1001) });
    assert.notEqual(plan[0].filters, plan[1].filters);
    assert.notEqual(plan[0].filters[0].Values, filters[0].Values);
  });
});
