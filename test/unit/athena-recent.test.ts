// The recent Athena queries (src/athena/recent.ts): newest first, at most 20, the same query where
// it ran before moves up, and a stored list read back as untrusted data.
import assert from 'node:assert/strict';
import { addRecent, MAX_RECENT, readRecent, recentDescription, type RecentAthenaQuery } from '../../src/athena/recent';

const entry = (sql: string, extra: Partial<RecentAthenaQuery> = {}): RecentAthenaQuery => ({
  title: `Q ${sql}`,
  sql,
  profile: 'dev',
  region: 'us-east-1',
  workGroup: 'primary',
  database: 'vpc_flow_logs',
  at: 1_000,
  ...extra,
});

describe('Recent Athena queries', () => {
  it('keeps the newest first, at most MAX_RECENT, and moves a query run again to the top', () => {
    let list: unknown = undefined;
    for (let i = 0; i < MAX_RECENT + 5; i++) list = addRecent(list, entry(`SELECT ${i}`, { at: i }));
    const read = readRecent(list);
    assert.equal(read.length, MAX_RECENT);
    assert.equal(read[0].sql, `SELECT ${MAX_RECENT + 4}`);
    assert.equal(read[MAX_RECENT - 1].sql, 'SELECT 5');
    const again = addRecent(list, entry('SELECT 10 ', { at: 99 }));
    assert.equal(again.length, MAX_RECENT);
    assert.equal(again[0].sql, 'SELECT 10 ');
    assert.equal(again.filter((r) => r.sql.trim() === 'SELECT 10').length, 1);
    // The same SQL in another region is another entry.
    const other = addRecent(again, entry('SELECT 10', { region: 'eu-west-1' }));
    assert.equal(other.filter((r) => r.sql.trim() === 'SELECT 10').length, 2);
  });

  it('reads back only valid entries: wrong types, missing fields and oversized text are dropped', () => {
    const good = entry('SELECT 1', { outputLocation: 's3://r/out/' });
    const list = readRecent([
      null,
      'SELECT 1',
      { ...good, sql: 42 },
      { ...good, profile: '' },
      { ...good, at: 'yesterday' },
      { ...good, outputLocation: 7 },
      { ...good, sql: 'x'.repeat(300_000) },
      good,
    ]);
    assert.deepEqual(list, [good]);
    assert.deepEqual(readRecent({ length: 3 }), []);
    assert.deepEqual(readRecent(undefined), []);
    // A bad new entry is not added.
    assert.deepEqual(addRecent([good], { ...good, sql: '' }), [good]);
  });

  it('describes where and when a query ran', () => {
    assert.equal(recentDescription(entry('x', { at: 0 }), 5 * 60_000), 'dev · us-east-1 · primary · 5 min ago');
    assert.equal(recentDescription(entry('x', { at: 0 }), 3 * 3_600_000), 'dev · us-east-1 · primary · 3 h ago');
    assert.equal(recentDescription(entry('x', { at: 0 }), 4 * 86_400_000), 'dev · us-east-1 · primary · 4 days ago');
  });
});
