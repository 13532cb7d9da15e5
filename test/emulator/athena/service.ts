// The local Athena endpoint: the JSON 1.1 protocol (X-Amz-Target: AmazonAthena.*, SigV4 for
// service "athena") on the emulator's port, backed by a real SQL engine (DuckDB) reading the
// emulator's own S3 objects. server.ts hands it every request with an AmazonAthena target.
//
// - DDL: CREATE DATABASE, CREATE EXTERNAL TABLE (text or Parquet, partition projection with
//   storage.location.template), DROP TABLE; a catalog per (account, region) with "default".
// - A SELECT runs in DuckDB over the table's files: the top-level WHERE conjuncts that name only
//   partition columns choose the partitions (as Athena's projection does); only their files are
//   copied to a temporary folder and read, and their sizes are the bytes scanned. Text columns
//   keep "-" as text; a number column reads "-" as NULL (LazySimpleSerDe does the same).
// - The result is written as CSV to <output location>/<query id>.csv (every value quoted) and
//   paged by GetQueryResults with the column names as the first row, as Athena does.
// - StopQueryExecution interrupts the engine; states QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED.
// Decided here where AWS does not say: S3 permissions on the table's bucket are not checked;
// bytes scanned are whole files (Athena counts the column chunks it reads of a Parquet file).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from '../errors';
import type { FaultEngine } from '../faults';
import { DdlError, parseStatement, type TableDef } from './ddl';

export const ATHENA_TARGET_PREFIX = 'AmazonAthena.';
const NO_OUTPUT =
  'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.';

export interface AthenaCaller {
  accountId: string;
  region: string;
  service: string;
  principalArn: string;
}

export interface AthenaRecord {
  action: string;
  status: number;
  errorCode?: string;
  faults: string[];
}

export interface WorkGroupConfig {
  outputLocation?: string;
  enforce?: boolean;
  bytesScannedCutoffPerQuery?: number;
  state?: 'ENABLED' | 'DISABLED';
}

export interface AthenaOptions {
  /** Workgroups by name; "primary" always exists (with no output location unless given here). */
  workGroups?: Record<string, WorkGroupConfig>;
  /** Queries running at once per account before StartQueryExecution answers TooManyRequestsException. */
  maxRunning?: number;
  /** Each query waits this long in RUNNING before the engine starts (tests of Cancel and live state). */
  queryDelayMs?: number;
}

export interface AthenaDeps {
  /** The S3 objects of a bucket under a prefix (keys, sorted). */
  objects(bucket: string, prefix: string): string[];
  body(bucket: string, key: string): Buffer | undefined;
  /** Writes an object (the query results). */
  put(bucket: string, key: string, body: Buffer, contentType: string): void;
  now(): number;
}

class AthenaApiError extends ApiError {
  constructor(
    code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    status = 400,
  ) {
    super(status, code, message);
  }
}
const invalid = (message: string, code = 'INVALID_INPUT') =>
  new AthenaApiError('InvalidRequestException', message, { AthenaErrorCode: code });

interface Execution {
  id: string;
  accountId: string;
  region: string;
  sql: string;
  workGroup: string;
  database: string;
  outputLocation: string;
  statementType: 'DDL' | 'DML';
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  reason?: string;
  errorCategory?: number;
  submitted: number;
  completed?: number;
  engineMs: number;
  bytes: number;
  columns: { name: string; type: string }[];
  rows: (string | null)[][];
  interrupt?: () => void;
  /** Partitions read (tests: a range scans only its partitions). */
  partitionsRead: string[];
}

type Duck = typeof import('@duckdb/node-api');
type DuckInstance = Awaited<ReturnType<Duck['DuckDBInstance']['create']>>;

const PAGE_MAX = 1000;

export class AthenaService {
  private readonly catalogs = new Map<string, Map<string, Map<string, TableDef>>>();
  private readonly executions = new Map<string, Execution>();
  private db?: Promise<DuckInstance>;
  private folder?: string;
  private readonly written = new Set<string>();
  options: AthenaOptions;

  constructor(
    private readonly deps: AthenaDeps,
    options: AthenaOptions = {},
  ) {
    this.options = { ...options };
  }

  /** Ground truth for tests: a finished query's partitions read and bytes. */
  execution(id: string): Execution | undefined {
    return this.executions.get(id);
  }

  close(): void {
    for (const e of this.executions.values()) e.interrupt?.();
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    this.folder = undefined;
    this.written.clear();
  }

