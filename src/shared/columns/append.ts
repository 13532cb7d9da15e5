// Records into a column store: a CloudWatch Logs message or a line of an S3 text object, as
// parseMessage (records/parse.ts) reads it, without an object per record for a regular line.
// Pure: no vscode, no Node APIs.
import { parseMessage } from '../recordsParse';
import type { ColumnStore } from './store';

/** Longest message the fast path takes (longer ones are cut and marked by parseMessage). */
const MAX_REGULAR = 16_384;

/**
 * Appends one message, exactly as parseMessage would parse it: a regular message (fields of
 * printable ASCII separated by single spaces, the right count, a version that agrees) field by
 * field; anything else through parseMessage (marked there).
 */
export function appendMessage(store: ColumnStore, message: string, t: number, stream?: string): void {
  const width = store.width;
  const n = message.length;
  if (n > 0 && n <= MAX_REGULAR) {
    let k = 0;
    let start = 0;
    let regular = true;
    const cuts = fieldCuts(width);
    for (let i = 0; i < n; i++) {
      const c = message.charCodeAt(i);
      if (c === 32) {
        if (i === start || k >= width - 1) {
          regular = false;
          break;
        }
        cuts[2 * k] = start;
        cuts[2 * k + 1] = i;
        k++;
        start = i + 1;
      } else if (c < 33 || c > 126) {
        regular = false;
        break;
      }
    }
    if (regular && start < n && k === width - 1) {
      cuts[2 * k] = start;
      cuts[2 * k + 1] = n;
      const versionAt = store.layout.index.version;
      const expected = store.layout.version;
      let ok = true;
      if (versionAt !== undefined && expected !== undefined) {
        const v = message.slice(cuts[2 * versionAt], cuts[2 * versionAt + 1]);
        if (/^\d{1,9}$/.test(v) && v !== String(expected)) ok = false;
      }
      if (ok) {
        const v: string[] = new Array(width);
        for (let f = 0; f < width; f++) v[f] = message.slice(cuts[2 * f], cuts[2 * f + 1]);
        store.appendRecord({ v, t, s: stream });
        return;
      }
    }
  }
  store.appendRecord(parseMessage(store.layout, message, t, stream));
}

let cutsOf: Int32Array = new Int32Array(64);
function fieldCuts(width: number): Int32Array {
  if (cutsOf.length < 2 * width) cutsOf = new Int32Array(2 * width);
  return cutsOf;
}

/** What appendAthenaRows did with a page of rows. */
export interface AthenaRowsAppended {
  added: number;
  /** Rows a filter SQL could not say refused (applied here). */
  filtered: number;
  /** Matching rows past `room` (not appended). */
  over: number;
}

/**
 * Appends rows of Athena's answer to the records SELECT (one value per column, null for none) as
 * the S3 reader reads the same records: a missing value is "-", the time is `start` in ms. `at`
 * gives each answer column's index in the layout; rows `keep` refuses are counted, not appended;
 * at most `room` are appended.
 */
export function appendAthenaRows(
  store: ColumnStore,
  at: readonly number[],
  rows: readonly (readonly (string | null)[])[],
  keep: (r: { v: string[]; t: number }) => boolean,
  room: number,
): AthenaRowsAppended {
  const width = store.width;
  const startAt = store.layout.index.start;
  const out: AthenaRowsAppended = { added: 0, filtered: 0, over: 0 };
  for (const row of rows) {
    const v: string[] = new Array(width).fill('-');
    for (let i = 0; i < at.length; i++) {
      const x = row[i];
      if (at[i] >= 0 && x !== null && x !== undefined) v[at[i]] = x;
    }
    const start = startAt === undefined ? '' : v[startAt];
    const t = /^\d{1,15}$/.test(start) ? Number(start) * 1000 : 0;
    const r = { v, t };
    if (!keep(r)) {
      out.filtered++;
      continue;
    }
    if (out.added >= room) {
      out.over++;
      continue;
    }
    store.appendRecord(r);
    out.added++;
  }
  return out;
}
