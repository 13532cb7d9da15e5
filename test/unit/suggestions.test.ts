import * as assert from 'node:assert/strict';
import type { FlowLog } from '../../src/shared/types';
import { collectSuggestions, suggestionsForFilter, suggestionsMatching, suggestTagValues } from '../../src/filters/suggestions';

const flowLogs: FlowLog[] = [
  {
    FlowLogId: 'fl-00000001',
    ResourceId: 'vpc-aaaaaaaa',
    LogGroupName: '/vpc/prod',
    TrafficType: 'ALL',
    DeliverLogsStatus: 'SUCCESS',
    LogDestinationType: 'cloud-watch-logs',
    Tags: [
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'net' },
    ],
  },
  {
    FlowLogId: 'fl-00000002',
    ResourceId: 'vpc-aaaaaaaa',
    LogGroupName: '/vpc/prod',
    TrafficType: 'REJECT',
    DeliverLogsStatus: 'FAILED',
    LogDestinationType: 'cloud-watch-logs',
    Tags: [{ Key: 'env', Value: 'staging' }],
  },
  {
    FlowLogId: 'fl-00000003',
    ResourceId: 'subnet-bbbbbbbb',
    TrafficType: 'ALL',
    LogDestinationType: 's3',
    // A repeated tag must count once for this flow log; an empty value is not a suggestion.
    Tags: [
      { Key: 'env', Value: 'prod' },
      { Key: 'env', Value: 'prod' },
      { Key: 'owner', Value: '' },
    ],
  },
  { FlowLogId: 'fl-00000004', ResourceId: 'eni-cccccccc' },
];

describe('suggestions', () => {
  it('collects resource IDs, log groups, flow log IDs and tag keys by count, then value', () => {
    const s = collectSuggestions(flowLogs);
    assert.deepEqual(s.resourceIds, [
      { value: 'vpc-aaaaaaaa', count: 2 },
      { value: 'eni-cccccccc', count: 1 },
      { value: 'subnet-bbbbbbbb', count: 1 },
    ]);
    assert.deepEqual(s.logGroupNames, [{ value: '/vpc/prod', count: 2 }]);
    assert.deepEqual(
      s.flowLogIds.map((x) => x.value),
      ['fl-00000001', 'fl-00000002', 'fl-00000003', 'fl-00000004'],
    );
    assert.deepEqual(s.tagKeys, [
      { value: 'env', count: 3 },
      { value: 'owner', count: 1 },
      { value: 'team', count: 1 },
    ]);
  });

  it('collects the values of one tag key, skipping empty values', () => {
    assert.deepEqual(suggestTagValues(flowLogs, 'env'), [
      { value: 'prod', count: 2 },
      { value: 'staging', count: 1 },
    ]);
    assert.deepEqual(suggestTagValues(flowLogs, 'owner'), []);
    assert.deepEqual(suggestTagValues(flowLogs, 'ENV'), []);
  });

  it('caps the number of suggestions', () => {
    const many: FlowLog[] = Array.from({ length: 300 }, (_, i) => ({ ResourceId: `vpc-${i.toString(16).padStart(8, '0')}` }));
    const capped = collectSuggestions(many).resourceIds;
    assert.equal(capped.length, 200);
    assert.equal(capped[0].value, 'vpc-00000000');
    assert.equal(collectSuggestions(many, 5).resourceIds.length, 5);
  });

  it('suggests per filter name, tag:<key> included', () => {
    assert.deepEqual(suggestionsForFilter(flowLogs, 'traffic-type'), [
      { value: 'ALL', count: 2 },
      { value: 'REJECT', count: 1 },
    ]);
    assert.deepEqual(
      suggestionsForFilter(flowLogs, 'deliver-log-status').map((x) => x.value),
      ['FAILED', 'SUCCESS'],
    );
    assert.deepEqual(suggestionsForFilter(flowLogs, 'log-destination-type')[0], { value: 'cloud-watch-logs', count: 2 });
    assert.deepEqual(
      suggestionsForFilter(flowLogs, 'tag:env').map((x) => x.value),
      ['prod', 'staging'],
    );
    assert.deepEqual(suggestionsForFilter(flowLogs, 'tag-key')[0], { value: 'env', count: 3 });
    assert.deepEqual(suggestionsForFilter(flowLogs, 'vpc-id'), []);
    assert.deepEqual(suggestionsForFilter(flowLogs, 'toString'), []);
  });

  it('narrows suggestions with a wildcard pattern', () => {
    const ids = collectSuggestions(flowLogs).resourceIds;
    assert.deepEqual(
      suggestionsMatching(ids, 'vpc-*').map((x) => x.value),
      ['vpc-aaaaaaaa'],
    );
    assert.deepEqual(suggestionsMatching(ids, '*-????????').length, 3);
  });
});
