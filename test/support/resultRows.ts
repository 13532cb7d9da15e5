// Reads every loaded record back through a loader's ResultSet (windows of MAX_WINDOW_ROWS, in the
// current order), as FlowRecord values, so tests compare exact records against the ground truth
// while the records stay where they were parsed (the AWS worker's store).
import type { FlowRecord } from '../../src/shared/recordsParse';
import { MAX_WINDOW_ROWS, type ResultSet } from '../../src/shared/resultSet';

export async function rowsOf(from: { resultSet: ResultSet } | ResultSet): Promise<FlowRecord[]> {
  const rs = 'resultSet' in from ? from.resultSet : from;
  const out: FlowRecord[] = [];
  for (let start = 0; ; start += MAX_WINDOW_ROWS) {
    const w = await rs.window(start, MAX_WINDOW_ROWS);
    for (const row of w.rows) {
      const r: FlowRecord = { v: row.v, t: row.t };
      if (row.s !== undefined) r.s = row.s;
      if (row.bad !== undefined) {
        r.bad = row.bad;
        r.raw = row.raw;
      }
      out.push(r);
    }
    if (start + MAX_WINDOW_ROWS >= w.total) return out;
  }
}

/** A record as one comparable string: time, stream, values, and why it did not fit (no event ID: the store keeps none). */
export function recordKey(r: FlowRecord): string {
  return JSON.stringify([r.t, r.s ?? '', r.v, r.bad ?? '']);
}
