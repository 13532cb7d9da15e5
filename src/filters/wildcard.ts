// EC2 filter-value wildcards: `*` matches any sequence (also none), `?` exactly one character,
// and a backslash escapes `*`, `?` or `\` (so `\*amazon\?\\` means the literal `*amazon?\`).
// Matching is whole-value and case-sensitive, as EC2 filter values are.

export type PatternToken = { kind: 'any' } | { kind: 'one' } | { kind: 'literal'; char: string };

const ESCAPABLE = new Set(['*', '?', '\\']);

/** Splits a filter value into wildcard and literal tokens (one per Unicode character). */
export function parseWildcardPattern(pattern: string): PatternToken[] {
  const chars = Array.from(pattern);
  const tokens: PatternToken[] = [];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    const next = chars[i + 1];
    if (char === '\\' && next !== undefined && ESCAPABLE.has(next)) {
      tokens.push({ kind: 'literal', char: next });
      i++;
    } else if (char === '*') {
      tokens.push({ kind: 'any' });
    } else if (char === '?') {
      tokens.push({ kind: 'one' });
    } else {
      tokens.push({ kind: 'literal', char });
    }
  }
  return tokens;
}

/** True when the value contains an unescaped `*` or `?`. */
export function hasWildcard(value: string): boolean {
  return parseWildcardPattern(value).some((token) => token.kind !== 'literal');
}

/** Whether `value` matches `pattern` the way EC2 applies a filter value. */
export function matchesWildcard(pattern: string, value: string): boolean {
  const tokens = parseWildcardPattern(pattern);
  const chars = Array.from(value);
  let t = 0;
  let v = 0;
  // Position of the last `*` and the value index it currently swallows up to (for backtracking).
  let starToken = -1;
  let starValue = 0;
  while (v < chars.length) {
    const token = tokens[t];
    if (token && (token.kind === 'one' || (token.kind === 'literal' && token.char === chars[v]))) {
      t++;
      v++;
    } else if (token && token.kind === 'any') {
      starToken = t++;
      starValue = v;
    } else if (starToken >= 0) {
      t = starToken + 1;
      v = ++starValue;
    } else {
      return false;
    }
  }
  while (tokens[t]?.kind === 'any') t++;
  return t === tokens.length;
}

/**
 * Whether some string of the given shape could match the pattern. A shape lists, per position,
 * the characters allowed there (e.g. `fl-` then 8 hex digits). Used to accept `fl-*` but reject `xy*`.
 */
export function patternCanMatchShape(pattern: string, shape: readonly string[]): boolean {
  // Set of shape positions the pattern can have consumed so far.
  let reachable = new Set<number>([0]);
  for (const token of parseWildcardPattern(pattern)) {
    const next = new Set<number>();
    if (token.kind === 'any') {
      const from = Math.min(...reachable);
      for (let i = from; i <= shape.length; i++) next.add(i);
    } else {
      for (const i of reachable) {
        if (i < shape.length && (token.kind === 'one' || shape[i].includes(token.char))) next.add(i + 1);
      }
    }
    if (next.size === 0) return false;
    reachable = next;
  }
  return reachable.has(shape.length);
}
