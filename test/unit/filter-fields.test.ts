// The field column of the filter definitions: which flow log member each DescribeFlowLogs filter
// matches. The suggestions, the local endpoint and its test all read it.
import * as assert from 'node:assert/strict';
import type { FlowLog } from '../../src/shared/types';
import { FIELD_FILTERS, FILTER_DEFINITIONS } from '../../src/filters/filterDefinitions';
import { suggestionsForFilter } from '../../src/filters/suggestions';

describe('filter definitions: the field column', () => {
  it('names the member of each filter on one member, none for the tag filters', () => {
    const fields = Object.fromEntries(FILTER_DEFINITIONS.map((d) => [d.name, d.field]));
    assert.deepEqual(fields, {
      'deliver-log-status': 'DeliverLogsStatus',
      'log-destination-type': 'LogDestinationType',
      'flow-log-id': 'FlowLogId',
      'log-group-name': 'LogGroupName',
      'resource-id': 'ResourceId',
      'traffic-type': 'TrafficType',
      'tag:': undefined,
      'tag-key': undefined,
    });
    assert.deepEqual(
      [...FIELD_FILTERS.keys()],
      Object.keys(fields).filter((n) => fields[n] !== undefined),
    );
    assert.equal(FIELD_FILTERS.get('toString'), undefined);
  });

  it('the suggestions of a field filter are the values of that field', () => {
    const logs: FlowLog[] = [
      { FlowLogId: 'fl-0000000a', ResourceId: 'vpc-0000000a', TrafficType: 'ALL', LogGroupName: 'g1', DeliverLogsStatus: 'SUCCESS' },
      {
        FlowLogId: 'fl-0000000b',
        ResourceId: 'vpc-0000000a',
        TrafficType: 'REJECT',
        LogDestinationType: 's3',
        DeliverLogsStatus: 'FAILED',
      },
    ];
    for (const [name, { field }] of FIELD_FILTERS) {
      const expected = [...new Set(logs.map((l) => l[field]).filter((v): v is string => v !== undefined))].sort();
      assert.deepEqual(
        suggestionsForFilter(logs, name)
          .map((s) => s.value)
          .sort(),
        expected,
        name,
      );
    }
  });
});