  private catalog(accountId: string, region: string): Map<string, Map<string, TableDef>> {
    const key = `${accountId}|${region}`;
    let c = this.catalogs.get(key);
    if (!c) {
      c = new Map([['default', new Map()]]);
      this.catalogs.set(key, c);
    }
    return c;
  }

  private workGroup(name: string): WorkGroupConfig & { name: string } {
    const w = this.options.workGroups?.[name];
    if (w) return { name, ...w };
    if (name === 'primary') return { name };
    throw invalid(`WorkGroup ${name} is not found.`);
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    record: AthenaRecord,
    requestId: string,
    authenticate: () => AthenaCaller,
    faults: FaultEngine,
    stopping: AbortSignal,
  ): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.slice(ATHENA_TARGET_PREFIX.length);
    record.action = action;
    try {
      let caller: AthenaCaller;
      try {
        caller = authenticate();
      } catch (e) {
        if (e instanceof ApiError && e.code === 'AuthFailure')
          throw new AthenaApiError('UnrecognizedClientException', 'The security token included in the request is invalid.');
        if (e instanceof ApiError && e.code === 'RequestExpired')
          throw new AthenaApiError('ExpiredTokenException', 'The security token included in the request is expired');
        throw e;
      }
      if (caller.service !== 'athena')
        throw new AthenaApiError('InvalidSignatureException', "Credential should be scoped to correct service: 'athena'.");
      const fired = faults.evaluate({ action, accountId: caller.accountId, region: caller.region });
      record.faults = fired.map((f) => f.kind);
      const delay = fired.reduce((sum, f) => sum + f.delayMs, 0);
      if (delay > 0) await sleep(delay, undefined, { signal: stopping });
      for (const { kind } of fired) {
        if (kind === 'hang') return await new Promise<void>((resolve) => (res.destroyed ? resolve() : res.once('close', () => resolve())));
        if (kind === 'throttle')
          throw new AthenaApiError('TooManyRequestsException', 'Rate exceeded', { Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' });
        if (kind === 'internalError') throw new AthenaApiError('InternalServerException', 'Internal service error', {}, 500);
        if (kind === 'unauthorized') {
          const wg = `arn:aws:athena:${caller.region}:${caller.accountId}:workgroup/primary`;
          throw new AthenaApiError(
            'AccessDeniedException',
            `User: ${caller.principalArn} is not authorized to perform: athena:${action} on resource: ${wg} because no identity-based policy allows the athena:${action} action`,
          );
        }
      }
      const ct = String(req.headers['content-type'] ?? '');
      if (!ct.startsWith('application/x-amz-json-1.1'))
        throw new AthenaApiError('SerializationException', `Unsupported content type: ${ct || '(none)'}`);
      let input: Record<string, unknown>;
      try {
        input = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        throw new AthenaApiError('SerializationException', 'The request body is not valid JSON');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input))
        throw new AthenaApiError('SerializationException', 'The request body must be a JSON object');
      let out: unknown;
      switch (action) {
        case 'StartQueryExecution':
          out = this.start(caller, input);
          break;
        case 'GetQueryExecution':
          out = { QueryExecution: this.describe(this.find(caller, input.QueryExecutionId)) };
          break;
        case 'GetQueryResults':
          out = this.results(caller, input);
          break;
        case 'StopQueryExecution':
          this.stop(this.find(caller, input.QueryExecutionId));
          out = {};
          break;
        case 'GetWorkGroup':
          out = this.getWorkGroup(input);
          break;
        case 'GetTableMetadata':
          out = this.getTableMetadata(caller, input);
          break;
        case 'GetDatabase':
          out = this.getDatabase(caller, input);
          break;
        default:
          throw new AthenaApiError('UnknownOperationException', `Operation ${action || '(none)'} is not supported by this endpoint`);
      }
      send(res, record, 200, out, requestId);
    } catch (e) {
      if (stopping.aborted) return;
      const error =
        e instanceof ApiError ? e : new AthenaApiError('InternalServerException', `Emulator bug: ${(e as Error)?.message ?? e}`, {}, 500);
      record.errorCode = error.code;
      send(
        res,
        record,
        error.status,
        { __type: error.code, Message: error.message, ...(error instanceof AthenaApiError ? error.extra : {}) },
        requestId,
        error.code,
      );
    }
  }

  private find(caller: AthenaCaller, id: unknown): Execution {
    const e = typeof id === 'string' ? this.executions.get(id) : undefined;
    if (!e || e.accountId !== caller.accountId || e.region !== caller.region)
      throw invalid(`QueryExecution ${String(id).slice(0, 100)} was not found`);
    return e;
  }

