// The copy values (src/explorer/copyValues.ts) the copy commands and the detail panel share.
import assert from 'node:assert/strict';
import { arnOf, copiedStatus, COPY_LABELS, nothingToCopy, valueToCopy, type CopyKind } from '../../src/explorer/copyValues';
import { flowLogRef } from '../../src/explorer/flowLogRef';
import { COPY_FIELDS } from '../../src/webviews/detail/protocol';

const profile = { name: 'prod', kind: 'static' as const, settings: {} };
const full = flowLogRef(profile, 'eu-west-1', {
  FlowLogId: 'fl-0123456789abcdef0',
  ResourceId: 'vpc-1',
  LogDestination: 'arn:aws:s3:::bucket/prefix',
  DeliverLogsPermissionArn: 'arn:aws:iam::123456789012:role/delivery',
  DeliverCrossAccountRole: 'arn:aws:iam::210987654321:role/cross',
});
const bare = flowLogRef(profile, 'cn-north-1', { FlowLogId: 'fl-0123456789abcdef1' });

describe('explorer copy values', () => {
  const account = () => Promise.resolve('123456789012');

  it('each kind copies its field; the ARN is built with the account ID and the partition', async () => {
    assert.equal(await valueToCopy(full, 'arn', account), 'arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/fl-0123456789abcdef0');
    assert.equal(await valueToCopy(bare, 'arn', account), 'arn:aws-cn:ec2:cn-north-1:123456789012:vpc-flow-log/fl-0123456789abcdef1');
    assert.equal(await valueToCopy(full, 'id', account), 'fl-0123456789abcdef0');
    assert.equal(await valueToCopy(full, 'resourceId', account), 'vpc-1');
    assert.equal(await valueToCopy(full, 'destination', account), 'arn:aws:s3:::bucket/prefix');
    assert.equal(await valueToCopy(full, 'role', account), 'arn:aws:iam::123456789012:role/delivery');
    assert.equal(await valueToCopy(full, 'crossAccountRole', account), 'arn:aws:iam::210987654321:role/cross');
  });

  it('the role falls back to the cross-account role; a missing field copies nothing', async () => {
    const crossOnly = flowLogRef(profile, 'eu-west-1', { FlowLogId: 'fl-1', DeliverCrossAccountRole: 'arn:aws:iam::1:role/x' });
    assert.equal(await valueToCopy(crossOnly, 'role', account), 'arn:aws:iam::1:role/x');
    for (const kind of ['resourceId', 'destination', 'role', 'crossAccountRole'] as CopyKind[])
      assert.equal(await valueToCopy(bare, kind, account), undefined, kind);
  });

  it('the account ID is asked only for the ARN, and its failure reaches the caller', async () => {
    let asked = 0;
    const failing = () => {
      asked++;
      return Promise.reject(new Error('no credentials'));
    };
    assert.equal(await valueToCopy(full, 'id', failing), 'fl-0123456789abcdef0');
    assert.equal(asked, 0);
    await assert.rejects(valueToCopy(full, 'arn', failing), /no credentials/);
    assert.equal(arnOf(full, undefined), undefined, 'no ARN without an account ID');
  });

  it('labels every copy field of the webview but the tag value; status lines are bounded', () => {
    assert.deepEqual(Object.keys(COPY_LABELS).sort(), COPY_FIELDS.filter((f) => f !== 'tagValue').sort());
    assert.equal(copiedStatus('id', 'fl-1'), '$(copy) Copied flow log ID: fl-1');
    assert.equal(copiedStatus('destination', 'x'.repeat(100)), `$(copy) Copied log destination ARN: ${'x'.repeat(79)}…`);
    assert.equal(nothingToCopy('role'), 'This flow log has no IAM role ARN.');
  });
});
