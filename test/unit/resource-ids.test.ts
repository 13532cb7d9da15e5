// The AWS identifier shapes (src/aws/resourceIds.ts), and that every checker uses the same ones.
import * as assert from 'node:assert/strict';
import {
  FLOW_LOG_ID_PATTERN,
  ID_HEX_LENGTHS,
  WATCHED_RESOURCE_ID_PREFIXES,
  isAccountId,
  isFlowLogId,
  watchedResourceKind,
} from '../../src/aws/resourceIds';
import { flowLogArn, flowLogConsoleUrl, resourceConsoleUrl } from '../../src/aws/arn';
import { isFlowLogId as filtersIsFlowLogId, validateFilterValue } from '../../src/filters/filterDefinitions';
import { s3Location } from '../../src/records/s3/layout';

const SHORT = '0123abcd';
const LONG = '0123456789abcdef0';

describe('AWS identifier shapes (resourceIds)', () => {
  it('a flow log ID is fl- and 8 or 17 lowercase hex digits', () => {
    assert.deepEqual(ID_HEX_LENGTHS, [8, 17]);
    for (const id of [`fl-${SHORT}`, `fl-${LONG}`]) assert.equal(isFlowLogId(id), true, id);
    for (const id of [
      'fl-',
      'fl-0abc',
      'fl-0123456789',
      `fl-${SHORT.toUpperCase()}`,
      `fl-${LONG}0`,
      `FL-${SHORT}`,
      `fl-${SHORT} `,
      'fl-*',
      42,
      undefined,
    ]) {
      assert.equal(isFlowLogId(id), false, String(id));
    }
    assert.equal(FLOW_LOG_ID_PATTERN.test(`fl-${LONG}`), true);
  });

  it('names the kind of a watched resource, the longer tgw-attach- prefix included', () => {
    assert.equal(watchedResourceKind(`vpc-${SHORT}`), 'vpc');
    assert.equal(watchedResourceKind(`subnet-${LONG}`), 'subnet');
    assert.equal(watchedResourceKind(`eni-${LONG}`), 'eni');
    assert.equal(watchedResourceKind(`tgw-${LONG}`), 'tgw');
    assert.equal(watchedResourceKind(`tgw-attach-${LONG}`), 'tgw-attach');
    for (const id of [`i-${LONG}`, 'vpc-1', `vpc-${LONG}#x`, `VPC-${LONG}`, `tgw-attach-`, '', undefined, {}]) {
      assert.equal(watchedResourceKind(id), undefined, String(id));
    }
    assert.deepEqual(WATCHED_RESOURCE_ID_PREFIXES, ['vpc-', 'subnet-', 'eni-', 'tgw-', 'tgw-attach-']);
  });

  it('an account ID is 12 digits', () => {
    assert.equal(isAccountId('123456789012'), true);
    for (const v of ['12345678901', '1234567890123', '12345678901a', '', undefined, 123456789012])
      assert.equal(isAccountId(v), false, String(v));
  });

  it('the filters, the ARNs, the console links and the S3 layout agree on what a flow log ID is', () => {
    const flowLog = (FlowLogId: string) => ({
      FlowLogId,
      ResourceId: `vpc-${LONG}`,
      LogDestinationType: 's3' as const,
      LogDestination: 'arn:aws:s3:::bucket',
    });
    for (const id of [`fl-${SHORT}`, `fl-${LONG}`, 'fl-0abc', `fl-${SHORT.toUpperCase()}`, 'fl-0123456789']) {
      const ok = isFlowLogId(id);
      assert.equal(filtersIsFlowLogId(id), ok, id);
      assert.equal(validateFilterValue('flow-log-id', id) === undefined, ok, id);
      assert.equal(flowLogArn('us-east-1', '123456789012', id) !== undefined, ok, id);
      assert.equal(flowLogConsoleUrl('us-east-1', flowLog(id)) !== undefined, ok, id);
      assert.equal(!('problem' in s3Location(flowLog(id), '123456789012', 'us-east-1')), ok, id);
    }
  });

  it('the resource-id filter and the console links accept the same resource IDs', () => {
    for (const id of [`vpc-${SHORT}`, `subnet-${LONG}`, `eni-${LONG}`, `tgw-${SHORT}`, `tgw-attach-${LONG}`, 'vpc-1', `igw-${LONG}`]) {
      const ok = watchedResourceKind(id) !== undefined;
      assert.equal(validateFilterValue('resource-id', id) === undefined, ok, id);
      assert.equal(resourceConsoleUrl('us-east-1', id) !== undefined, ok, id);
    }
  });
});
