// How the records grid and the extension write byte counts, TCP flags and times: one definition
// for the page and the extension side (records/decode.ts re-exports these). Pure.

/** The TCP flag bits flow logs report, in bit order. */
export const TCP_FLAGS: readonly (readonly [number, string])[] = [
  [1, 'FIN'],
  [2, 'SYN'],
  [4, 'RST'],
  [8, 'PSH'],
  [16, 'ACK'],
  [32, 'URG'],
  [64, 'ECE'],
  [128, 'CWR'],
];

/** 18 -> "SYN ACK", 0 -> "none"; undefined when not a flags value (flow logs OR the flags seen in the interval). */
export function tcpFlagNames(value: string): string | undefined {
  if (!/^\d{1,3}$/.test(value)) return undefined;
  const n = Number(value);
  if (n === 0) return 'none';
  if (n > 255) return undefined;
  return TCP_FLAGS.filter(([bit]) => n & bit)
    .map(([, name]) => name)
    .join(' ');
}

/** Sizes as people read them: 1536 -> "1.5 KiB"; undefined when not a count of bytes. */
export function humanBytes(value: string): string | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  let n = Number(value);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${n < 10 ? n.toFixed(1) : Math.round(n)} ${units[u]}`;
}

const pad = (x: number) => String(x).padStart(2, '0');

/** "2026-12-06 23:05:09" in the page's local time zone. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A datetime-local input's value ("2026-12-06T23:05"), in UTC or local time. */
export function toMinuteInput(ms: number, utc: boolean): string {
  const d = new Date(ms);
  return utc
    ? `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
    : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local input's value as epoch ms (NaN when it is not to the minute). */
export function fromMinuteInput(v: string, utc: boolean): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return NaN;
  return utc ? Date.parse(`${v.slice(0, 16)}:00Z`) : new Date(v.slice(0, 16)).getTime();
}

export interface DecodeField {
  name: string;
  kind: string;
}

export interface DecodeTables {
  protocols: Record<number, string>;
  trafficPaths: Record<string, string>;
  rejectReasons: Record<string, string>;
  logStatus: Record<string, string>;
  flowDirection: Record<string, string>;
}

const own = (o: Record<string | number, string>, k: string): string | undefined =>
  Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;

/** [shown text, title] of a value in the grid. */
export function displayValue(field: DecodeField, v: string, t: DecodeTables): [string, string] {
  if (v === '-' || v === '') return [v, `${field.name}: no value`];
  switch (field.kind) {
    case 'protocol':
      return [own(t.protocols, v) ?? v, `protocol ${v}`];
    case 'tcpFlags':
      return [tcpFlagNames(v) ?? v, `tcp-flags ${v}`];
    case 'time':
      return /^\d{1,12}$/.test(v) ? [localTime(Number(v) * 1000), `${new Date(Number(v) * 1000).toISOString()} (${v})`] : [v, v];
    default: {
      if (field.name === 'bytes') return [humanBytes(v) ?? v, `${v} bytes`];
      const table =
        field.name === 'traffic-path'
          ? t.trafficPaths
          : field.name === 'reject-reason'
            ? t.rejectReasons
            : field.name === 'log-status'
              ? t.logStatus
              : field.name === 'flow-direction'
                ? t.flowDirection
                : undefined;
      const meaning = table && own(table, v);
      return meaning ? [v, meaning] : [v, v];
    }
  }
}

/** What a value means, for the details pane ('' when it is shown as written). */
export function meaningOf(field: DecodeField, v: string, t: DecodeTables): string {
  const [shown, title] = displayValue(field, v, t);
  if (shown !== v) return shown + (title !== v && title !== shown ? ` · ${title}` : '');
  return title !== v ? title : '';
}
