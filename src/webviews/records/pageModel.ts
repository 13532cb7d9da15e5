// The records page's texts from what the panel tells it (pure, unit-tested): the state line, the
// progress footer and the summary bar's chips.
import type { RecordSummary } from '../../shared/resultSet';
import { humanBytes, localTime } from './format';
import { s3FooterText } from './pageText';
import type { PageProgress, StateMessage } from './protocol';

const n = (x: number) => x.toLocaleString('en');

/** The progress footer: records loaded, requests, events read, how far, and the S3 part. */
export function progressText(loaded: number, p: PageProgress): string {
  return (
    `${n(loaded)} records loaded · ${p.requests} request${p.requests === 1 ? '' : 's'} · ${n(p.scanned)} events read` +
    (p.lastTimestamp ? ` · read up to ${localTime(p.lastTimestamp)}` : '') +
    s3FooterText(p.s3)
  );
}

/** The state line of a state message, with `loaded` records in the page. */
export function stateText(m: StateMessage, loaded: number, cap: number): string {
  switch (m.status) {
    case 'loading':
      return 'Loading…';
    case 'done':
      return loaded ? `All ${n(loaded)} matching records in the range are loaded.` : 'No records match in this range.';
    case 'more':
      return 'More records are available: scroll down, or Load more.';
    case 'capped':
      return `Stopped at ${n(Number(m.cap ?? cap))} records (setting flowLogs.records.maxRecords); narrow the range or the filters to see the rest.`;
    case 'paused':
      return `Paused: ${m.why ?? ''}.`;
    case 'cancelled':
      return `Cancelled; the ${n(loaded)} records loaded are kept.`;
    case 'choose':
      return m.why ?? '';
    default:
      return '';
  }
}

/** Which of Load more / Load all / Cancel show in a state. */
export function stateButtons(status: string, loaded: number): { cancel: boolean; more: boolean } {
  const loading = status === 'loading';
  const canMore = status === 'more' || status === 'paused' || status === 'cancelled';
  return { cancel: loading, more: !loading && canMore && loaded >= 0 };
}

export interface Chip {
  label: string;
  value: string;
  id?: string;
}

/** The summary bar's chips (the fields a format lacks have no chip). */
export function summaryChips(s: RecordSummary): Chip[] {
  const chips: Chip[] = [{ label: 'records', value: n(s.records), id: 'sum-records' }];
  if (s.bytes !== undefined) chips.push({ label: 'bytes', value: humanBytes(String(s.bytes)) ?? String(s.bytes) });
  if (s.accepted !== undefined) chips.push({ label: 'accepted', value: n(s.accepted) });
  if (s.rejected !== undefined) chips.push({ label: 'rejected', value: n(s.rejected), id: 'sum-rejected' });
  if (s.noData) chips.push({ label: 'NODATA/SKIPDATA', value: n(s.noData) });
  if (s.bad) chips.push({ label: 'not fitting the format', value: n(s.bad) });
  if (s.records && s.minT !== undefined && s.maxT !== undefined)
    chips.push({ label: 'time', value: `${localTime(s.minT)} – ${localTime(s.maxT)}` });
  if (s.sources !== undefined) chips.push({ label: 'sources', value: n(s.sources) });
  if (s.destinations !== undefined) chips.push({ label: 'destinations', value: n(s.destinations) });
  return chips;
}

/** The summary of nothing loaded (after a reset) for a format's fields. */
export function emptySummary(fieldNames: readonly string[]): RecordSummary {
  const has = (f: string) => fieldNames.includes(f);
  return {
    records: 0,
    noData: 0,
    bad: 0,
    bytes: has('bytes') ? 0 : undefined,
    accepted: has('action') ? 0 : undefined,
    rejected: has('action') ? 0 : undefined,
    sources: has('srcaddr') ? 0 : undefined,
    destinations: has('dstaddr') ? 0 : undefined,
  };
}
