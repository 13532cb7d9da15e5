// "Show these records" from an analysis row: the row's keys as the records panel's filters (in
// LogFormat names, for the flow log's own format), the analysis's implied conditions and typed
// filters, and a time bin as the range.
import assert from 'node:assert/strict';
import { buildAnalysisQuery } from '../../src/shared/insightsAnalyses';
import { recordsQueryForRow } from '../../src/insights/rowRecords';

const range = { startTime: 1_700_000_000, endTime: 1_700_010_800 };

describe('insights: show the records of a row', () => {
  it('a top-talkers row filters on its source and destination, over the analysis range', () => {
    const q = buildAnalysisQuery({ analysis: 'topTalkers', startTime: 0, endTime: 3_600_000 });
    const got = recordsQueryForRow({
      analysis: 'topTalkers',
      columns: q.columns,
      row: ['10.0.1.5', '52.94.1.2', 100, 2, 1],
      range,
      filters: [{ field: 'dstPort', values: ['443', '80'], negate: true }],
    });
    assert.deepEqual(got, {
      range: { startMs: range.startTime * 1000, endMs: range.endTime * 1000 + 999 },
      filters: [
        { field: 'srcaddr', value: '10.0.1.5' },
        { field: 'dstaddr', value: '52.94.1.2' },
        { field: 'dstport', value: '!443,80' },
      ],
    });
  });

  it('a rejected row adds action=REJECT; a custom format uses its own field names; a time bin narrows the range', () => {
    const q = buildAnalysisQuery({ analysis: 'topRejected', startTime: 0, endTime: 3_600_000 });
    const custom = '${srcaddr} ${pkt-srcaddr} ${dstport} ${action} ${start}';
    assert.deepEqual(
      recordsQueryForRow({ analysis: 'topRejected', logFormat: custom, columns: q.columns, row: ['1.2.3.4', 22, 5, 9], range }),
      {
        range: { startMs: range.startTime * 1000, endMs: range.endTime * 1000 + 999 },
        filters: [
          { field: 'srcaddr', value: '1.2.3.4' },
          { field: 'dstport', value: '22' },
          { field: 'action', value: 'REJECT' },
        ],
      },
    );
    const t = buildAnalysisQuery({ analysis: 'trafficOverTime', startTime: 0, endTime: 3 * 3_600_000 });
    const bin = (range.startTime + 600) * 1000;
    const got = recordsQueryForRow({
      analysis: 'trafficOverTime',
      columns: t.columns,
      row: [bin, 10, 1, 1],
      range,
      binSeconds: t.binSeconds,
    });
    assert.deepEqual(got, { range: { startMs: bin, endMs: bin + t.binSeconds! * 1000 - 1 }, filters: [] });
    const outside = recordsQueryForRow({
      analysis: 'trafficOverTime',
      columns: t.columns,
      row: [(range.endTime + 3600) * 1000, 1, 1, 1],
      range,
      binSeconds: t.binSeconds,
    });
    assert.equal(outside, 'This row lies outside the range of the analysis.');
  });
});
