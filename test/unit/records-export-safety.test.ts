// Exports under attack (issue 23 items 2 and 9): one formula rule for the records, Insights and
// coverage CSVs, JSON keys named like Object.prototype's members, and the chunked export.
import assert from 'node:assert/strict';
import { recordLayout } from '../../src/shared/recordsFields';
import { parseMessage } from '../../src/shared/recordsParse';
import { exportChunks, exportRecords } from '../../src/shared/recordsExport';
import { csvField, defuseFormula } from '../../src/shared/csv';
import { csvField as coverageCsvField } from '../../src/coverage/report';
import { toCsv } from '../../src/shared/insightsResults';

const ATTACKS = [
  "-2+3+cmd|'/Ccalc'!A0",
  '-1+1',
  '-0+HYPERLINK("http://x","y")',
  '=1+1',
  '+1+1',
  '@SUM(1)',
  ' =1+1',
  '\t=1',
  '\r=1',
  '\uFF1D1+1',
  '-x',
];

describe('exports: formulas, field names, chunks', () => {
  it('records CSV defuses every formula cell (issue 23.2), keeps numbers and "-" as written', () => {
    const layout = recordLayout('${srcaddr} ${action} ${bytes}');
    for (const attack of ATTACKS) {
      const csv = exportRecords(layout, [{ v: ['10.0.0.1', attack, '-'], t: 0 }], 'csv').split('\r\n')[1];
      const cell = csv.split(',').slice(4, -1).join(',');
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      assert.equal(unquoted, `'${attack}`, `cell ${JSON.stringify(attack)} -> ${cell}`);
      assert.ok(csv.endsWith(',-'), 'a lone "-" (no value) is written as it is');
    }
    const plain = exportRecords(layout, [{ v: ['10.0.0.1', 'ACCEPT', '-5'], t: 0 }], 'csv').split('\r\n')[1];
    assert.ok(plain.endsWith(',ACCEPT,-5'), plain);
  });

  it('one rule: records, Insights and coverage CSV cells agree on every attack', () => {
    for (const attack of [...ATTACKS, '-5', '12.5', '-', 'ACCEPT', 'a,b', ' padded ']) {
      const expected = csvField(attack);
      assert.equal(coverageCsvField(attack), expected, `coverage ${JSON.stringify(attack)}`);
      const insights = toCsv({ columns: [{ field: 'x', title: 'x', type: 'text' }], rows: [[attack]], skipped: 0 } as never).split(
        '\r\n',
      )[1];
      assert.equal(insights, expected, `insights ${JSON.stringify(attack)}`);
      const layout = recordLayout('${action}');
      const rec = exportRecords(layout, [{ v: [attack], t: 0 }], 'csv').split('\r\n')[1];
      assert.ok(rec.endsWith(`,${expected}`), `records ${JSON.stringify(attack)}: ${rec}`);
    }
    assert.equal(defuseFormula('-1'), '-1');
    assert.equal(defuseFormula('-1+1'), "'-1+1");
  });

  it('JSON and NDJSON keep fields named constructor, toString, __proto__ (issue 23.9)', () => {
    const layout = recordLayout('${srcaddr} ${constructor} ${toString} ${__proto__} ${hasOwnProperty}');
    const rec = parseMessage(layout, '10.0.0.1 a b c d', Date.UTC(2024, 0, 1));
    for (const format of ['json', 'ndjson'] as const) {
      const text = exportRecords(layout, [rec], format);
      const row = format === 'json' ? JSON.parse(text)[0] : JSON.parse(text.trim());
      const own = (k: string) => (Object.prototype.hasOwnProperty.call(row, k) ? row[k] : undefined);
      assert.equal(own('constructor'), 'a', format);
      assert.equal(own('toString'), 'b', format);
      assert.equal(own('__proto__'), 'c', format);
      assert.equal(own('hasOwnProperty'), 'd', format);
      assert.equal(own('srcaddr'), '10.0.0.1', format);
    }
    assert.equal(layout.index.constructor, 1, 'the layout indexes a field named constructor');
    assert.equal(layout.index.__proto__, 3);
  });

  it('chunks: the same text as one piece, JSON identical to JSON.stringify, every chunk bounded', () => {
    const layout = recordLayout(undefined);
    const recs = Array.from({ length: 23 }, (_, i) =>
      parseMessage(
        layout,
        `2 123 eni-1 10.0.0.${i} 10.0.1.1 443 ${1000 + i} 6 1 40 1700000000 1700000060 ACCEPT OK`,
        i * 1000,
        'eni-1-all',
      ),
    );
    recs.push(parseMessage(layout, 'bad "line"\u2028', 99, 'eni-2-all'));
    for (const format of ['csv', 'json', 'ndjson'] as const) {
      const chunks = [...exportChunks(layout, recs, format, 5)];
      assert.equal(chunks.join(''), exportRecords(layout, recs, format));
      assert.ok(chunks.length >= 5, `${format}: ${chunks.length} chunks`);
    }
    const json = exportRecords(layout, recs, 'json');
    const objects = JSON.parse(json);
    assert.equal(json, `${JSON.stringify(objects, null, 1)}\n`);
    assert.equal(objects.length, 24);
    assert.equal(exportRecords(layout, [], 'json'), '[]\n');
  });
});
