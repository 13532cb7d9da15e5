// Field filters for records, and how they run: as much as a CloudWatch Logs space-delimited
// filter pattern can express exactly is sent to CloudWatch (only matching events travel); the rest
// (a /20 CIDR, several port ranges, "either address", IPv6 blocks) is applied to the returned
// records as well (the residual filter). Pure: never imports vscode.
//
// Filter text, per field (a comma-separated list means "any of"):
//   addresses   10.0.1.5 · 10.0.0.0/20 · 2001:db8::/32 · 10.0.* (wildcard)
//   ports, numbers  443 · 80,443 · 1024-65535 · >1000 · <=5
//   protocol    tcp · udp,icmp · 6
//   other fields  exact text, or with * wildcards; e.g. REJECT, eni-0abc*, ingress
// A leading "!" negates: "!443", "!10.0.0.0/8".
// Matching rules shared with the local endpoint's matcher: a record that does not fit the format
// matches no filter; a numeric condition never matches a value that is not a number ("-").
// Negated numbers (issue 23.11), one meaning for CloudWatch Logs and S3: a number filter compares
// numbers, negated or not, as CloudWatch's space-delimited `dstport!=22` and Logs Insights'
// `filter dstPort != 22` do. `dstport !22` is "a port other than 22": a NODATA or SKIPDATA
// record, whose fields are "-", has no port and is in neither `22` nor `!22` (filter log-status
// to see those). Whatever a server makes of `!=` on a word that is not a number, a negated number
// is checked again here (placement 'both'), so both destinations give the same records.
import type { LayoutField, RecordLayout } from './recordsFields';
import type { FlowRecord } from './recordsParse';
import { protocolNumber } from './recordsDecode';
import { cidrContains, formatIpv6, parseCidr, type Cidr } from './ipAddresses';

export interface FieldFilter {
  /** A layout field name, or EITHER_ADDRESS for "srcaddr or dstaddr". */
  field: string;
  value: string;
}

export const EITHER_ADDRESS = 'srcaddr|dstaddr';

/** Where a filter runs: in CloudWatch exactly, in CloudWatch as a superset plus here, or only here. */
export type Placement = 'server' | 'both' | 'client';

export interface FilterPlanItem {
  filter: FieldFilter;
  placement: Placement;
  /** Why it is not exact on the server, for the panel. */
  note?: string;
}

export interface FilterPlan {
  /** The filter pattern for FilterLogEvents ('' = every event). */
  pattern: string;
  items: FilterPlanItem[];
  /** The filters to apply to returned records (placement 'both' or 'client'). */
  residual: FieldFilter[];
  /** Problems with the filter text; a plan with errors must not run. */
  errors: string[];
}

type NumRange = { min: number; max: number };
type Compiled =
  | { kind: 'num'; negate: boolean; ranges: NumRange[] }
  | { kind: 'addr'; negate: boolean; items: ({ cidr: Cidr } | { glob: RegExp; text: string })[] }
  | { kind: 'text'; negate: boolean; items: { glob: RegExp; text: string }[] };

const NUM_RE = /^-?\d+(\.\d+)?$/;

/** The plan's note for a negated number filter (both destinations say it, next to the filter). */
export const NEGATED_NUMBER_NOTE =
  'a negated number matches only records that have a number there: NODATA and SKIPDATA records ("-") are left out; checked here';

/** Whether a compiled filter is a negated number condition (`!22`, `!tcp`, `!1-1023`). */
export function isNegatedNumber(c: ReturnType<typeof compileFilter>): boolean {
  return typeof c !== 'string' && c.kind === 'num' && c.negate;
}

