// The shared text helpers (src/shared/text.ts): cutting, one line, and the unsafe characters.
import * as assert from 'node:assert/strict';
import { CONTROL_CHARS, INVISIBLE_FORMAT_CHARS, fitWidth, hasControlChars, oneLine, oneLineLabel, truncate } from '../../src/shared/text';

describe('text helpers (aws/text)', () => {
  it('truncate keeps the first characters and marks a cut with …', () => {
    assert.equal(truncate('abcdef', 6), 'abcdef');
    assert.equal(truncate('abcdef', 5), 'abcde…');
    assert.equal(truncate('', 0), '');
    assert.equal(truncate('a', 0), '…');
  });

  it('fitWidth bounds the whole result, the … included', () => {
    assert.equal(fitWidth('abcdef', 6), 'abcdef');
    assert.equal(fitWidth('abcdefg', 6), 'abcde…');
    assert.equal(fitWidth('abcdefg', 6).length, 6);
  });

  it('oneLine folds whitespace, trims, then cuts (300 by default)', () => {
    assert.equal(oneLine('  a\r\n\tb   c  '), 'a b c');
    assert.equal(oneLine('x'.repeat(301)), `${'x'.repeat(300)}…`);
    assert.equal(oneLine('x'.repeat(300)), 'x'.repeat(300));
    assert.equal(oneLine('a  b c', 3), 'a b…');
    assert.equal(oneLine(42), '42');
  });

  it('oneLineLabel removes control and invisible characters and bounds the width (80 by default)', () => {
    assert.equal(oneLineLabel('a\u0000b\u0007c\u009bd\u200be\ufeff'), 'a b c d e');
    assert.equal(oneLineLabel('\u202Egnp.exe\u202C \u2066x\u2069 \u061Cy\u2060'), 'gnp.exe x y');
    assert.equal(oneLineLabel('line\r\nbreak\ttab'), 'line break tab');
    assert.equal(oneLineLabel('\u202E\u200B\u0000'), '');
    assert.equal(oneLineLabel('x'.repeat(81)), `${'x'.repeat(79)}…`);
    assert.equal(oneLineLabel('x'.repeat(80)), 'x'.repeat(80));
    assert.equal(oneLineLabel('abcdef', 4), 'abc…');
  });

  it('the character sets: C0 (but tab and line breaks), DEL, C1; and the characters that reorder or hide text', () => {
    const all = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));
    const controls = [...all(0, 0x1f), ...all(0x7f, 0x9f)].filter((c) => !'\t\n\r'.includes(c));
    for (const c of controls) assert.equal(c.replace(CONTROL_CHARS, ''), '', `U+${c.charCodeAt(0).toString(16)}`);
    assert.equal('\t\n\r a\u00a0é'.replace(CONTROL_CHARS, ''), '\t\n\r a\u00a0é');
    const invisible = ['\u061c', ...all(0x200b, 0x200f), ...all(0x202a, 0x202e), ...all(0x2060, 0x2069), '\ufeff'];
    for (const c of invisible) assert.equal(c.replace(INVISIBLE_FORMAT_CHARS, ''), '', `U+${c.charCodeAt(0).toString(16)}`);
    assert.equal('a\u200a\u2028\u202f😀'.replace(INVISIBLE_FORMAT_CHARS, ''), 'a\u200a\u2028\u202f😀');
  });

  it('hasControlChars sees any control character, tab and line breaks included, and has no state between calls', () => {
    for (const c of ['\u0000', '\t', '\n', '\r', '\u001f', '\u007f', '\u0085', '\u009f']) {
      assert.equal(hasControlChars(`a${c}b`), true, JSON.stringify(c));
      assert.equal(hasControlChars(`a${c}b`), true, `${JSON.stringify(c)} again`);
    }
    for (const v of ['', 'plain text', 'Grüße 日本語 😀', '\u202Eabc', '\u00a0']) assert.equal(hasControlChars(v), false, v);
  });
});
