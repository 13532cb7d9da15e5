// The part of the CloudWatch Logs Insights query language that flow-log analyses use: fields,
// display, parse (glob and regular-expression forms), filter, stats (count, sum, avg, min, max,
// count_distinct) by fields and bin(), sort, limit. Anything else is a MalformedQueryError with
// the character range of the offending text, as AWS reports it (queryCompileError.location).
// Node built-ins only.

export class MalformedQueryError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
    this.name = 'MalformedQueryError';
  }
}

type TokenKind = 'ident' | 'string' | 'number' | 'duration' | 'regex' | 'op' | 'pipe' | 'eof';
interface Token {
  kind: TokenKind;
  text: string;
  /** Decoded value: string contents, number, duration seconds, regex source. */
  value?: string | number;
  flags?: string;
  start: number;
  end: number;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'like', 'as', 'by', 'asc', 'desc']);
const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, sec: 1, m: 60, min: 60, h: 3600, hr: 3600, d: 86400, w: 604800 };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  // A '/' starts a regular expression only where one may stand: after =~, like, or parse FIELD.
  const regexAllowed = () => {
    const prev = tokens[tokens.length - 1];
    const prev2 = tokens[tokens.length - 2];
    if (!prev) return false;
    if (prev.kind === 'op' && prev.text === '=~') return true;
    if (prev.kind === 'ident' && prev.text.toLowerCase() === 'like') return true;
    return prev.kind === 'ident' && prev2?.kind === 'ident' && prev2.text === 'parse';
  };
  while (i < query.length) {
    const c = query[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < query.length && query[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (c === '|') {
      tokens.push({ kind: 'pipe', text: '|', start, end: ++i });
    } else if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (i < query.length && query[i] !== c) {
        if (query[i] === '\\' && i + 1 < query.length) {
          const n = query[i + 1];
          value += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else value += query[i++];
      }
      if (i >= query.length) throw new MalformedQueryError('unterminated string', start, query.length);
      i++;
      tokens.push({ kind: 'string', text: query.slice(start, i), value, start, end: i });
    } else if (c === '`') {
      const close = query.indexOf('`', i + 1);
      if (close < 0) throw new MalformedQueryError('unterminated quoted field name', start, query.length);
      i = close + 1;
      tokens.push({ kind: 'ident', text: query.slice(start, i), value: query.slice(start + 1, close), start, end: i });
    } else if (c === '/' && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < query.length && (query[j] !== '/' || inClass)) {
        if (query[j] === '\\') j++;
        else if (query[j] === '[') inClass = true;
        else if (query[j] === ']') inClass = false;
        j++;
      }
      if (j >= query.length) throw new MalformedQueryError('unterminated regular expression', start, query.length);
      const source = query.slice(i + 1, j);
      j++;
      let flags = '';
      while (j < query.length && /[a-z]/i.test(query[j])) flags += query[j++];
      i = j;
      tokens.push({ kind: 'regex', text: query.slice(start, i), value: source, flags, start, end: i });
    } else if (/\d/.test(c)) {
      while (i < query.length && /[\d.]/.test(query[i])) i++;
      const num = query.slice(start, i);
      let unit = '';
      let j = i;
      while (j < query.length && /[a-z]/i.test(query[j])) unit += query[j++];
      if (unit !== '') {
        const seconds = DURATION_UNITS[unit];
        if (seconds === undefined) throw new MalformedQueryError(`unexpected symbol '${query.slice(start, j)}'`, start, j);
        i = j;
        tokens.push({ kind: 'duration', text: query.slice(start, i), value: Number(num) * seconds, start, end: i });
      } else {
        if (!/^\d+(\.\d+)?$/.test(num)) throw new MalformedQueryError(`unexpected symbol '${num}'`, start, i);
        tokens.push({ kind: 'number', text: num, value: Number(num), start, end: i });
      }
    } else if (/[A-Za-z_@]/.test(c)) {
      while (i < query.length && /[A-Za-z0-9_@.]/.test(query[i])) i++;
      const text = query.slice(start, i);
      tokens.push({ kind: 'ident', text, value: text, start, end: i });
    } else {
      const two = query.slice(i, i + 2);
      if (['!=', '<=', '>=', '=~', '=='].includes(two)) {
        i += 2;
        tokens.push({ kind: 'op', text: two, start, end: i });
      } else if ('=<>()[],*+-/%'.includes(c)) {
        i++;
        tokens.push({ kind: 'op', text: c, start, end: i });
      } else {
        throw new MalformedQueryError(`unexpected symbol '${c}'`, start, start + 1);
      }
    }
  }
  tokens.push({ kind: 'eof', text: '', start: query.length, end: query.length });
  return tokens;
}

// ---- The syntax tree ---------------------------------------------------------------------

