// Time ranges of the records panel: presets relative to now, or an absolute range to the minute.
// Pure: never imports vscode.

// The presets are the shared list of every range picker (webview/timeRanges.ts).
import { MAX_RANGE_SPAN_MS, RANGE_PRESETS } from '../webview/timeRanges';
export { RANGE_PRESETS };
export type RangePreset = keyof typeof RANGE_PRESETS;
export type TimeRangeSpec = { preset: RangePreset } | { startMs: number; endMs: number };

/** [start, end] in ms, or a message. */
export function resolveRange(spec: TimeRangeSpec, now = Date.now()): { startMs: number; endMs: number } | string {
  if ('preset' in spec) {
    const minutes = RANGE_PRESETS[spec.preset];
    if (!minutes) return 'Unknown time range';
    return { startMs: now - minutes * 60_000, endMs: now };
  }
  const { startMs, endMs } = spec;
  if (!Number.isSafeInteger(startMs) || !Number.isSafeInteger(endMs) || startMs < 0) return 'Enter a start and an end time';
  if (endMs <= startMs) return 'The end of the range must be after its start';
  if (endMs - startMs > MAX_RANGE_SPAN_MS) return 'The range is longer than 15 months';
  return { startMs, endMs };
}

export function isPreset(v: unknown): v is RangePreset {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(RANGE_PRESETS, v);
}
