// The records page's pure parts (src/webviews/records/pageText.ts), in Node: the default column
// order (issue 24.5), the chooser keeping the user's order, cells showing control and bidi
// characters marked (issue 23.9), and the S3 footer saying why lines were not loaded (issue 24.6).
import assert from 'node:assert/strict';
import {
  chooseColumns,
  chooserOrder,
  defaultColumnOrder,
  EVENT_TIME,
  formatSize,
  s3FooterText,
  shownColumns,
  visibleText,
} from '../../src/webviews/records/pageText';
import { recordLayout } from '../../src/shared/recordsFields';
import { escapeHtml } from '../../src/webview/escape';

const DEFAULT = recordLayout(undefined).fields.map((f) => f.name);

describe('records page: columns, cell text, S3 footer', () => {
  it('default order: source, destination, ports, protocol, action, bytes first, then the event time and the rest', () => {
    assert.deepEqual(defaultColumnOrder(DEFAULT), [
      'srcaddr',
      'dstaddr',
      'srcport',
      'dstport',
      'protocol',
      'action',
      'bytes',
      EVENT_TIME,
      'version',
      'account-id',
      'interface-id',
      'packets',
      'start',
      'end',
      'log-status',
    ]);
    // A custom format in another order, with the packet addresses only: the same first columns.
    const custom = recordLayout(
      '${log-status} ${bytes} ${action} ${pkt-dstaddr} ${flow-direction} ${pkt-srcaddr} ${dstport} ${protocol}',
    ).fields.map((f) => f.name);
    assert.deepEqual(defaultColumnOrder(custom), [
      'pkt-srcaddr',
      'pkt-dstaddr',
      'dstport',
      'protocol',
      'action',
      'bytes',
      EVENT_TIME,
      'log-status',
      'flow-direction',
    ]);
    assert.deepEqual(shownColumns(DEFAULT, null), defaultColumnOrder(DEFAULT));
    assert.deepEqual(shownColumns(DEFAULT, []), defaultColumnOrder(DEFAULT));
  });

  it("the chooser keeps the user's order: kept columns stay in place, a new one goes last, gone ones are dropped", () => {
    const saved = ['action', EVENT_TIME, 'srcaddr', 'no-such-field', 'action'];
    const shown = shownColumns(DEFAULT, saved);
    assert.deepEqual(shown, ['action', EVENT_TIME, 'srcaddr']);
    assert.deepEqual(chooserOrder(DEFAULT, shown).slice(0, 5), ['action', EVENT_TIME, 'srcaddr', 'dstaddr', 'srcport']);
    // The boxes are read in the chooser's order; bytes newly checked, event time unchecked.
    assert.deepEqual(chooseColumns(shown, ['action', 'srcaddr', 'bytes']), ['action', 'srcaddr', 'bytes']);
    assert.deepEqual(chooseColumns(shown, []), []);
  });

  it('cells show control and invisible characters marked, as the detail panel does', () => {
    assert.equal(visibleText('10.0.0.1'), '10.0.0.1');
    assert.equal(visibleText('eni-\u202Egnp.exe'), 'eni-\u27E6U+202E\u27E7gnp.exe');
    assert.equal(visibleText('a\u0000b\u001Bc\u007F'), 'a\u2400b\u241Bc\u2421');
    assert.equal(visibleText('x\ty\nz\r'), 'x\u2409y\u240Az\u240D');
    assert.equal(visibleText('zero\u200Bwidth\uFEFF'), 'zero\u27E6U+200B\u27E7width\u27E6U+FEFF\u27E7');
    // The same marks as the detail panel's escapeHtml for the same text (no HTML specials in it).
    for (const t of ['a\u202Eb', 'n\u0000ul', 'iso\u2066late\u2069', 'c1\u0085'])
      assert.equal(visibleText(t), escapeHtml(t), JSON.stringify(t));
  });

  it('the S3 footer: real sizes, why lines read were not loaded, skipped objects named', () => {
    assert.equal(formatSize(0), '0 B');
    assert.equal(formatSize(2_500), '2.4 KB');
    assert.equal(formatSize(3 * 2 ** 20), '3.0 MB');
    assert.equal(formatSize(1.5 * 2 ** 30), '1.50 GB');
    const text = s3FooterText({
      objectsRead: 13,
      objectsListed: 13,
      listedAll: true,
      bytesRead: 41_000,
      bytesListed: 41_000,
      bytesInflated: 170_000,
      notLoaded: { outOfRange: 46, filtered: 0, headers: 13 },
      skipped: [{ key: 'AWSLogs/1/x/a.log.gz', why: 'corrupt or truncated: unexpected end of file' }],
    });
    assert.equal(
      text,
      ' · 13 of 13 objects (40.0 KB of 40.0 KB, 166.0 KB decompressed) · not loaded: 46 outside the range, 13 header lines · skipped 1: a.log.gz (corrupt or truncated: unexpected end of file)',
    );
    assert.match(
      s3FooterText({
        objectsRead: 1,
        objectsListed: 4,
        listedAll: false,
        bytesRead: 10,
        bytesListed: 20,
        notLoaded: { outOfRange: 0, filtered: 5, headers: 1 },
      }),
      /1 of 4\+ objects \(10 B of 20 B\) · not loaded: 5 filtered out, 1 header line$/,
    );
    assert.equal(s3FooterText(undefined), '');
  });
});
