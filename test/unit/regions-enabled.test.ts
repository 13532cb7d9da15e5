// Which regions an account has enabled: the local endpoint's DescribeRegions through the real SDK,
// the AWS workers' regionStatus, and the "Select Regions…" rows built from it.
import assert from 'node:assert/strict';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { defaultAccounts, startEmulator, type Emulator } from '../emulator/server';
import { regionChoices } from '../../src/shared/regions';

describe('DescribeRegions on the local endpoint (real SDK)', function () {
  this.timeout(30000);
  let em: Emulator;
  const [account] = defaultAccounts(1);
  before(async () => {
    em = await startEmulator({ accounts: [{ ...account, disabledRegions: ['af-south-1'] }], seed: 1 });
  });
  after(() => em.stop());
  const client = () =>
    new EC2Client({
      endpoint: em.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey! },
    });

  it('AllRegions: every region of the partition with its opt-in status', async () => {
    const out = await client().send(new DescribeRegionsCommand({ AllRegions: true }));
    const status = new Map(out.Regions!.map((r) => [r.RegionName, r.OptInStatus]));
    assert.equal(status.get('us-east-1'), 'opt-in-not-required');
    assert.equal(status.get('af-south-1'), 'not-opted-in');
    assert.equal(status.get('ap-east-1'), 'opted-in');
    assert.ok(!status.has('cn-north-1'), 'only the partition of the caller');
  });

  it('without AllRegions: only the enabled regions, as on AWS', async () => {
    const out = await client().send(new DescribeRegionsCommand({}));
    const names = out.Regions!.map((r) => r.RegionName);
    assert.ok(names.includes('us-east-1') && names.includes('ap-east-1'));
    assert.ok(!names.includes('af-south-1'));
  });
});

describe('regionChoices (the rows of Select Regions…)', () => {
  it('marks opt-in regions with what DescribeRegions said, hides none', () => {
    const status = new Map([
      ['us-east-1', 'opt-in-not-required'],
      ['af-south-1', 'not-opted-in'],
      ['ap-east-1', 'opted-in'],
      ['xx-future-1', 'opt-in-not-required'],
    ]);
    const rows = regionChoices('aws', new Set(['us-east-1']), status);
    const row = (id: string) => rows.find((r) => r.id === id)!;
    assert.match(row('af-south-1').note!, /Not enabled for this account/);
    assert.match(row('ap-east-1').note!, /enabled for this account/);
    assert.equal(row('us-east-1').note, undefined);
    assert.equal(row('us-east-1').picked, true);
    assert.ok(row('xx-future-1'), 'a region the table does not know is offered too');
    assert.ok(rows.length > 30);
  });

  it('without an answer, opt-in regions say they must be enabled; shown regions stay offered', () => {
    const rows = regionChoices('aws', new Set(['zz-new-1']), undefined);
    assert.match(rows.find((r) => r.id === 'af-south-1')!.note!, /only if enabled/);
    assert.equal(rows.find((r) => r.id === 'zz-new-1')!.picked, true);
  });
});
