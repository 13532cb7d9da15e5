// The CloudWatch Logs filter pattern syntax, as the local endpoint matches it (written from AWS's
// "Filter pattern syntax" documentation, independently of src/shared/recordsFilters.ts, which builds
// patterns):
//   ''                    every event
//   ERROR                 events containing the term (case-sensitive); several terms: all of them
//   "two words"           a quoted term (may contain spaces and punctuation)
//   ?ERROR ?WARN          any of the ?-terms (with plain terms: those too)
//   ERROR -Exiting        exclusion: the term must be absent
//   [a, b=x*, c>=10 && c<=20, d="y" || d="z", ...]   space-delimited: one name per word;
//     = and != take text with * wildcards (quoted or not) or a number; < <= > >= take a number
//     and never match a word that is not a number; "..." matches any number of words.
// JSON ({ $.x = 1 }) and regular-expression (%...%) patterns are not supported here: they get
// InvalidParameterException, so a test never silently passes on an unsupported pattern.

export class PatternError extends Error {}

type Cond = { op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: string; quoted: boolean };
/** OR of ANDs of conditions on one word. */
type Element = { ellipsis: true } | { ellipsis: false; name: string; any: Cond[][] };

export type Matcher = (message: string) => boolean;

const NUM = /^-?\d+(\.\d+)?$/;

export function compilePattern(pattern: string): Matcher {
  const p = pattern.trim();
  if (p === '') return () => true;
  if (p.startsWith('{')) throw new PatternError('JSON filter patterns are not supported by this endpoint');
  if (p.startsWith('%')) throw new PatternError('Regular expression filter patterns are not supported by this endpoint');
  if (p.startsWith('[')) return compileSpaceDelimited(p);
  return compileTerms(p);
}

function compileTerms(p: string): Matcher {
  const required: string[] = [];
  const optional: string[] = [];
  const excluded: string[] = [];
  const re = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (let m = re.exec(p); m; m = re.exec(p)) {
    const term = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
    (m[1] === '?' ? optional : m[1] === '-' ? excluded : required).push(term);
  }
  return (msg) =>
    required.every((t) => msg.includes(t)) &&
    (optional.length === 0 || optional.some((t) => msg.includes(t))) &&
    !excluded.some((t) => msg.includes(t));
}

/** Splits on a separator outside quotes. */
function splitOutside(text: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (!quoted && text.startsWith(sep, i)) {
      out.push(cur);
      cur = '';
      i += sep.length - 1;
      continue;
    }
    cur += c;
  }
  if (quoted) throw new PatternError('Unterminated quoted string in filter pattern');
  out.push(cur);
  return out;
}

function compileSpaceDelimited(p: string): Matcher {
  if (!p.endsWith(']')) throw new PatternError('Invalid space-delimited filter pattern: missing ]');
  const body = p.slice(1, -1);
  const elements: Element[] = splitOutside(body, ',').map((raw) => {
    const text = raw.trim();
    if (text === '...') return { ellipsis: true };
    if (text === '') throw new PatternError('Invalid space-delimited filter pattern: empty field');
    const any = splitOutside(text, '||').map((alt) => splitOutside(alt, '&&').map((c) => parseCond(c.trim())));
    const names = new Set(any.flat().map((c) => c.name));
    if (names.size !== 1)
      throw new PatternError(
        `Invalid space-delimited filter pattern: conditions on different fields in one position (${[...names].join(', ')})`,
      );
    const conds = any.map((alts) => alts.filter((c) => c.op !== undefined) as (Cond & { name: string })[]);
    return { ellipsis: false, name: [...names][0], any: conds.some((c) => c.length === 0) ? [] : conds };
  });
  return (msg) => matchWords(elements, splitWords(msg));
}

function parseCond(text: string): (Cond & { name: string }) | { name: string; op: undefined } {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:(!=|<=|>=|=|<|>)\s*(.*))?$/s.exec(text);
  if (!m) throw new PatternError(`Invalid space-delimited filter pattern near '${text}'`);
  if (m[2] === undefined) return { name: m[1], op: undefined };
  let value = m[3].trim();
  let quoted = false;
  if (value.startsWith('"')) {
    if (!value.endsWith('"') || value.length < 2) throw new PatternError(`Unterminated quoted value near '${text}'`);
    value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    quoted = true;
  } else if (value === '' || /\s/.test(value)) {
    throw new PatternError(`Invalid value near '${text}'`);
  }
  const op = m[2] as Cond['op'];
  if ((op === '<' || op === '<=' || op === '>' || op === '>=') && !NUM.test(value))
    throw new PatternError(`'${op}' needs a number, near '${text}'`);
  return { name: m[1], op, value, quoted };
}

/** Words of a message: spaces separate, "quoted" and [bracketed] runs are one word each. */
export function splitWords(msg: string): string[] {
  const words: string[] = [];
  const re = /"[^"]*"|\[[^\]]*\]|\S+/g;
  for (let m = re.exec(msg); m; m = re.exec(msg)) {
    const w = m[0];
    words.push(w.length >= 2 && (w[0] === '"' || w[0] === '[') ? w.slice(1, -1) : w);
  }
  return words;
}

function testCond(c: Cond, word: string): boolean {
  const numeric = !c.quoted && NUM.test(c.value);
  if (numeric || c.op === '<' || c.op === '<=' || c.op === '>' || c.op === '>=') {
    if (!NUM.test(word)) return false;
    const a = Number(word);
    const b = Number(c.value);
    switch (c.op) {
      case '=':
        return a === b;
      case '!=':
        return a !== b;
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      case '>=':
        return a >= b;
    }
  }
  const hit = wildcard(c.value).test(word);
  return c.op === '=' ? hit : !hit;
}

const cache = new Map<string, RegExp>();
function wildcard(v: string): RegExp {
  let re = cache.get(v);
  if (!re) {
    re = new RegExp(
      `^${v
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      's',
    );
    if (cache.size > 1000) cache.clear();
    cache.set(v, re);
  }
  return re;
}

function matchWords(elements: Element[], words: string[]): boolean {
  // Recursive over ellipses; without any, the counts must be equal.
  const go = (ei: number, wi: number): boolean => {
    if (ei === elements.length) return wi === words.length;
    const el = elements[ei];
    if (el.ellipsis) {
      for (let k = wi; k <= words.length; k++) if (go(ei + 1, k)) return true;
      return false;
    }
    if (wi >= words.length) return false;
    if (el.any.length && !el.any.some((all) => all.every((c) => testCond(c, words[wi])))) return false;
    return go(ei + 1, wi + 1);
  };
  return go(0, 0);
}