  private start(caller: AthenaCaller, input: Record<string, unknown>): { QueryExecutionId: string } {
    const sql = input.QueryString;
    if (typeof sql !== 'string' || sql.length < 1 || sql.length > 262_144)
      throw invalid(
        "1 validation error detected: Value at 'queryString' failed to satisfy constraint: Member must have length between 1 and 262144",
      );
    const wgName = typeof input.WorkGroup === 'string' && input.WorkGroup ? input.WorkGroup : 'primary';
    const wg = this.workGroup(wgName);
    if (wg.state === 'DISABLED') throw invalid(`WorkGroup ${wgName} is disabled.`);
    const rc = input.ResultConfiguration as { OutputLocation?: unknown } | undefined;
    const given = typeof rc?.OutputLocation === 'string' ? rc.OutputLocation : undefined;
    const outputLocation = wg.enforce ? wg.outputLocation : (given ?? wg.outputLocation);
    if (!outputLocation) throw invalid(NO_OUTPUT);
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(outputLocation))
      throw invalid(`${outputLocation.slice(0, 100)} is not a valid S3 path.`);
    const running = [...this.executions.values()].filter(
      (e) => e.accountId === caller.accountId && (e.state === 'RUNNING' || e.state === 'QUEUED'),
    ).length;
    if (running >= (this.options.maxRunning ?? 20))
      throw new AthenaApiError(
        'TooManyRequestsException',
        'You have exceeded the limit for the number of queries you can run concurrently. Please reduce the number of concurrent queries submitted by this account. Contact customer support to request a concurrent query limit increase.',
        { Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' },
      );
    const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : undefined;
    if (token) {
      const same = [...this.executions.values()].find(
        (e) => (e as Execution & { token?: string }).token === token && e.accountId === caller.accountId,
      );
      if (same) return { QueryExecutionId: same.id };
    }
    const ctx = input.QueryExecutionContext as { Database?: unknown } | undefined;
    const database = typeof ctx?.Database === 'string' && ctx.Database ? ctx.Database.toLowerCase() : 'default';
    const id = randomUUID();
    const isDdl = /^\s*(CREATE|DROP|ALTER|MSCK|SHOW|DESCRIBE)\b/i.test(sql);
    const e: Execution & { token?: string } = {
      id,
      token,
      accountId: caller.accountId,
      region: caller.region,
      sql,
      workGroup: wgName,
      database,
      outputLocation: outputLocation.endsWith('/') ? outputLocation : `${outputLocation}/`,
      statementType: isDdl ? 'DDL' : 'DML',
      state: 'QUEUED',
      submitted: this.deps.now(),
      engineMs: 0,
      bytes: 0,
      columns: [],
      rows: [],
      partitionsRead: [],
    };
    this.executions.set(id, e);
    setImmediate(() => void this.run(e, wg));
    return { QueryExecutionId: id };
  }

  private fail(e: Execution, reason: string, category = 2): void {
    if (e.state === 'CANCELLED') return;
    e.state = 'FAILED';
    e.reason = reason;
    e.errorCategory = category;
    e.completed = this.deps.now();
  }