export function globRegExp(text: string): RegExp {
  return new RegExp(
    `^${text
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    's',
  );
}

function fieldsOf(layout: RecordLayout, name: string): LayoutField[] {
  if (name === EITHER_ADDRESS) return ['srcaddr', 'dstaddr'].filter((n) => n in layout.index).map((n) => layout.fields[layout.index[n]]);
  const i = layout.index[name];
  return i === undefined ? [] : [layout.fields[i]];
}

/** Reads one filter's text; a string is an error message. */
export function compileFilter(layout: RecordLayout, filter: FieldFilter): Compiled | string {
  const fields = fieldsOf(layout, filter.field);
  if (!fields.length) return `This flow log's format has no field ${filter.field === EITHER_ADDRESS ? 'srcaddr or dstaddr' : filter.field}`;
  let text = String(filter.value ?? '').trim();
  const negate = text.startsWith('!');
  if (negate) text = text.slice(1).trim();
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return `Enter a value for ${filter.field}`;
  if (parts.length > 50) return `At most 50 values for ${filter.field}`;
  const kind = fields[0].kind;
  if (kind === 'address') {
    const items: ({ cidr: Cidr } | { glob: RegExp; text: string })[] = [];
    for (const p of parts) {
      if (p.includes('*')) items.push({ glob: globRegExp(p), text: p });
      else {
        const cidr = parseCidr(p);
        if (!cidr) return `"${p}" is not an IP address or CIDR block`;
        items.push({ cidr });
      }
    }
    return { kind: 'addr', negate, items };
  }
  if (kind === 'port' || kind === 'int' || kind === 'time' || kind === 'protocol' || kind === 'tcpFlags') {
    const ranges: NumRange[] = [];
    for (const p of parts) {
      let m: RegExpExecArray | null;
      if (kind === 'protocol' && !/^\d+$/.test(p)) {
        const n = protocolNumber(p);
        if (n === undefined) return `"${p}" is not a protocol name or number`;
        ranges.push({ min: n, max: n });
      } else if ((m = /^(\d+)\s*-\s*(\d+)$/.exec(p))) {
        const a = Number(m[1]);
        const b = Number(m[2]);
        if (a > b) return `"${p}": the range is reversed`;
        ranges.push({ min: a, max: b });
      } else if ((m = /^(<=|>=|<|>)\s*(\d+)$/.exec(p))) {
        const n = Number(m[2]);
        ranges.push(
          m[1] === '<'
            ? { min: -Infinity, max: n - 1 }
            : m[1] === '<='
              ? { min: -Infinity, max: n }
              : m[1] === '>'
                ? { min: n + 1, max: Infinity }
                : { min: n, max: Infinity },
        );
      } else if (/^\d+$/.test(p)) {
        ranges.push({ min: Number(p), max: Number(p) });
      } else {
        return `"${p}" is not a number or range for ${filter.field} (e.g. 443, 80,443, 1024-65535, >1000)`;
      }
    }
    return { kind: 'num', negate, ranges };
  }
  return { kind: 'text', negate, items: parts.map((p) => ({ glob: globRegExp(p), text: p })) };
}

function testOne(c: Compiled, value: string): boolean {
  let hit: boolean;
  if (c.kind === 'num') {
    if (!NUM_RE.test(value)) return false; // a numeric condition never matches "-"
    const n = Number(value);
    hit = c.ranges.some((r) => n >= r.min && n <= r.max);
  } else if (c.kind === 'addr') {
    hit = c.items.some((it) => ('cidr' in it ? cidrContains(it.cidr, value) : it.glob.test(value)));
  } else {
    hit = c.items.some((it) => it.glob.test(value));
  }
  return c.negate ? !hit : hit;
}

/**
 * A predicate for records: every filter must hold. With `EITHER_ADDRESS`, srcaddr or dstaddr.
 * Throws for a filter that does not compile (check `planFilters(...).errors` first).
 */
export function recordPredicate(layout: RecordLayout, filters: readonly FieldFilter[]): (r: FlowRecord) => boolean {
  if (!filters.length) return () => true;
  const tests = filters.map((f) => {
    const c = compileFilter(layout, f);
    if (typeof c === 'string') throw new Error(c);
    const idx = fieldsOf(layout, f.field).map((x) => layout.index[x.name]);
    return (r: FlowRecord) => (c.negate ? idx.every((i) => testOne(c, r.v[i])) : idx.some((i) => testOne(c, r.v[i])));
  });
  return (r) => !r.bad && tests.every((t) => t(r));
}

const SAFE_VALUE = /^[^\s"\\,\[\]]+$/;

/** One field's condition for the pattern, and whether it is exact. */
function serverCondition(name: string, c: Compiled, _v6Field: boolean): { cond?: string; exact: boolean; note?: string } {
  if (c.kind === 'num') {
    const fmt = (n: number) => String(n);
    const finite = (r: NumRange) =>
      `${Number.isFinite(r.min) ? `${name}>=${fmt(r.min)}` : ''}${Number.isFinite(r.min) && Number.isFinite(r.max) ? ' && ' : ''}${Number.isFinite(r.max) ? `${name}<=${fmt(r.max)}` : ''}`;
    const points = c.ranges.every((r) => r.min === r.max);
    if (!c.negate) {
      if (points) return { cond: c.ranges.map((r) => `${name}=${fmt(r.min)}`).join(' || '), exact: true };
      if (c.ranges.length === 1) return { cond: finite(c.ranges[0]), exact: true };
      const min = Math.min(...c.ranges.map((r) => r.min));
      const max = Math.max(...c.ranges.map((r) => r.max));
      const cond = finite({ min, max });
      return { cond: cond || undefined, exact: false, note: 'several ranges: the pattern sends their span, the ranges are checked here' };
    }
    // Negated: the pattern narrows, the records are checked again here (NEGATED_NUMBER_NOTE).
    if (points) return { cond: c.ranges.map((r) => `${name}!=${fmt(r.min)}`).join(' && '), exact: false, note: NEGATED_NUMBER_NOTE };
    if (c.ranges.length === 1) {
      const r = c.ranges[0];
      const parts = [Number.isFinite(r.min) ? `${name}<${fmt(r.min)}` : '', Number.isFinite(r.max) ? `${name}>${fmt(r.max)}` : ''].filter(
        Boolean,
      );
      return parts.length
        ? { cond: parts.join(' || '), exact: false, note: NEGATED_NUMBER_NOTE }
        : { exact: false, note: NEGATED_NUMBER_NOTE };
    }
    return { exact: false, note: NEGATED_NUMBER_NOTE };
  }
  const globs: string[] = [];
  let exact = true;
  let note: string | undefined;
  const items = c.kind === 'addr' ? c.items : c.items;
  for (const it of items) {
    if ('cidr' in it) {
      const { cidr } = it;
      if (cidr.v6) {
        if (cidr.prefix !== 128) return { exact: false, note: 'IPv6 blocks are checked here' };
        globs.push(formatIpv6(cidr.base));
        exact = false;
        note = 'IPv6 addresses are matched in their RFC 5952 form and checked again here';
        continue;
      }
      const octets = [0, 1, 2, 3].map((i) => Number((cidr.base >> BigInt(24 - 8 * i)) & 255n));
      const whole = Math.floor(cidr.prefix / 8);
      if (cidr.prefix === 32) globs.push(octets.join('.'));
      else if (whole === 0) return { exact: false, note: `a /${cidr.prefix} block is checked here` };
      else {
        globs.push(`${octets.slice(0, whole).join('.')}.*`);
        if (cidr.prefix % 8 !== 0) {
          exact = false;
          note = `a /${cidr.prefix} block: the pattern sends the enclosing /${whole * 8}, the block is checked here`;
        }
      }
    } else {
      if (!SAFE_VALUE.test(it.text)) return { exact: false, note: 'values with spaces, quotes or brackets are checked here' };
      globs.push(it.text);
    }
  }
  if (c.negate) {
    if (!exact) return { exact: false, note: 'a negated block is checked here' };
    return { cond: globs.map((g) => `${name}!="${g}"`).join(' && '), exact: true };
  }
  return { cond: globs.map((g) => `${name}="${g}"`).join(' || '), exact, note };
}

/** Splits filters between the pattern and the residual filter. */
export function planFilters(layout: RecordLayout, filters: readonly FieldFilter[], rawPattern?: string): FilterPlan {
  const errors: string[] = [];
  const items: FilterPlanItem[] = [];
  const conds = new Map<number, string>();
  const raw = rawPattern?.trim();
  for (const filter of filters) {
    const c = compileFilter(layout, filter);
    if (typeof c === 'string') {
      errors.push(c);
      items.push({ filter, placement: 'client', note: c });
      continue;
    }
    if (raw) {
      items.push({ filter, placement: 'client', note: 'an advanced pattern is set: field filters are checked here' });
      continue;
    }
    if (filter.field === EITHER_ADDRESS) {
      items.push({ filter, placement: 'client', note: 'OR across two fields is checked here' });
      continue;
    }
    const i = layout.index[filter.field];
    if (conds.has(i)) {
      items.push({ filter, placement: 'client', note: 'a second filter on the same field is checked here' });
      continue;
    }
    const f = layout.fields[i];
    const s = serverCondition(f.patternName, c, false);
    if (s.cond) conds.set(i, s.cond);
    items.push({ filter, placement: s.cond ? (s.exact ? 'server' : 'both') : 'client', note: s.note });
  }
  let pattern = raw ?? '';
  if (!raw && conds.size) pattern = `[${layout.fields.map((f, i) => (conds.has(i) ? conds.get(i)! : f.patternName)).join(', ')}]`;
  if (raw && raw.length > 1024) errors.push('The filter pattern is longer than 1024 characters (the CloudWatch Logs limit)');
  if (pattern.length > 1024) errors.push('These filters make a pattern longer than CloudWatch accepts (1024 characters); use fewer values');
  return { pattern, items, residual: items.filter((x) => x.placement !== 'server').map((x) => x.filter), errors };
}

/** The panel's help for a negated number (the field hints): what NEGATED_NUMBER_NOTE says. */
const NO_NUMBER_HINT = '(never a NODATA/SKIPDATA record: it has none)';

/** The field filters of a layout: which fields the panel offers and how to hint their syntax. */
export function filterableFields(layout: RecordLayout): { field: string; label: string; hint: string }[] {
  const out: { field: string; label: string; hint: string }[] = [];
  if ('srcaddr' in layout.index && 'dstaddr' in layout.index)
    out.push({ field: EITHER_ADDRESS, label: 'either address', hint: '10.0.1.5 or 10.0.0.0/20' });
  for (const f of layout.fields) {
    if (out.some((o) => o.field === f.name)) continue;
    const hint =
      f.kind === 'address'
        ? '10.0.1.5, 10.0.0.0/20, 2001:db8::/32'
        : f.kind === 'port'
          ? `443, 80,443, 1024-65535; !22: another port ${NO_NUMBER_HINT}`
          : f.kind === 'protocol'
            ? `tcp, udp, 6; !tcp: another protocol ${NO_NUMBER_HINT}`
            : f.kind === 'int' || f.kind === 'time' || f.kind === 'tcpFlags'
              ? `5, 1-10, >100; !5: another number ${NO_NUMBER_HINT}`
              : f.name === 'action'
                ? 'ACCEPT or REJECT'
                : f.name === 'log-status'
                  ? 'OK, NODATA, SKIPDATA'
                  : 'text, * wildcards';
    out.push({ field: f.name, label: f.name, hint });
  }
  return out;
}
