// Large worker results cross to the main thread in parts. Deserializing one 10,000-record message
// is a single ~100 ms task on the extension host's thread; parts of PART_RECORDS records, each
// sent only when the main thread asks for it (after a yield), bound that stall to one part.
// Generic: any operation whose result carries `packed` records streams; others go whole. Pure.
import { concatPacked, type PackedRecords } from './recordsParse';

/** Records per part: ~5 ms to deserialize on this machine. */
export const PART_RECORDS = 1000;

type WithPacked = { packed: PackedRecords };

function packedOf(value: unknown): PackedRecords | undefined {
  const p = (value as Partial<WithPacked> | null)?.packed;
  return p && typeof p === 'object' && Array.isArray(p.t) && Array.isArray(p.v) && typeof p.width === 'number' ? p : undefined;
}

function slice(p: PackedRecords, from: number, to: number): PackedRecords {
  return {
    width: p.width,
    v: p.v.slice(from * p.width, to * p.width),
    t: p.t.slice(from, to),
    s: p.s.slice(from, to),
    id: p.id.slice(from, to),
    bad: p.bad.filter(([i]) => i >= from && i < to).map(([i, why, raw]) => [i - from, why, raw]),
  };
}

/** The parts to send before the result, and the result to send last (the final part inside). */
export function splitResult(value: unknown, partRecords = PART_RECORDS): { parts: PackedRecords[]; last: unknown } {
  const p = packedOf(value);
  const n = p?.t.length ?? 0;
  if (!p || n <= partRecords) return { parts: [], last: value };
  const parts: PackedRecords[] = [];
  let from = 0;
  for (; from + partRecords < n; from += partRecords) parts.push(slice(p, from, from + partRecords));
  return { parts, last: { ...(value as object), packed: slice(p, from, n) } };
}

/** The result as the operation returned it, from the parts received in order and the last message. */
export function joinResult(parts: readonly unknown[], last: unknown): unknown {
  const tail = packedOf(last);
  if (!parts.length || !tail) return last;
  return { ...(last as object), packed: concatPacked(tail.width, [...(parts as PackedRecords[]), tail]) };
}