  private async run(e: Execution, wg: WorkGroupConfig): Promise<void> {
    if (e.state !== 'QUEUED') return;
    e.state = 'RUNNING';
    const t0 = performance.now();
    try {
      if (this.options.queryDelayMs) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.options.queryDelayMs);
          e.interrupt = () => {
            clearTimeout(t);
            resolve();
          };
        });
        if (e.state !== 'RUNNING') return;
      }
      const statement = parseStatement(e.sql);
      const catalog = this.catalog(e.accountId, e.region);
      if (statement.kind === 'createDatabase') {
        if (catalog.has(statement.name) && !statement.ifNotExists)
          return this.fail(e, `FAILED: AlreadyExistsException: Database ${statement.name} already exists`);
        if (!catalog.has(statement.name)) catalog.set(statement.name, new Map());
      } else if (statement.kind === 'createTable') {
        const dbName = statement.table.database ?? e.database;
        const db = catalog.get(dbName);
        if (!db) return this.fail(e, `FAILED: SemanticException [Error 10072]: Database does not exist: ${dbName}`);
        if (db.has(statement.table.name)) {
          if (!statement.ifNotExists) return this.fail(e, `FAILED: AlreadyExistsException: Table ${statement.table.name} already exists`);
        } else {
          db.set(statement.table.name, { ...statement.table, database: dbName, created: this.deps.now() });
        }
      } else if (statement.kind === 'dropTable') {
        const db = catalog.get(statement.database ?? e.database);
        if (!db?.has(statement.name) && !statement.ifExists)
          return this.fail(e, `FAILED: SemanticException [Error 10001]: Table not found ${statement.name}`);
        db?.delete(statement.name);
      } else {
        await this.select(e, wg);
        if (e.state !== 'RUNNING') return;
      }
      e.engineMs = Math.round(performance.now() - t0);
      this.writeResult(e);
      e.state = 'SUCCEEDED';
      e.completed = this.deps.now();
    } catch (err) {
      e.engineMs = Math.round(performance.now() - t0);
      if (err instanceof DdlError) return this.fail(e, err.message.startsWith('line') ? `SYNTAX_ERROR: ${err.message}` : err.message, 2);
      if (err instanceof QueryFailure) return this.fail(e, err.message, err.category);
      this.fail(e, engineMessage(e.sql, (err as Error)?.message ?? String(err)), 2);
    } finally {
      e.interrupt = undefined;
    }
  }

  private async duck(): Promise<DuckInstance> {
    this.db ??= (async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { DuckDBInstance } = require('@duckdb/node-api') as Duck;
      const db = await DuckDBInstance.create(':memory:', { threads: '2' });
      const c = await db.connect();
      // Trino's names for what DuckDB calls otherwise.
      await c.run('CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)');
      c.closeSync();
      return db;
    })();
    return this.db;
  }

  /** The table a SELECT reads, its files, and the partitions its WHERE keeps. */
  private async select(e: Execution, wg: WorkGroupConfig): Promise<void> {
    const catalog = this.catalog(e.accountId, e.region);
    const ref = /\b(FROM|JOIN)\s+((?:"[^"]+"|`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)(?:\s*\.\s*(?:"[^"]+"|`[^`]+`|[A-Za-z_][A-Za-z0-9_]*))?)/gi;
    const refs = [...e.sql.matchAll(ref)];
    const tables = new Map<string, TableDef>();
    for (const m of refs) {
      // A table function (range(...), read_csv(...)) or a keyword (a syntax error DuckDB reports) is no table.
      if (/^\s*\(/.test(e.sql.slice(m.index! + m[0].length)) || SQL_WORDS.has(m[2].toLowerCase())) continue;
      const parts = m[2].split(/\s*\.\s*/).map((p) => p.replace(/^["`]|["`]$/g, '').toLowerCase());
      const [dbName, name] = parts.length === 2 ? parts : [e.database, parts[0]];
      const table = catalog.get(dbName)?.get(name);
      if (!table) {
        const at = position(e.sql, m.index! + m[1].length + 1);
        throw new QueryFailure(`TABLE_NOT_FOUND: line ${at.line}:${at.column}: Table 'awsdatacatalog.${dbName}.${name}' does not exist`, 2);
      }
      tables.set(m[2], table);
    }
    if (tables.size > 1) throw new QueryFailure('NOT_SUPPORTED: this endpoint reads one table per query', 2);
    const db = await this.duck();
    const c = await db.connect();
    e.interrupt = () => c.interrupt();
    try {
      let sql = e.sql;
      if (tables.size === 1) {
        const [[text, table]] = [...tables];
        const view = await this.tableView(c, e, table);
        sql = sql.split(text).join(view);
      }
      sql = sql.replace(/"\$path"\s+LIKE\s+'(?:[^']|'')*'/gi, 'true');
      const result = await c.runAndReadAll(sql);
      if (e.state !== 'RUNNING') return;
      if (wg.bytesScannedCutoffPerQuery && e.bytes > wg.bytesScannedCutoffPerQuery)
        throw new QueryFailure(
          `Query cancelled! Bytes scanned limit was exceeded. The limit is ${wg.bytesScannedCutoffPerQuery} bytes.`,
          1,
        );
      e.columns = result.columnNames().map((name, i) => ({ name, type: athenaType(String(result.columnTypes()[i])) }));
      e.rows = result.getRows().map((row) => row.map(text));
    } finally {
      c.closeSync();
    }
  }

  /** A DuckDB subquery over the files of the table's partitions that the WHERE keeps. */
  private async tableView(c: Awaited<ReturnType<DuckInstance['connect']>>, e: Execution, table: TableDef): Promise<string> {
    const loc = /^s3:\/\/([^/]+)\/?(.*)$/.exec(table.location)!;
    const bucket = loc[1];
    const prefix = loc[2] && !loc[2].endsWith('/') ? `${loc[2]}/` : loc[2];
    const keys = this.deps.objects(bucket, prefix);
    const partCols = table.partitionKeys.map((k) => k.name);
    const files: { key: string; values: string[] }[] = [];
    if (partCols.length === 0) {
      for (const key of keys) files.push({ key, values: [] });
    } else if (table.properties['projection.enabled'] === 'true') {
      const matcher = projectionMatcher(table, bucket);
      for (const key of keys) {
        const values = matcher(key);
        if (values) files.push({ key, values });
      }
    } // a partitioned table without projection has no partitions until they are added: no files.
    // The partitions the WHERE keeps: its top-level conjuncts that name partition columns only.
    let chosen = files;
    if (partCols.length > 0 && files.length > 0) {
      const where = partitionConjuncts(
        e.sql,
        partCols,
        table.columns.map((col) => col.name),
      );
      if (where.length > 0) {
        const distinct = [...new Map(files.map((f) => [f.values.join('\u0000'), f.values])).values()];
        const valuesSql = distinct.map((v) => `(${v.map(sqlText).join(', ')})`).join(', ');
        const r = await c.runAndReadAll(
          `SELECT * FROM (VALUES ${valuesSql}) AS p(${partCols.map((p) => `"${p}"`).join(', ')}) WHERE ${where.map((w) => `(${w})`).join(' AND ')}`,
        );
        const keep = new Set(r.getRows().map((row) => row.map((v) => String(v)).join('\u0000')));
        chosen = files.filter((f) => keep.has(f.values.join('\u0000')));
      }
    }
    // "$path" LIKE '...' (Athena's file pseudo-column): only the files it names are read.
    for (const m of e.sql.matchAll(/"\$path"\s+LIKE\s+'((?:[^']|'')*)'/gi)) {
      const like = new RegExp(
        `^${m[1]
          .replace(/''/g, "'")
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          .replace(/%/g, '.*')
          .replace(/_/g, '.')}$`,
      );
      chosen = chosen.filter((f) => like.test(`s3://${bucket}/${f.key}`));
    }
    e.partitionsRead = [...new Set(chosen.map((f) => f.values.join('/')))].sort();
    const local: { path: string; values: string[] }[] = [];
    for (const f of chosen) {
      const body = this.deps.body(bucket, f.key);
      if (!body) continue;
      e.bytes += body.length;
      local.push({ path: this.localFile(bucket, f.key, body), values: f.values });
    }
    const cast = (name: string, type: string) => {
      const t = duckType(type);
      return t === 'VARCHAR' ? `CAST("${name}" AS VARCHAR) AS "${name}"` : `TRY_CAST("${name}" AS ${t}) AS "${name}"`;
    };
    const dataCols = table.columns.map((col) => cast(col.name, col.type));
    const partSelect = partCols.map((p) => `"${p}"`);
    if (local.length === 0) {
      const nulls = [
        ...table.columns.map((col) => `CAST(NULL AS ${duckType(col.type)}) AS "${col.name}"`),
        ...partCols.map((p) => `CAST(NULL AS VARCHAR) AS "${p}"`),
      ];
      return `(SELECT ${nulls.join(', ')} WHERE false)`;
    }
    const list = `[${local.map((l) => sqlText(l.path)).join(', ')}]`;
    const fileParts = `(VALUES ${local.map((l) => `(${[sqlText(l.path), ...l.values.map(sqlText)].join(', ')})`).join(', ')}) AS fp(__file${partCols.map((p) => `, "${p}"`).join('')})`;
    let read: string;
    if (table.format === 'parquet') {
      read = `read_parquet(${list}, filename = '__file', union_by_name = true, hive_partitioning = false)`;
    } else {
      const header = Number(table.properties['skip.header.line.count'] ?? '0') > 0;
      const columns = `{${table.columns.map((col) => `'${col.name}': 'VARCHAR'`).join(', ')}}`;
      read = `read_csv(${list}, delim = ${sqlText(table.delimiter)}, header = ${header}, columns = ${columns}, quote = '', escape = '', filename = '__file', compression = 'gzip', null_padding = true, hive_partitioning = false)`;
    }
    return `(SELECT ${[...dataCols, ...partSelect].join(', ')} FROM (SELECT * FROM ${read}) AS d JOIN ${fileParts} USING (__file))`;
  }

  private localFile(bucket: string, key: string, body: Buffer): string {
    this.folder ??= mkdtempSync(join(tmpdir(), 'emulator-athena-'));
    const path = join(this.folder, bucket, key);
    if (!this.written.has(path)) {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, body);
      this.written.add(path);
    }
    return path;
  }

  private writeResult(e: Execution): void {
    const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(e.outputLocation)!;
    if (e.statementType === 'DDL') {
      this.deps.put(m[1], `${m[2]}${e.id}.txt`, Buffer.from(''), 'text/plain');
      return;
    }
    const quote = (v: string | null) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`);
    const lines = [e.columns.map((col) => quote(col.name)).join(','), ...e.rows.map((r) => r.map(quote).join(','))];
    this.deps.put(m[1], `${m[2]}${e.id}.csv`, Buffer.from(lines.join('\n') + '\n'), 'text/csv');
  }

  private stop(e: Execution): void {
    if (e.state === 'QUEUED' || e.state === 'RUNNING') {
      e.state = 'CANCELLED';
      e.completed = this.deps.now();
      e.interrupt?.();
    }
  }

  private describe(e: Execution): unknown {
    const ext = e.statementType === 'DDL' ? 'txt' : 'csv';
    return {
      QueryExecutionId: e.id,
      Query: e.sql,
      StatementType: e.statementType,
      ResultConfiguration: { OutputLocation: `${e.outputLocation}${e.id}.${ext}` },
      QueryExecutionContext: { Database: e.database, Catalog: 'awsdatacatalog' },
      Status: {
        State: e.state,
        ...(e.reason
          ? {
              StateChangeReason: e.reason,
              AthenaError: { ErrorCategory: e.errorCategory ?? 2, ErrorType: 1000, Retryable: false, ErrorMessage: e.reason },
            }
          : {}),
        SubmissionDateTime: e.submitted / 1000,
        ...(e.completed ? { CompletionDateTime: e.completed / 1000 } : {}),
      },
      Statistics: {
        EngineExecutionTimeInMillis: e.engineMs,
        DataScannedInBytes: e.bytes,
        TotalExecutionTimeInMillis: (e.completed ?? this.deps.now()) - e.submitted,
        QueryQueueTimeInMillis: 0,
        ServicePreProcessingTimeInMillis: 0,
        QueryPlanningTimeInMillis: 0,
        ServiceProcessingTimeInMillis: 0,
      },
      WorkGroup: e.workGroup,
      EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
    };
  }

  private results(caller: AthenaCaller, input: Record<string, unknown>): unknown {
    const e = this.find(caller, input.QueryExecutionId);
    if (e.state !== 'SUCCEEDED') {
      if (e.state === 'FAILED') throw invalid(e.reason ?? 'Query failed');
      throw invalid(`Query has not yet finished. Current state: ${e.state}`);
    }
    const max = input.MaxResults === undefined ? PAGE_MAX : Number(input.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > PAGE_MAX)
      throw invalid(
        `1 validation error detected: Value '${String(input.MaxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`,
      );
    // The rows with the header row first (a SELECT's column names), as Athena pages them.
    const all: (string | null)[][] = e.statementType === 'DDL' ? [] : [e.columns.map((col) => col.name), ...e.rows];
    let offset = 0;
    if (input.NextToken !== undefined) {
      const m =
        typeof input.NextToken === 'string'
          ? /^([0-9a-f-]{36})\.(\d+)$/.exec(Buffer.from(input.NextToken, 'base64').toString('utf8'))
          : null;
      if (!m || m[1] !== e.id || Number(m[2]) > all.length) throw invalid('The token passed is invalid or expired.');
      offset = Number(m[2]);
    }
    const page = all.slice(offset, offset + max);
    const next = offset + max < all.length ? Buffer.from(`${e.id}.${offset + max}`).toString('base64') : undefined;
    return {
      UpdateCount: 0,
      ResultSet: {
        Rows: page.map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        ResultSetMetadata: {
          ColumnInfo: e.columns.map((col) => ({
            CatalogName: 'hive',
            SchemaName: '',
            TableName: '',
            Name: col.name,
            Label: col.name,
            Type: col.type,
            Precision: col.type === 'bigint' ? 19 : col.type === 'integer' ? 10 : 2147483647,
            Scale: 0,
            Nullable: 'UNKNOWN',
            CaseSensitive: col.type === 'varchar',
          })),
        },
      },
      ...(next ? { NextToken: next } : {}),
    };
  }

  private getWorkGroup(input: Record<string, unknown>): unknown {
    const name = typeof input.WorkGroup === 'string' ? input.WorkGroup : '';
    if (!name)
      throw invalid("1 validation error detected: Value null at 'workGroup' failed to satisfy constraint: Member must not be null");
    const w = this.workGroup(name);
    return {
      WorkGroup: {
        Name: name,
        State: w.state ?? 'ENABLED',
        Configuration: {
          ...(w.outputLocation ? { ResultConfiguration: { OutputLocation: w.outputLocation } } : {}),
          EnforceWorkGroupConfiguration: w.enforce === true,
          PublishCloudWatchMetricsEnabled: false,
          ...(w.bytesScannedCutoffPerQuery ? { BytesScannedCutoffPerQuery: w.bytesScannedCutoffPerQuery } : {}),
          RequesterPaysEnabled: false,
          EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
        },
        CreationTime: 0,
      },
    };
  }

  private getDatabase(caller: AthenaCaller, input: Record<string, unknown>): unknown {
    const name = String(input.DatabaseName ?? '').toLowerCase();
    if (!this.catalog(caller.accountId, caller.region).has(name))
      throw new AthenaApiError('MetadataException', `Database ${name} not found.`);
    return { Database: { Name: name, Parameters: {} } };
  }

  private getTableMetadata(caller: AthenaCaller, input: Record<string, unknown>): unknown {
    const dbName = String(input.DatabaseName ?? '').toLowerCase();
    const name = String(input.TableName ?? '').toLowerCase();
    const db = this.catalog(caller.accountId, caller.region).get(dbName);
    if (!db) throw new AthenaApiError('MetadataException', `Database ${dbName} not found.`);
    const t = db.get(name);
    if (!t) throw new AthenaApiError('MetadataException', `Table ${name} not found.`);
    return {
      TableMetadata: {
        Name: t.name,
        CreateTime: t.created / 1000,
        TableType: 'EXTERNAL_TABLE',
        Columns: t.columns.map((col) => ({ Name: col.name, Type: col.type })),
        PartitionKeys: t.partitionKeys.map((col) => ({ Name: col.name, Type: col.type })),
        Parameters: {
          ...t.properties,
          EXTERNAL: 'TRUE',
          location: t.location,
          inputformat:
            t.format === 'parquet'
              ? 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
              : 'org.apache.hadoop.mapred.TextInputFormat',
          'serde.serialization.lib':
            t.format === 'parquet'
              ? 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
              : 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
          ...(t.format === 'text' ? { 'serde.param.field.delim': t.delimiter } : {}),
        },
      },
    };
  }
}

