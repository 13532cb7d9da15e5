// The shared time-range presets and absolute ranges (webview/timeRanges.ts), which the records
// panel and the Analyze / Run Query pickers both read; and the chart a written query's answer gets.
import * as assert from 'node:assert/strict';
import {
  MAX_RANGE_SPAN_MS,
  parseAbsoluteRange,
  parseUtcMinute,
  rangeText,
  RANGE_PRESETS,
  TIME_RANGE_PRESETS,
} from '../../src/webview/timeRanges';
import { RANGE_PRESETS as RECORDS_PRESETS, resolveRange } from '../../src/records/timeRange';
import { chartForColumns, type ColumnSpec } from '../../src/shared/insightsAnalyses';
import { inferColumns } from '../../src/shared/insightsResults';

describe('time ranges: one preset list for every picker', () => {
  it('the records panel reads the same presets as the Analyze picker', () => {
    assert.equal(RECORDS_PRESETS, RANGE_PRESETS);
    assert.deepEqual(
      Object.keys(RANGE_PRESETS),
      TIME_RANGE_PRESETS.map((p) => p.id),
    );
    assert.deepEqual(
      TIME_RANGE_PRESETS.map((p) => p.id),
      ['15m', '1h', '3h', '12h', '24h', '3d', '7d'],
    );
    for (const p of TIME_RANGE_PRESETS)
      assert.deepEqual(resolveRange({ preset: p.id }, 1e12), { startMs: 1e12 - p.minutes * 60_000, endMs: 1e12 });
  });

  it('absolute ranges: UTC to the minute, "to" or a dash between, clear messages', () => {
    const now = Date.UTC(2026, 11, 6, 20, 0);
    assert.deepEqual(parseAbsoluteRange('2026-12-01 10:00 to 2026-12-01 12:30', now), {
      startMs: Date.UTC(2026, 11, 1, 10, 0),
      endMs: Date.UTC(2026, 11, 1, 12, 30),
    });
    assert.deepEqual(parseAbsoluteRange('2026-12-01T10:00Z – 2026-12-02 00:00', now), {
      startMs: Date.UTC(2026, 11, 1, 10, 0),
      endMs: Date.UTC(2026, 11, 2, 0, 0),
    });
    assert.match(parseAbsoluteRange('yesterday', now) as string, /separated by "to"/);
    assert.match(parseAbsoluteRange('2026-02-30 10:00 to 2026-03-01 10:00', now) as string, /is not a time/);
    assert.match(parseAbsoluteRange('2026-12-01 12:00 to 2026-12-01 10:00', now) as string, /after its start/);
    assert.match(parseAbsoluteRange('2026-12-07 12:00 to 2026-12-08 10:00', now) as string, /future/);
    assert.match(parseAbsoluteRange('2024-01-01 00:00 to 2026-01-01 00:00', now) as string, /15 months/);
    assert.ok(MAX_RANGE_SPAN_MS > 400 * 86_400_000);
    assert.equal(parseUtcMinute('2026-13-01 00:00'), undefined);
    assert.equal(parseAbsoluteRange(undefined as unknown as string, now).constructor, String);
    assert.equal(rangeText(Date.UTC(2026, 11, 1, 10, 0), Date.UTC(2026, 11, 1, 12, 0)), '2026-12-01 10:00 – 12:00 UTC');
    assert.equal(rangeText(Date.UTC(2026, 11, 1, 10, 0), Date.UTC(2026, 11, 2, 12, 0)), '2026-12-01 10:00 – 2026-12-02 12:00 UTC');
  });
});

describe('a written query gets the chart its answer has the shape for', () => {
  const answer = (rows: Record<string, string>[]) =>
    inferColumns(rows.map((r) => Object.entries(r).map(([field, value]) => ({ field, value }))));
  it('a time bin and a number: a time series; a label and a number: bars; events or no number: none', () => {
    assert.equal(chartForColumns(answer([{ 'bin(5m)': '2026-12-01 10:00:00.000', n: '3' }])), 'timeSeries');
    assert.equal(
      chartForColumns(
        answer([
          { srcAddr: '10.0.0.1', b: '300' },
          { srcAddr: '10.0.0.2', b: '3' },
        ]),
      ),
      'bars',
    );
    assert.equal(chartForColumns(answer([{ '@timestamp': '2026-12-01 10:00:00.000', '@message': 'x', '@ptr': 'p' }])), 'none');
    assert.equal(chartForColumns(answer([{ srcAddr: '10.0.0.1', action: 'ACCEPT' }])), 'none');
    assert.equal(chartForColumns([] as ColumnSpec[]), 'none');
  });
});