export type Expr =
  | { type: 'field'; name: string; start: number; end: number }
  | { type: 'literal'; value: string | number; start: number; end: number }
  | { type: 'list'; items: Expr[]; start: number; end: number }
  | { type: 'regex'; regex: RegExp; start: number; end: number }
  | { type: 'unary'; op: 'not' | '-'; arg: Expr; start: number; end: number }
  | { type: 'binary'; op: string; left: Expr; right: Expr; start: number; end: number }
  | { type: 'call'; name: string; args: Expr[]; star?: boolean; start: number; end: number };

export interface Aggregate {
  fn: 'count' | 'sum' | 'avg' | 'min' | 'max' | 'count_distinct';
  arg?: Expr;
  name: string;
}
export interface GroupKey {
  name: string;
  expr?: Expr;
  binSeconds?: number;
}

export type Command =
  | { type: 'fields'; items: { name: string; expr: Expr }[] }
  | { type: 'display'; names: string[] }
  | { type: 'parse'; source: string; regex: RegExp; names: string[] }
  | { type: 'filter'; expr: Expr }
  | { type: 'stats'; aggregates: Aggregate[]; by: GroupKey[] }
  | { type: 'sort'; keys: { name: string; expr: Expr; desc: boolean }[] }
  | { type: 'limit'; count: number };

const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max', 'count_distinct']);
const SCALAR_FUNCTIONS: Record<string, number> = {
  isipv4insubnet: 2,
  ispresent: 1,
  isempty: 1,
  tonumber: 1,
  strlen: 1,
  tolower: 1,
  toupper: 1,
  abs: 1,
  floor: 1,
  ceil: 1,
};
const COMMANDS = new Set(['fields', 'display', 'parse', 'filter', 'stats', 'sort', 'limit']);
const KNOWN_BUT_UNSUPPORTED = new Set(['dedup', 'unmask', 'unnest', 'pattern', 'diff', 'anomaly', 'filterIndex', 'source', 'lookup']);

/** Parses a whole query into its commands; throws MalformedQueryError. */
export function parseQuery(query: string): Command[] {
  if (typeof query !== 'string' || query.trim() === '') throw new MalformedQueryError('the query is empty', 0, 0);
  const p = new Parser(query, tokenize(query));
  return p.query();
}

class Parser {
  private pos = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private fail(token: Token, message?: string): never {
    const text = token.kind === 'eof' ? 'end of query' : `'${token.text}'`;
    throw new MalformedQueryError(message ?? `unexpected symbol ${text}`, token.start, Math.max(token.end, token.start));
  }
  private isWord(word: string, t = this.peek()): boolean {
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }
  private isOp(op: string, t = this.peek()): boolean {
    return t.kind === 'op' && t.text === op;
  }
  private expectOp(op: string): Token {
    if (!this.isOp(op))
      this.fail(this.peek(), `expected '${op}' but found ${this.peek().kind === 'eof' ? 'end of query' : `'${this.peek().text}'`}`);
    return this.next();
  }
  private atCommandEnd(): boolean {
    const k = this.peek().kind;
    return k === 'pipe' || k === 'eof';
  }

  query(): Command[] {
    const commands: Command[] = [];
    while (this.peek().kind !== 'eof') {
      if (this.peek().kind === 'pipe') {
        this.next();
        continue;
      }
      commands.push(this.command());
      if (!this.atCommandEnd()) this.fail(this.peek());
    }
    if (commands.length === 0) throw new MalformedQueryError('the query is empty', 0, 0);
    return commands;
  }

  private command(): Command {
    const t = this.next();
    const word = t.kind === 'ident' ? t.text : '';
    if (!COMMANDS.has(word)) {
      if (KNOWN_BUT_UNSUPPORTED.has(word)) this.fail(t, `the command '${word}' is not supported here`);
      this.fail(
        t,
        `unexpected symbol '${t.text || 'end of query'}': expected a command (fields, display, parse, filter, stats, sort, limit)`,
      );
    }
    switch (word) {
      case 'fields': {
        const items: { name: string; expr: Expr }[] = [];
        do {
          const start = this.peek().start;
          const expr = this.expr();
          let name = this.source.slice(start, this.tokens[this.pos - 1].end);
          if (expr.type === 'field') name = expr.name;
          if (this.isWord('as')) {
            this.next();
            name = this.fieldName();
          }
          items.push({ name, expr });
        } while (this.isOp(',') && this.next());
        return { type: 'fields', items };
      }
      case 'display': {
        const names: string[] = [];
        do names.push(this.fieldName());
        while (this.isOp(',') && this.next());
        return { type: 'display', names };
      }
      case 'parse':
        return this.parseCommand();
      case 'filter':
        return { type: 'filter', expr: this.expr() };
      case 'stats':
        return this.statsCommand();
      case 'sort': {
        const keys: { name: string; expr: Expr; desc: boolean }[] = [];
        do {
          const start = this.peek().start;
          const expr = this.primary();
          const name = expr.type === 'field' ? expr.name : this.source.slice(start, this.tokens[this.pos - 1].end);
          let desc = false;
          if (this.isWord('desc')) {
            this.next();
            desc = true;
          } else if (this.isWord('asc')) this.next();
          keys.push({ name, expr, desc });
        } while (this.isOp(',') && this.next());
        return { type: 'sort', keys };
      }
      case 'limit': {
        const n = this.next();
        if (n.kind !== 'number' || !Number.isInteger(n.value) || (n.value as number) < 1)
          this.fail(n, 'limit needs a positive whole number');
        if ((n.value as number) > 10000) this.fail(n, 'limit must be at most 10000');
        return { type: 'limit', count: n.value as number };
      }
    }
    this.fail(t);
  }