class QueryFailure extends Error {
  constructor(
    message: string,
    readonly category: number,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, record: AthenaRecord, status: number, json: unknown, requestId: string, errorType?: string): void {
  record.status = status;
  if (res.destroyed || res.writableEnded) return;
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': body.length,
    'x-amzn-requestid': requestId,
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(body);
}

function sqlText(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

function duckType(type: string): string {
  const t = type.toLowerCase();
  if (t === 'int' || t === 'integer') return 'INTEGER';
  if (t === 'bigint') return 'BIGINT';
  if (t === 'smallint') return 'SMALLINT';
  if (t === 'tinyint') return 'TINYINT';
  if (t === 'double' || t === 'float') return 'DOUBLE';
  if (t === 'boolean') return 'BOOLEAN';
  return 'VARCHAR';
}

function athenaType(duck: string): string {
  const t = duck.toUpperCase();
  if (t === 'INTEGER' || t === 'SMALLINT' || t === 'TINYINT') return 'integer';
  if (t === 'BIGINT' || t === 'HUGEINT' || t === 'UBIGINT') return 'bigint';
  if (t === 'DOUBLE' || t === 'FLOAT' || t.startsWith('DECIMAL')) return 'double';
  if (t === 'BOOLEAN') return 'boolean';
  return 'varchar';
}

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return String(v);
}

function position(sql: string, offset: number): { line: number; column: number } {
  const before = sql.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** DuckDB's error as Athena words it: a parser error is a SYNTAX_ERROR with its line and column. */
function engineMessage(sql: string, message: string): string {
  const m = /^Parser Error: (.*?)\n\nLINE (\d+): (.*)\n( *)\^/s.exec(message);
  if (m) {
    const line = Number(m[2]);
    const excerpt = m[3];
    const lineText = sql.split('\n')[line - 1] ?? '';
    const at = lineText.indexOf(excerpt.replace(/^\.\.\./, '').slice(0, 20));
    const column = Math.max(1, (at >= 0 ? at : 0) + m[4].length - `LINE ${m[2]}: `.length + 1);
    return `SYNTAX_ERROR: line ${line}:${column}: ${m[1]}`;
  }
  if (/^Binder Error: Referenced column "?([^"\s]+)"? not found/.test(message))
    return `COLUMN_NOT_FOUND: line 1:1: Column '${/column "?([^"\s]+)"?/.exec(message)![1]}' cannot be resolved`;
  if (message.includes('INTERRUPT')) return 'Query cancelled';
  return `GENERIC_INTERNAL_ERROR: ${message.split('\n')[0]}`;
}

/** For a key under the table, the partition values its storage.location.template gives, or undefined. */
function projectionMatcher(table: TableDef, bucket: string): (key: string) => string[] | undefined {
  const props = table.properties;
  const cols = table.partitionKeys.map((k) => k.name);
  const template =
    props['storage.location.template'] ?? `${table.location.replace(/\/$/, '')}/${cols.map((c) => `${c}=\${${c}}`).join('/')}`;
  const order: string[] = [];
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let pattern = '';
  let last = 0;
  for (const m of template.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)) {
    pattern += escape(template.slice(last, m.index));
    last = m.index! + m[0].length;
    const col = m[1].toLowerCase();
    order.push(col);
    const type = props[`projection.${col}.type`];
    if (type === 'date') {
      const format = props[`projection.${col}.format`] ?? 'yyyy-MM-dd';
      pattern += `(${format.replace(/yyyy|MM|dd|HH|mm|[^A-Za-z]/g, (t) => (t === 'yyyy' ? '\\d{4}' : /^[A-Za-z]{2}$/.test(t) ? '\\d{2}' : escape(t)))})`;
    } else if (type === 'integer') pattern += '(\\d+)';
    else pattern += '([^/]+)';
  }
  pattern += escape(template.slice(last));
  const re = new RegExp(`^${pattern}/[^/]+$`);
  return (key) => {
    const m = re.exec(`s3://${bucket}/${key}`);
    if (!m) return undefined;
    const byCol = new Map(order.map((c, i) => [c, m[i + 1]]));
    const values = cols.map((c) => byCol.get(c) ?? '');
    // Integer projections: the value must be in its range (digits as written).
    for (const c of cols) {
      const range = props[`projection.${c}.range`];
      if (props[`projection.${c}.type`] === 'integer' && range) {
        const [lo, hi] = range.split(',').map(Number);
        const v = Number(byCol.get(c));
        if (!(v >= lo && v <= hi)) return undefined;
      }
    }
    return values;
  };
}

