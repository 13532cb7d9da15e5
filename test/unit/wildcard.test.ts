import * as assert from 'node:assert/strict';
import { hasWildcard, matchesWildcard, patternCanMatchShape } from '../../src/filters/wildcard';

describe('matchesWildcard (EC2 filter-value semantics)', () => {
  const cases: Array<[pattern: string, value: string, expected: boolean]> = [
    ['vpc-0abc*', 'vpc-0abc1234', true],
    ['vpc-0abc*', 'vpc-0abc', true],
    ['vpc-0abc*', 'vpc-1abc1234', false],
    ['*', '', true],
    ['*', 'anything', true],
    ['', '', true],
    ['', 'x', false],
    ['fl-????????', 'fl-1234abcd', true],
    ['fl-????????', 'fl-1234abc', false],
    ['fl-????????', 'fl-1234abcde', false],
    ['*prod*', 'app-prod-eu', true],
    ['*prod', 'app-prod-eu', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXcYYb', false],
    ['Prod', 'prod', false],
    ['prod', 'production', false],
    ['\\*amazon\\?\\\\', '*amazon?\\', true],
    ['\\*amazon', 'xamazon', false],
    ['?', 'é', true],
    ['?', '😀', true],
  ];
  for (const [pattern, value, expected] of cases) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(value)}`, () => {
      assert.equal(matchesWildcard(pattern, value), expected);
    });
  }

  it('finds wildcards but not escaped ones', () => {
    assert.equal(hasWildcard('vpc-*'), true);
    assert.equal(hasWildcard('fl-1?'), true);
    assert.equal(hasWildcard('a\\*b'), false);
    assert.equal(hasWildcard('plain'), false);
  });

  it('tells whether a pattern can match some string of a shape', () => {
    const shape = ['a', 'b', '01', '01'];
    assert.equal(patternCanMatchShape('ab01', shape), true);
    assert.equal(patternCanMatchShape('a*', shape), true);
    assert.equal(patternCanMatchShape('*1', shape), true);
    assert.equal(patternCanMatchShape('a??1', shape), true);
    assert.equal(patternCanMatchShape('ab2*', shape), false);
    assert.equal(patternCanMatchShape('ab0', shape), false);
    assert.equal(patternCanMatchShape('ab0101', shape), false);
    assert.equal(patternCanMatchShape('*b*', shape), true);
    assert.equal(patternCanMatchShape('*c*', shape), false);
  });
});
