// The (profile, region) key and the fallback region (src/shared/regions.ts).
import * as assert from 'node:assert/strict';
import { FALLBACK_REGION, partitionOf, profileOfKey, regionInfo, regionKey } from '../../src/shared/regions';

describe('regionKey and FALLBACK_REGION (aws/regions)', () => {
  it('the fallback region is US East (N. Virginia), in the commercial partition', () => {
    assert.equal(FALLBACK_REGION, 'us-east-1');
    assert.equal(regionInfo(FALLBACK_REGION)?.optIn, false);
    assert.equal(partitionOf(FALLBACK_REGION), 'aws');
  });

  it('one key per (profile, region): no two pairs share one', () => {
    assert.equal(regionKey('prod', 'eu-west-1'), 'prod\u0000eu-west-1');
    const pairs: Array<[string, string]> = [
      ['a', 'b-c'],
      ['a-b', 'c'],
      ['a b', 'c'],
      ['a', 'b c'],
      ['', 'us-east-1'],
      ['us-east-1', ''],
    ];
    assert.equal(new Set(pairs.map(([p, r]) => regionKey(p, r))).size, pairs.length);
  });

  it('profileOfKey reads the profile back, and takes a plain profile name as it is', () => {
    assert.equal(profileOfKey(regionKey('prod', 'eu-west-1')), 'prod');
    assert.equal(profileOfKey(regionKey('team a/b', 'us-east-1')), 'team a/b');
    assert.equal(profileOfKey('prod'), 'prod');
    assert.notEqual(profileOfKey(regionKey('prod-2', 'us-east-1')), 'prod');
  });
});
