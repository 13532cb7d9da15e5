// The detail page's pure part (src/webviews/detail/tagFilter.ts), in Node.
import * as assert from 'node:assert/strict';
import { matchesTagFilter, tagCountText } from '../../src/webviews/detail/tagFilter';

describe('detail page: the tag filter', () => {
  it('matches key or value, case-insensitive, trimmed; blank matches every row', () => {
    assert.equal(matchesTagFilter('', 'Name', 'web'), true);
    assert.equal(matchesTagFilter('   ', 'Name', 'web'), true);
    assert.equal(matchesTagFilter('NAME', 'Name', 'web'), true);
    assert.equal(matchesTagFilter(' We ', 'Name', 'web'), true);
    assert.equal(matchesTagFilter('prod', 'Name', 'web'), false);
    // Key and value are matched apart: no match across their boundary.
    assert.equal(matchesTagFilter('eweb', 'Name', 'web'), false);
    assert.equal(tagCountText(1, 3), '1 of 3 tags');
  });
});