  private fieldName(): string {
    const t = this.next();
    if (t.kind !== 'ident' || KEYWORDS.has(t.text.toLowerCase()))
      this.fail(t, `expected a field name but found ${t.kind === 'eof' ? 'end of query' : `'${t.text}'`}`);
    return String(t.value);
  }

  private parseCommand(): Command {
    const source = this.fieldName();
    const pattern = this.next();
    if (pattern.kind === 'regex') {
      const regex = compileRegex(String(pattern.value), pattern.flags ?? '', pattern);
      const names = namedGroups(String(pattern.value));
      if (names.length === 0) this.fail(pattern, 'a parse regular expression needs at least one named capture group (?<name>...)');
      return { type: 'parse', source, regex, names };
    }
    if (pattern.kind !== 'string') this.fail(pattern, 'parse needs a pattern: a string with * or a /regular expression/');
    const glob = String(pattern.value);
    const stars = glob.split('*').length - 1;
    if (stars === 0) this.fail(pattern, 'a parse pattern needs at least one *');
    if (!this.isWord('as')) this.fail(this.peek(), `expected 'as' after the parse pattern`);
    this.next();
    const names: string[] = [];
    do names.push(this.fieldName());
    while (this.isOp(',') && this.next());
    if (names.length !== stars) this.fail(pattern, `the pattern has ${stars} * but ${names.length} field names follow`);
    const pieces = glob.split('*').map(escapeRegex);
    // Each * is lazy except the last, which takes the rest of the line.
    const body = pieces
      .map((piece, i) => (i === 0 ? piece : (i === pieces.length - 1 && piece === '' ? '(.*)' : '(.*?)') + piece))
      .join('');
    return { type: 'parse', source, regex: new RegExp(body, 's'), names };
  }

  private statsCommand(): Command {
    const aggregates: Aggregate[] = [];
    do {
      const start = this.peek().start;
      const fnTok = this.next();
      const fn = fnTok.kind === 'ident' ? fnTok.text.toLowerCase() : '';
      if (!AGGREGATES.has(fn))
        this.fail(
          fnTok,
          fnTok.kind === 'ident' && this.isOp('(')
            ? `the function '${fnTok.text}' is not supported in stats here`
            : `expected an aggregation function (count, sum, avg, min, max, count_distinct)`,
        );
      this.expectOp('(');
      let arg: Expr | undefined;
      if (this.isOp('*')) {
        if (fn !== 'count') this.fail(this.peek(), `${fn}(*) is not valid`);
        this.next();
      } else if (this.isOp(')')) {
        if (fn !== 'count') this.fail(this.peek(), `${fn}() needs an argument`);
      } else arg = this.expr();
      this.expectOp(')');
      let name = this.source.slice(start, this.tokens[this.pos - 1].end).replace(/\s+/g, '');
      if (this.isWord('as')) {
        this.next();
        name = this.fieldName();
      }
      aggregates.push({ fn: fn as Aggregate['fn'], arg, name });
    } while (this.isOp(',') && this.next());
    const by: GroupKey[] = [];
    if (this.isWord('by')) {
      this.next();
      do {
        const t = this.peek();
        if (this.isWord('bin') && this.isOp('(', this.peek(1))) {
          this.next();
          this.next();
          const d = this.next();
          if (d.kind !== 'duration' || !((d.value as number) >= 0.001)) this.fail(d, 'bin needs a period such as 5m or 1h');
          this.expectOp(')');
          let name = this.source.slice(t.start, this.tokens[this.pos - 1].end).replace(/\s+/g, '');
          if (this.isWord('as')) {
            this.next();
            name = this.fieldName();
          }
          by.push({ name, binSeconds: d.value as number });
        } else {
          const start = this.peek().start;
          const expr = this.expr();
          let name = expr.type === 'field' ? expr.name : this.source.slice(start, this.tokens[this.pos - 1].end);
          if (this.isWord('as')) {
            this.next();
            name = this.fieldName();
          }
          by.push({ name, expr });
        }
      } while (this.isOp(',') && this.next());
    }
    return { type: 'stats', aggregates, by };
  }

