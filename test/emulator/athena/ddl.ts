// The Hive DDL the local Athena accepts: CREATE DATABASE, CREATE EXTERNAL TABLE (columns,
// PARTITIONED BY, ROW FORMAT DELIMITED / Parquet SerDe, LOCATION, TBLPROPERTIES with partition
// projection) and DROP TABLE. Written from Athena's documentation of these statements, not from
// the extension's generator: a statement the extension writes wrongly is refused here.

export interface Column {
  name: string;
  type: string;
}

export interface TableDef {
  database: string;
  name: string;
  columns: Column[];
  partitionKeys: Column[];
  format: 'text' | 'parquet';
  /** FIELDS TERMINATED BY (text). */
  delimiter: string;
  location: string;
  properties: Record<string, string>;
  created: number;
}

export type Statement =
  | { kind: 'createDatabase'; name: string; ifNotExists: boolean }
  | { kind: 'createTable'; table: Omit<TableDef, 'created' | 'database'> & { database?: string }; ifNotExists: boolean }
  | { kind: 'dropTable'; database?: string; name: string; ifExists: boolean }
  | { kind: 'query' };

export class DdlError extends Error {}

const IDENT = '(?:`([^`]+)`|"([^"]+)"|([A-Za-z_][A-Za-z0-9_]*))';
const QUALIFIED = new RegExp(`^${IDENT}(?:\\s*\\.\\s*${IDENT})?`);

function qualified(text: string): { database?: string; name: string; rest: string } {
  const m = QUALIFIED.exec(text);
  if (!m) throw new DdlError(`line 1:1: mismatched input '${text.slice(0, 20)}': a table name was expected`);
  const first = (m[1] ?? m[2] ?? m[3]).toLowerCase();
  const second = m[4] ?? m[5] ?? m[6];
  return second
    ? { database: first, name: second.toLowerCase(), rest: text.slice(m[0].length) }
    : { name: first, rest: text.slice(m[0].length) };
}

/** The text between a "(" at `open` and its matching ")", respecting quotes. */
function balanced(text: string, open: number): { inner: string; end: number } {
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return { inner: text.slice(open + 1, i), end: i + 1 };
  }
  throw new DdlError("line 1:1: missing ')'");
}

/** Splits on top-level commas. */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(' || c === '<') depth++;
    else if (c === ')' || c === '>') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

function columns(list: string): Column[] {
  return splitTop(list).map((def) => {
    const m = new RegExp(`^${IDENT}\\s+([A-Za-z][A-Za-z0-9_<>(), ]*?)(?:\\s+COMMENT\\s+'[^']*')?$`, 'i').exec(def);
    if (!m) throw new DdlError(`line 1:1: mismatched input '${def.slice(0, 40)}': a column definition was expected`);
    const name = (m[1] ?? m[2] ?? m[3]).toLowerCase();
    return { name, type: m[4].trim().toLowerCase() };
  });
}

/** A Hive string literal ('...' with backslash escapes). */
function hiveString(text: string): string {
  const m = /^'((?:[^'\\]|\\.)*)'/.exec(text.trim());
  if (!m) throw new DdlError(`line 1:1: a string literal was expected, not '${text.trim().slice(0, 20)}'`);
  return m[1].replace(/\\(.)/g, '$1');
}

