// The records page's pure parts (no DOM, no vscode): the default column order, what a cell shows
// (control and invisible characters marked, as the detail panel does), sizes and the S3 footer.
// Bundled by esbuild into media/dist/recordsPage.js (window.RecordsPage) for media/records.js,
// and unit-tested in Node. Imports only pure helpers (layer rule `records-page-pure`).
import { CONTROL_CHARS, INVISIBLE_FORMAT_CHARS } from '../../shared/text';

/** The label of the event-time column in the chooser (not a field of the format). */
export const EVENT_TIME = 'event time';

/** The address name columns (issue 27): not fields of the format; filled from the name map. */
export const SOURCE_NAME = 'source name';
export const DESTINATION_NAME = 'destination name';

/**
 * The name columns a format can have (a source / destination address field to name). Offered in
 * the column chooser after the 5-tuple, never shown by default: each screen of names costs
 * DescribeNetworkInterfaces calls and ec2:Describe* permissions the reading profile may lack.
 */
export function nameColumns(fieldNames: readonly string[]): string[] {
  const out: string[] = [];
  if (fieldNames.includes('srcaddr') || fieldNames.includes('pkt-srcaddr')) out.push(SOURCE_NAME);
  if (fieldNames.includes('dstaddr') || fieldNames.includes('pkt-dstaddr')) out.push(DESTINATION_NAME);
  return out;
}

/**
 * "Filter by this resource" on an address (issue 27): the filter model takes addresses, not names,
 * so the filter value is every address of the resource behind it (the record's own first), as a
 * comma list ("any of"); an address without a name filters by itself. Negated with a leading "!".
 */
export function resourceFilterValue(address: string, addresses: readonly string[] | undefined, exclude = false): string {
  const list = [address, ...(addresses ?? []).filter((a) => a !== address && /^[0-9a-fA-F.:]+$/.test(a))];
  return (exclude ? '!' : '') + list.join(',');
}

/**
 * The columns first by default, for every source and format: the 5-tuple, the action, the bytes
 * (`pkt-srcaddr` / `pkt-dstaddr` stand in when the format has no srcaddr / dstaddr).
 */
const FIRST: readonly (readonly string[])[] = [
  ['srcaddr', 'pkt-srcaddr'],
  ['dstaddr', 'pkt-dstaddr'],
  ['srcport'],
  ['dstport'],
  ['protocol'],
  ['action'],
  ['bytes'],
];

/**
 * Column labels in their default order: source, destination, ports, protocol, action, bytes,
 * then the event time, then the rest of the format in its own order.
 */
export function defaultColumnOrder(fieldNames: readonly string[]): string[] {
  const out: string[] = [];
  for (const names of FIRST) {
    const hit = names.find((n) => fieldNames.includes(n) && !out.includes(n));
    if (hit) out.push(hit);
  }
  out.push(EVENT_TIME);
  for (const n of fieldNames) if (!out.includes(n)) out.push(n);
  return out;
}

/**
 * The shown columns, in order: the user's saved choice in the user's order (labels no longer in
 * the format dropped), or the default order.
 */
export function shownColumns(fieldNames: readonly string[], saved: readonly string[] | null | undefined): string[] {
  const known = new Set([EVENT_TIME, ...fieldNames, ...nameColumns(fieldNames)]);
  const chosen = (saved ?? []).filter((c, i, all) => known.has(c) && all.indexOf(c) === i);
  return chosen.length ? chosen : defaultColumnOrder(fieldNames);
}

/**
 * The user's new choice after the chooser's boxes changed: the columns still checked keep their
 * place, a newly checked one goes last. Empty when nothing is checked (the choice is refused).
 */
export function chooseColumns(current: readonly string[], checked: readonly string[]): string[] {
  const kept = current.filter((c) => checked.includes(c));
  for (const c of checked) if (!kept.includes(c)) kept.push(c);
  return kept;
}

/** Order of the chooser's boxes: the shown columns in their order, then the hidden ones. */
export function chooserOrder(fieldNames: readonly string[], shown: readonly string[]): string[] {
  const all = defaultColumnOrder(fieldNames);
  // The name columns are offered right after the 5-tuple (after protocol, else after the addresses).
  const after = Math.max(all.indexOf('protocol'), all.indexOf('dstport'), 1) + 1;
  all.splice(Math.min(after, all.length), 0, ...nameColumns(fieldNames));
  const rest = all.filter((c) => !shown.includes(c));
  return [...shown, ...rest];
}

function codePointLabel(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Text as a cell shows it: control characters as their Unicode control pictures (NUL -> U+2400),
 * tab and line breaks too (a cell is one line), and characters that reorder or hide text (the
 * right-to-left override U+202E, zero-width spaces...) as a visible marker, e.g. "⟦U+202E⟧".
 * Plain text stays the same string.
 */
export function visibleText(value: string): string {
  if (!/[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/.test(value)) return value;
  return value
    .replace(/[\t\n\r]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)))
    .replace(CONTROL_CHARS, (c) => {
      const code = c.charCodeAt(0);
      if (code < 0x20) return String.fromCharCode(0x2400 + code);
      if (code === 0x7f) return '\u2421';
      return '\uFFFD';
    })
    .replace(INVISIBLE_FORMAT_CHARS, (c) => `\u27E6${codePointLabel(c)}\u27E7`);
}

/** A byte count as people read it: "512 B", "3.4 KB", "12.0 MB", "1.20 GB". */
export function formatSize(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** What the S3 footer is told (the S3Progress of the source, as it crosses to the page). */
export interface S3FooterInput {
  objectsRead: number;
  objectsListed: number;
  listedAll: boolean;
  bytesRead: number;
  bytesListed: number;
  bytesInflated?: number;
  notLoaded?: { outOfRange: number; filtered: number; headers: number };
  skipped?: { key: string; why: string }[];
}

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * The S3 part of the footer: objects and real sizes read of those listed, why lines read were not
 * loaded (outside the range, filtered out, header lines), and the objects skipped, named.
 */
export function s3FooterText(s: S3FooterInput | undefined | null): string {
  if (!s) return '';
  let text =
    ` · ${s.objectsRead.toLocaleString('en')} of ${s.objectsListed.toLocaleString('en')}${s.listedAll ? '' : '+'} objects` +
    ` (${formatSize(s.bytesRead)} of ${formatSize(s.bytesListed)}` +
    // Parquet counts the bytes fetched (nothing more to say); gzip text the bytes it inflated to.
    (s.bytesInflated && s.bytesInflated !== s.bytesRead ? `, ${formatSize(s.bytesInflated)} decompressed)` : ')');
  const n = s.notLoaded;
  if (n) {
    const why: string[] = [];
    if (n.outOfRange) why.push(`${n.outOfRange.toLocaleString('en')} outside the range`);
    if (n.filtered) why.push(`${n.filtered.toLocaleString('en')} filtered out`);
    if (n.headers) why.push(count(n.headers, 'header line'));
    if (why.length) text += ` · not loaded: ${why.join(', ')}`;
  }
  if (s.skipped?.length)
    text += ` · skipped ${s.skipped.length}: ${s.skipped.map((x) => `${x.key.slice(x.key.lastIndexOf('/') + 1)} (${x.why})`).join('; ')}`;
  return text;
}