  // expr := or
  expr(): Expr {
    return this.or();
  }
  private or(): Expr {
    let left = this.and();
    while (this.isWord('or')) {
      this.next();
      const right = this.and();
      left = { type: 'binary', op: 'or', left, right, start: left.start, end: right.end };
    }
    return left;
  }
  private and(): Expr {
    let left = this.not();
    while (this.isWord('and')) {
      this.next();
      const right = this.not();
      left = { type: 'binary', op: 'and', left, right, start: left.start, end: right.end };
    }
    return left;
  }
  private not(): Expr {
    if (this.isWord('not')) {
      const t = this.next();
      const arg = this.not();
      return { type: 'unary', op: 'not', arg, start: t.start, end: arg.end };
    }
    return this.comparison();
  }
  private comparison(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && ['=', '==', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.next();
      const right = this.additive();
      return { type: 'binary', op: t.text === '==' ? '=' : t.text, left, right, start: left.start, end: right.end };
    }
    if (this.isOp('=~') || this.isWord('like')) {
      this.next();
      const r = this.next();
      let right: Expr;
      if (r.kind === 'regex') right = { type: 'regex', regex: compileRegex(String(r.value), r.flags ?? '', r), start: r.start, end: r.end };
      else if (r.kind === 'string') right = { type: 'literal', value: String(r.value), start: r.start, end: r.end };
      else this.fail(r, 'like needs a "string" or a /regular expression/');
      return { type: 'binary', op: 'like', left, right, start: left.start, end: right.end };
    }
    let negated = false;
    if (this.isWord('not') && this.isWord('in', this.peek(1))) {
      this.next();
      negated = true;
    }
    if (this.isWord('in')) {
      this.next();
      const open = this.expectOp('[');
      const items: Expr[] = [];
      if (!this.isOp(']')) {
        do items.push(this.additive());
        while (this.isOp(',') && this.next());
      }
      const close = this.expectOp(']');
      const inExpr: Expr = {
        type: 'binary',
        op: 'in',
        left,
        right: { type: 'list', items, start: open.start, end: close.end },
        start: left.start,
        end: close.end,
      };
      return negated ? { type: 'unary', op: 'not', arg: inExpr, start: left.start, end: close.end } : inExpr;
    }
    return left;
  }
  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text;
      const right = this.multiplicative();
      left = { type: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }
  private multiplicative(): Expr {
    let left = this.unaryMinus();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.next().text;
      const right = this.unaryMinus();
      left = { type: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }
  private unaryMinus(): Expr {
    if (this.isOp('-')) {
      const t = this.next();
      const arg = this.primary();
      return { type: 'unary', op: '-', arg, start: t.start, end: arg.end };
    }
    return this.primary();
  }
  primary(): Expr {
    const t = this.next();
    if (t.kind === 'number') return { type: 'literal', value: t.value as number, start: t.start, end: t.end };
    if (t.kind === 'string') return { type: 'literal', value: t.value as string, start: t.start, end: t.end };
    if (this.isOp('(', t)) {
      const inner = this.expr();
      const close = this.expectOp(')');
      return { ...inner, start: t.start, end: close.end };
    }
    if (t.kind === 'ident' && !KEYWORDS.has(t.text.toLowerCase())) {
      if (this.isOp('(') && t.text[0] !== '`') {
        const name = t.text.toLowerCase();
        const arity = SCALAR_FUNCTIONS[name];
        if (arity === undefined) {
          if (AGGREGATES.has(name)) this.fail(t, `the aggregation function '${t.text}' can be used only in stats`);
          this.fail(t, `the function '${t.text}' is not supported here`);
        }
        this.next();
        const args: Expr[] = [];
        if (!this.isOp(')')) {
          do args.push(this.expr());
          while (this.isOp(',') && this.next());
        }
        const close = this.expectOp(')');
        if (args.length !== arity)
          throw new MalformedQueryError(`${t.text} takes ${arity} argument${arity === 1 ? '' : 's'}`, t.start, close.end);
        return { type: 'call', name, args, start: t.start, end: close.end };
      }
      return { type: 'field', name: String(t.value), start: t.start, end: t.end };
    }
    this.fail(t);
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function namedGroups(source: string): string[] {
  return [...source.matchAll(/\(\?<([A-Za-z_@][A-Za-z0-9_@.]*)>/g)].map((m) => m[1]);
}

function compileRegex(source: string, flags: string, token: Token): RegExp {
  if (/[^i]/.test(flags)) throw new MalformedQueryError(`unsupported regular expression flags '${flags}'`, token.start, token.end);
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new MalformedQueryError(`invalid regular expression: ${(e as Error).message}`, token.start, token.end);
  }
}