const SQL_WORDS = new Set('select from where group order by limit join on as and or not with union having values'.split(' '));

const KEYWORDS = new Set(
  'and or not between in is null like true false cast as try_cast date timestamp varchar integer bigint interval case when then else end escape'.split(
    ' ',
  ),
);

/** The top-level WHERE conjuncts of a query that name partition columns and nothing else. */
export function partitionConjuncts(sql: string, partitionColumns: string[], dataColumns: string[]): string[] {
  const lower = sql.toLowerCase();
  // Find WHERE at depth 0 outside strings.
  const tokens: { i: number; word: string; depth: number }[] = [];
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const close = sql.indexOf(ch, i + 1);
      i = close < 0 ? sql.length : close;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (/[A-Za-z_]/.test(ch) && (i === 0 || !/[A-Za-z0-9_]/.test(sql[i - 1]))) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))!;
      tokens.push({ i, word: m[0].toLowerCase(), depth });
      i += m[0].length - 1;
    }
  }
  const where = tokens.find((t) => t.word === 'where' && t.depth === 0);
  if (!where) return [];
  const endToken = tokens.find(
    (t) =>
      t.i > where.i &&
      t.depth === 0 &&
      (t.word === 'group' || t.word === 'order' || t.word === 'limit' || t.word === 'having' || t.word === 'union'),
  );
  const end = endToken ? endToken.i : sql.length;
  const cuts: number[] = [];
  let between = 0;
  for (const t of tokens) {
    if (t.i <= where.i || t.i >= end || t.depth !== 0) continue;
    if (t.word === 'between') between++;
    else if (t.word === 'or')
      return []; // a top-level OR: no conjunct stands alone
    else if (t.word === 'and') {
      if (between > 0) between--;
      else cuts.push(t.i);
    }
  }
  const parts: string[] = [];
  let start = where.i + 5;
  for (const c of [...cuts, end]) {
    parts.push(sql.slice(start, c).trim());
    start = c + 3;
  }
  const partSet = new Set(partitionColumns);
  const dataSet = new Set(dataColumns);
  void lower;
  return parts.filter((p) => {
    const names = new Set<string>();
    const stripped = p.replace(/'(?:[^']|'')*'/g, "''");
    for (const m of stripped.matchAll(/"([^"]+)"/g)) names.add(m[1].toLowerCase());
    for (const m of stripped.replace(/"[^"]*"/g, '').matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\b(\s*\()?/g)) {
      if (m[2] || KEYWORDS.has(m[1].toLowerCase())) continue;
      names.add(m[1].toLowerCase());
    }
    if (names.size === 0) return false;
    for (const n of names) if (!partSet.has(n) || dataSet.has(n)) return false;
    return true;
  });
}