export function parseStatement(sql: string): Statement {
  const text = sql.trim().replace(/;\s*$/, '');
  let m = /^CREATE\s+(?:DATABASE|SCHEMA)\s+(IF\s+NOT\s+EXISTS\s+)?/i.exec(text);
  if (m) {
    const q = qualified(text.slice(m[0].length));
    if (q.database) throw new DdlError('line 1:1: a database name has no qualifier');
    return { kind: 'createDatabase', name: q.name, ifNotExists: !!m[1] };
  }
  m = /^DROP\s+TABLE\s+(IF\s+EXISTS\s+)?/i.exec(text);
  if (m) {
    const q = qualified(text.slice(m[0].length));
    return { kind: 'dropTable', database: q.database, name: q.name, ifExists: !!m[1] };
  }
  m = /^CREATE\s+EXTERNAL\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?/i.exec(text);
  if (!m) {
    if (/^CREATE\s+TABLE\b/i.test(text)) throw new DdlError('line 1:8: only CREATE EXTERNAL TABLE is supported by this endpoint');
    return { kind: 'query' };
  }
  const q = qualified(text.slice(m[0].length));
  let rest = q.rest.trim();
  if (!rest.startsWith('(')) throw new DdlError("line 1:1: mismatched input: '(' expected after the table name");
  const cols = balanced(rest, 0);
  const table: Omit<TableDef, 'created' | 'database'> & { database?: string } = {
    database: q.database,
    name: q.name,
    columns: columns(cols.inner),
    partitionKeys: [],
    format: 'text',
    delimiter: '\u0001',
    location: '',
    properties: {},
  };
  rest = rest.slice(cols.end).trim();
  while (rest) {
    let c: RegExpExecArray | null;
    if ((c = /^PARTITIONED\s+BY\s*/i.exec(rest))) {
      const p = balanced(rest, c[0].length);
      table.partitionKeys = columns(p.inner);
      rest = rest.slice(p.end).trim();
    } else if ((c = /^ROW\s+FORMAT\s+DELIMITED\s+FIELDS\s+TERMINATED\s+BY\s+/i.exec(rest))) {
      rest = rest.slice(c[0].length);
      const lit = /^'((?:[^'\\]|\\.)*)'/.exec(rest);
      if (!lit) throw new DdlError('line 1:1: FIELDS TERMINATED BY needs a string');
      table.delimiter = hiveString(lit[0]);
      rest = rest.slice(lit[0].length).trim();
    } else if ((c = /^ROW\s+FORMAT\s+SERDE\s+/i.exec(rest))) {
      rest = rest.slice(c[0].length);
      const lit = /^'((?:[^'\\]|\\.)*)'/.exec(rest)!;
      if (!lit) throw new DdlError('line 1:1: ROW FORMAT SERDE needs a string');
      const serde = hiveString(lit[0]);
      if (serde === 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe') table.format = 'parquet';
      else throw new DdlError(`this endpoint reads text and Parquet tables only, not SerDe ${serde}`);
      rest = rest.slice(lit[0].length).trim();
    } else if ((c = /^STORED\s+AS\s+INPUTFORMAT\s+'[^']*'\s+OUTPUTFORMAT\s+'[^']*'/i.exec(rest))) {
      rest = rest.slice(c[0].length).trim();
    } else if ((c = /^STORED\s+AS\s+(PARQUET|TEXTFILE)\b/i.exec(rest))) {
      if (c[1].toUpperCase() === 'PARQUET') table.format = 'parquet';
      rest = rest.slice(c[0].length).trim();
    } else if ((c = /^LOCATION\s+/i.exec(rest))) {
      rest = rest.slice(c[0].length);
      const lit = /^'((?:[^'\\]|\\.)*)'/.exec(rest);
      if (!lit) throw new DdlError('line 1:1: LOCATION needs a string');
      table.location = hiveString(lit[0]);
      rest = rest.slice(lit[0].length).trim();
    } else if ((c = /^TBLPROPERTIES\s*/i.exec(rest))) {
      const p = balanced(rest, c[0].length);
      for (const pair of splitTop(p.inner)) {
        const kv = /^('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*=\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")$/.exec(pair);
        if (!kv) throw new DdlError(`line 1:1: mismatched input '${pair.slice(0, 30)}' in TBLPROPERTIES`);
        const unq = (s: string) => s.slice(1, -1).replace(/\\(.)/g, '$1');
        table.properties[unq(kv[1])] = unq(kv[2]);
      }
      rest = rest.slice(p.end).trim();
    } else {
      throw new DdlError(`line 1:1: mismatched input '${rest.slice(0, 30)}'`);
    }
  }
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(table.location))
    throw new DdlError(`line 1:1: LOCATION must be an s3:// path, not '${table.location.slice(0, 60)}'`);
  return { kind: 'createTable', table, ifNotExists: !!m[1] };
}
