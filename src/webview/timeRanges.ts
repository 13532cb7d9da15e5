// The time ranges every range picker offers: the records panel's in-page controls and the Analyze /
// Run Query quick picks read the same presets from here, and an absolute range is typed the same
// way everywhere (UTC, to the minute). Pure: never imports vscode.

/** The presets, relative to now, in the order they are offered. */
export const TIME_RANGE_PRESETS = [
  { id: '15m', label: 'Last 15 minutes', minutes: 15 },
  { id: '1h', label: 'Last hour', minutes: 60 },
  { id: '3h', label: 'Last 3 hours', minutes: 180 },
  { id: '12h', label: 'Last 12 hours', minutes: 720 },
  { id: '24h', label: 'Last 24 hours', minutes: 1440 },
  { id: '3d', label: 'Last 3 days', minutes: 4320 },
  { id: '7d', label: 'Last 7 days', minutes: 10080 },
] as const;

export type TimeRangePresetId = (typeof TIME_RANGE_PRESETS)[number]['id'];

/** The range every picker starts at (the records panel's first load, the typed range's example). */
export const DEFAULT_RANGE_PRESET: TimeRangePresetId = '1h';

/** Minutes of each preset by id (the records panel's `{ preset }` ranges). */
export const RANGE_PRESETS = Object.fromEntries(TIME_RANGE_PRESETS.map((p) => [p.id, p.minutes])) as {
  readonly [K in TimeRangePresetId]: number;
};

/** The longest range an absolute range may span: CloudWatch Logs keeps records as long as the group's retention; we allow 15 months. */
export const MAX_RANGE_SPAN_MS = 455 * 86_400_000;

const WHEN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?Z?$/;

/** "2026-12-01 10:00" (UTC) -> epoch ms; undefined when it is not such a time. */
export function parseUtcMinute(text: string): number | undefined {
  const m = WHEN.exec(String(text ?? '').trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return new Date(ms).getUTCDate() === d ? ms : undefined; // 2026-02-30 is not a day
}

/** "YYYY-MM-DD HH:MM" in UTC. */
export function utcMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * An absolute range as typed: two UTC times separated by "to" (or an en dash), for example
 * "2026-12-01 10:00 to 2026-12-01 12:30". The range, or a message saying what is wrong.
 */
export function parseAbsoluteRange(text: string, now = Date.now()): { startMs: number; endMs: number } | string {
  const parts = String(text ?? '')
    .trim()
    .split(/\s+(?:to|–|—)\s+/i);
  if (parts.length !== 2) return 'Two UTC times separated by "to", such as 2026-12-01 10:00 to 2026-12-01 12:00';
  const startMs = parseUtcMinute(parts[0]);
  const endMs = parseUtcMinute(parts[1]);
  if (startMs === undefined) return `"${parts[0].slice(0, 40)}" is not a time: YYYY-MM-DD HH:MM (UTC)`;
  if (endMs === undefined) return `"${parts[1].slice(0, 40)}" is not a time: YYYY-MM-DD HH:MM (UTC)`;
  if (endMs <= startMs) return 'The end of the range must be after its start';
  if (endMs - startMs > MAX_RANGE_SPAN_MS) return 'The range is longer than 15 months';
  if (startMs > now) return 'The range starts in the future';
  return { startMs, endMs };
}

/** How a range reads in titles: "2026-12-01 10:00 – 12:00 UTC" (the end's date only when it differs). */
export function rangeText(startMs: number, endMs: number): string {
  const a = utcMinute(startMs);
  const b = utcMinute(endMs);
  return `${a} – ${a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b} UTC`;
}
