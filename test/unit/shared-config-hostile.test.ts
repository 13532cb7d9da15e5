// Issue 13, defects 5 and 6: no regular expression over config text backtracks (a line of many
// spaces once blocked the extension host for seconds), and a malformed line is never echoed.
// The LogFormat tokenizer (server text in the renderer) is checked the same way.
import assert from 'node:assert/strict';
import { parseIni, splitKeyValue } from '../../src/shared/sharedConfig';
import { formatTokens, parseLogFormat } from '../../src/shared/logFormat';

const TOKEN = 'IQoJb3JpZ2luX2VjEBAaCXVzLWVhc3QtMSJHMEUCIQDabcdefTOKEN0123456789/+abcdEXAMPLE==';

describe('shared config under hostile text (issue 13, defects 5 and 6)', function () {
  // A hang guard, not a speed assertion: the old regex took 7-10 s on ONE such line.
  this.timeout(2000);

  it('a line of "a", 80,000 spaces and "b" (and variants) parses at once, as a malformed line', () => {
    const spaces = ' '.repeat(80_000);
    const text = [
      '[profile x]',
      `a${spaces}b`,
      `a${spaces}= b`,
      `key =${spaces}value${spaces}# c`,
      `[${spaces}`,
      `[profile${spaces}y]`,
      `${spaces}=`,
      'region = us-east-1',
    ].join('\n');
    const { sections, problems } = parseIni(text, 'config');
    assert.deepEqual(
      sections.map((s) => s.name),
      ['profile x', 'profile y'],
    );
    assert.equal(sections[0].values.a, 'b');
    assert.equal(sections[0].values.key, 'value');
    assert.equal(sections[1].values.region, 'us-east-1');
    assert.ok(
      problems.some((p) => p.line === 2),
      JSON.stringify(problems.map((p) => p.line)),
    );
  });

  it('splitKeyValue splits at the first "=" like the old regex', () => {
    assert.deepEqual(splitKeyValue('a = b = c')?.slice(1), ['a', 'b = c']);
    assert.deepEqual(splitKeyValue('a=')?.slice(1), ['a', '']);
    assert.equal(splitKeyValue('= b'), undefined);
    assert.equal(splitKeyValue('no equals'), undefined);
  });

  it('a session token pasted above the first [section] is never echoed (defect 6)', () => {
    for (const text of [
      `${TOKEN}\n[default]\nregion = us-east-1`,
      `aws_session_token = ${TOKEN}\n[default]`,
      `${TOKEN.slice(0, -2)} = x\n[default]`,
    ]) {
      const { problems } = parseIni(text, 'credentials');
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].line, 1);
      for (const p of problems) assert.ok(!p.message.includes(TOKEN.slice(0, 12)), p.message);
    }
  });

  it('a known key outside any section is still named', () => {
    const { problems } = parseIni('region = us-east-1\n[default]', 'config');
    assert.match(problems[0].message, /"region" is outside any \[section\]/);
  });
});

describe('LogFormat tokens in linear time (issue 13, defect 5: the other regexes)', function () {
  this.timeout(2000);
  const OLD = /\$\{([^{}\s]*)\}|(?:(?!\$\{[^{}\s]*\})\S)+/g;
  const oldTokens = (s: string) => [...s.matchAll(OLD)].map((m) => [m[0], m[1]]);

  it('gives the same tokens as the former regex on a corpus of odd formats', () => {
    const corpus = [
      '',
      '${version} ${srcaddr}',
      'x${a}y',
      '${',
      '${}',
      '$${a}}',
      '${a ${b}',
      '}${a}{',
      'a$b${c}$',
      '\t${a}\n${b}\u00a0${c}',
      '${a}${b}',
      '${{a}}',
      '$ {a}',
      '${a}}{${b',
    ];
    for (let seed = 1; seed < 400; seed++) {
      let s = '';
      let x = seed;
      for (let i = 0; i < 12; i++) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        s += '${} a\t'[x % 6];
      }
      corpus.push(s);
    }
    for (const s of corpus) assert.deepEqual(formatTokens(s), oldTokens(s), JSON.stringify(s));
  });

  it('a 20,000-character unclosed "${" run is parsed at once', () => {
    const parsed = parseLogFormat(`\${${'a'.repeat(19_990)}`);
    assert.equal(parsed.entries.length, 1);
    assert.equal(parsed.entries[0].kind, 'invalid');
  });
});
