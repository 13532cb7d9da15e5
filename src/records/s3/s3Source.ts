// An S3 flow log as a RecordSource: the planned folders are listed one at a time (only this flow
// log's files in the range), then its objects are read a few at a time in the AWS workers, which
// parse and filter the records. The continuation (JSON) holds the next folder and the objects
// listed but not read yet, so Load more and Retry resume exactly there. Pure: the calls are injected.
import { compileFilter, isNegatedNumber, NEGATED_NUMBER_NOTE, type FilterPlan } from '../../shared/recordsFilters';
import { recordLayout, type RecordLayout } from '../../shared/recordsFields';
import { unpackRecordsInSlices } from '../../shared/recordsParse';
import type { RecordQuery, RecordSource, RecordStep } from '../source';
import type { RecordsError } from '../../shared/recordsErrors';
import type {
  S3ListArgs,
  S3ListResult,
  S3NotLoaded,
  S3ObjectRef,
  S3ReadArgs,
  S3ReadResult,
  S3SkippedObject,
} from '../../shared/awsWorkerProtocol';
import { planListing, selectObjects } from './plan';
import { WorkerResultSet, type RecordStoreCall } from '../storeResultSet';
import { parseObjectKey, type S3Location } from './layout';

export interface S3Calls {
  list(args: S3ListArgs, signal?: AbortSignal): Promise<S3ListResult>;
  read(args: S3ReadArgs, signal?: AbortSignal): Promise<S3ReadResult>;
  /** Calls to the worker's record store: when given, the records stay in the worker that reads them (`resultSet`). */
  store?: RecordStoreCall;
}

export interface S3Progress {
  /** Objects of the range found so far, and their bytes. */
  objectsListed: number;
  bytesListed: number;
  objectsRead: number;
  bytesRead: number;
  listRequests: number;
  /** Whether every folder of the range has been listed (the totals above are final then). */
  listedAll: boolean;
  /** Bytes decompressed (text) or fetched (Parquet) so far. */
  bytesInflated: number;
  /** Lines read and not loaded, by why: outside the range, filtered, header lines. */
  notLoaded: S3NotLoaded;
}

interface State {
  /** Next plan step to list. */
  s: number;
  /** Listed, not yet read: [key, size, name time, 0 text | 1 parquet]. */
  p: [string, number, number, 0 | 1][];
  /** A folder listed in windows (more files than one call lists): the last key listed of step s. */
  a?: string;
  /** Files of step s listed so far (bounded by maxObjectsPerFolder). */
  n?: number;
}

/** Files listed per call (one window of a large folder), read before the next window is listed. */
export const LIST_WINDOW = 5_000;
/** The default of flowLogs.records.maxObjectsPerFolder: files of one folder listed at most. */
export const DEFAULT_MAX_OBJECTS_PER_FOLDER = 200_000;

export class S3RecordSource implements RecordSource {
  readonly kind = 's3';
  readonly layout: RecordLayout;
  /** Objects skipped so far (corrupt, archived, too large), named for the panel. */
  readonly skipped: S3SkippedObject[] = [];
  /** Objects read whose columns (header line, Parquet schema) do not fit the format: their records are marked. */
  readonly misfit: S3SkippedObject[] = [];
  readonly progress: S3Progress = {
    objectsListed: 0,
    bytesListed: 0,
    objectsRead: 0,
    bytesRead: 0,
    listRequests: 0,
    listedAll: false,
    bytesInflated: 0,
    notLoaded: { outOfRange: 0, filtered: 0, headers: 0 },
  };

  constructor(
    private readonly calls: S3Calls,
    readonly location: S3Location,
    readonly format: string | undefined,
    private readonly opts: {
      order?: 'oldest' | 'newest';
      concurrency?: number;
      /** Bytes decompressed per object at most (flowLogs.records.maxObjectMiB). */
      maxObjectBytes?: number;
      /** Files of one folder listed at most (flowLogs.records.maxObjectsPerFolder). */
      maxObjectsPerFolder?: number;
    } = {},
  ) {
    this.layout = recordLayout(format);
    if (calls.store) this.resultSet = new WorkerResultSet(calls.store, this.layout);
  }

  /** Set when `calls.store` is: the records stay in the AWS worker that reads them. */
  resultSet?: WorkerResultSet;

  resetResultSet(): void {
    if (!this.calls.store) return;
    this.resultSet?.dispose();
    this.resultSet = new WorkerResultSet(this.calls.store, this.layout);
  }

  /** Every filter runs in the worker: S3 has no server-side filtering of objects' contents. */
  plan(query: RecordQuery): FilterPlan {
    const errors: string[] = [];
    const items = query.filters.map((filter) => {
      const c = compileFilter(this.layout, filter);
      if (typeof c === 'string') errors.push(c);
      return {
        filter,
        placement: 'client' as const,
        note:
          typeof c === 'string'
            ? c
            : isNegatedNumber(c)
              ? NEGATED_NUMBER_NOTE.replace('checked here', 'checked in the AWS worker')
              : 'S3 objects are read whole: checked in the AWS worker as they are read',
      };
    });
    if (query.rawPattern?.trim()) errors.push('A raw filter pattern is CloudWatch Logs syntax; S3 flow logs take the field filters only');
    return { pattern: '', items, residual: [...query.filters], errors };
  }

  /**
   * How much the range holds, listed until it is known to be more than `limits` allow (issue 25.4:
   * the panel then offers Athena): the objects and their bytes, stopping as soon as either is over
   * (a limit of 0 is no limit). Lists only; reads nothing. Bounded like next(): the plan's folders,
   * LIST_WINDOW files per call, maxObjectsPerFolder per folder.
   */
  async survey(
    query: Pick<RecordQuery, 'startMs' | 'endMs'>,
    limits: { objects: number; bytes: number },
    signal?: AbortSignal,
  ): Promise<{ ok: true; survey: S3Survey } | { ok: false; error: RecordsError }> {
    const plan = planListing(this.location, query.startMs, query.endMs, this.opts.order ?? 'oldest');
    const survey: S3Survey = { objects: 0, bytes: 0, over: false, listedAll: false, requests: 0 };
    if ('problem' in plan) return { ok: true, survey };
    const over = () => (limits.objects > 0 && survey.objects > limits.objects) || (limits.bytes > 0 && survey.bytes > limits.bytes);
    const max = Math.max(LIST_WINDOW, this.opts.maxObjectsPerFolder ?? DEFAULT_MAX_OBJECTS_PER_FOLDER);
    for (const step of plan.steps) {
      let after = step.startAfter;
      for (let listed = 0; listed < max;) {
        const got = await this.calls.list(
          { bucket: plan.bucket, prefix: step.prefix, startAfter: after, endAt: step.endAt, maxObjects: LIST_WINDOW },
          signal,
        );
        if (!got.ok) return got;
        survey.requests += got.requests;
        listed += got.objects.length;
        const sizes = new Map(got.objects.map((o) => [o.key, o.size]));
        for (const o of selectObjects(
          this.location,
          plan,
          got.objects.map((x) => x.key),
        )) {
          survey.objects++;
          survey.bytes += sizes.get(o.key) ?? 0;
        }
        if (over()) {
          survey.over = true;
          return { ok: true, survey };
        }
        if (got.next === undefined) break;
        after = got.next;
      }
    }
    survey.listedAll = true;
    return { ok: true, survey };
  }

  async next(
    query: RecordQuery,
    continuation: string | undefined,
    opts: { limit: number; room?: number; signal?: AbortSignal },
  ): Promise<RecordStep> {
    const filterPlan = this.plan(query);
    if (filterPlan.errors.length)
      return { ok: false, error: { kind: 'invalidPattern', message: filterPlan.errors.join('; '), actions: ['editFilters'] } };
    const plan = planListing(this.location, query.startMs, query.endMs, this.opts.order ?? 'oldest');
    if ('problem' in plan)
      return { ok: false, error: { kind: 'unknown', message: `Cannot read this range: ${plan.problem}`, actions: ['editFilters'] } };
    const state = parseState(continuation);
    if (!state)
      return {
        ok: false,
        error: { kind: 'unknown', message: 'The saved reading position is not valid; load the range again', actions: ['retry'] },
      };

    // List folders until there is something to read (an empty folder: the next one).
    while (state.p.length === 0 && state.s < plan.steps.length) {
      const step = plan.steps[state.s];
      const listed = await this.calls.list(
        { bucket: plan.bucket, prefix: step.prefix, startAfter: state.a ?? step.startAfter, endAt: step.endAt, maxObjects: LIST_WINDOW },
        opts.signal,
      );
      if (!listed.ok) return listed; // the continuation stays: Retry lists this window again
      this.progress.listRequests += listed.requests;
      const selected = selectObjects(
        this.location,
        plan,
        listed.objects.map((o) => o.key),
      );
      const sizes = new Map(listed.objects.map((o) => [o.key, o.size]));
      const classes = new Map(listed.objects.map((o) => [o.key, o.storageClass]));
      if (this.opts.order === 'newest') selected.reverse();
      for (const o of selected) {
        const size = sizes.get(o.key) ?? 0;
        const storageClass = classes.get(o.key);
        if (storageClass === 'GLACIER' || storageClass === 'DEEP_ARCHIVE') {
          // Archived objects cannot be read without a restore: named, not requested.
          this.skipped.push({ key: o.key, why: `in the ${storageClass} storage class: restore it to read it` });
          continue;
        }
        state.p.push([o.key, size, o.name.time, o.name.format === 'parquet' ? 1 : 0]);
        this.progress.objectsListed++;
        this.progress.bytesListed += size;
      }
      // A folder with more files than one call lists is read window by window (newest first within a
      // window), up to maxObjectsPerFolder files; then the rest of it is named, with how far it got.
      state.n = (state.n ?? 0) + listed.objects.length;
      const max = Math.max(LIST_WINDOW, this.opts.maxObjectsPerFolder ?? DEFAULT_MAX_OBJECTS_PER_FOLDER);
      if (listed.next !== undefined && state.n < max) {
        state.a = listed.next;
        continue;
      }
      if (listed.next !== undefined) {
        const t = parseObjectKey(listed.next)?.time;
        this.skipped.push({
          key: `s3://${plan.bucket}/${step.prefix}…`,
          why: `listed ${state.n.toLocaleString('en-US')} files of this folder${t === undefined ? '' : `, up to ${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`}; the rest of the folder is not read (setting flowLogs.records.maxObjectsPerFolder)`,
        });
      }
      state.s++;
      state.a = undefined;
      state.n = undefined;
    }
    this.progress.listedAll = state.s >= plan.steps.length;
    if (state.p.length === 0) return { ok: true, batch: { records: [], scanned: 0, bytes: 0 } };

    const concurrency = Math.max(1, Math.min(8, this.opts.concurrency ?? 4));
    const chunk = state.p.slice(0, concurrency);
    const objects: S3ObjectRef[] = chunk.map(([key, size, time, f]) => ({ key, size, time, format: f ? 'parquet' : 'plain-text' }));
    const read = await this.calls.read(
      {
        bucket: plan.bucket,
        objects,
        format: this.layout.format,
        startMs: query.startMs,
        endMs: query.endMs,
        filters: query.filters,
        concurrency,
        maxRecords: opts.room,
        maxObjectBytes: this.opts.maxObjectBytes,
        ...(this.resultSet ? { store: this.resultSet.target() } : {}),
      },
      opts.signal,
    );
    if (!read.ok) return read; // the continuation stays: Retry reads these objects again
    if (this.resultSet && !read.appended)
      return {
        ok: false,
        error: { kind: 'unknown', message: 'The AWS worker did not keep the records (an older worker?)', actions: ['retry'] },
      };
    if (read.appended) this.resultSet?.appended(read.appended);
    state.p.splice(0, chunk.length);
    this.progress.objectsRead += chunk.length;
    this.progress.bytesRead += read.bytes;
    this.progress.bytesInflated += read.inflated;
    this.progress.notLoaded.outOfRange += read.notLoaded.outOfRange;
    this.progress.notLoaded.filtered += read.notLoaded.filtered;
    this.progress.notLoaded.headers += read.notLoaded.headers;
    this.skipped.push(...read.skipped);
    this.misfit.push(...(read.misfit ?? []));
    const more = state.p.length > 0 || state.s < plan.steps.length;
    const last = chunk[chunk.length - 1];
    return {
      ok: true,
      batch: {
        records: read.appended ? [] : await unpackRecordsInSlices(read.packed),
        appended: read.appended,
        scanned: read.scanned,
        bytes: read.bytes,
        inflated: read.inflated,
        lastTimestamp: last[2],
      },
      continuation: more ? JSON.stringify(state) : undefined,
    };
  }
}

/** What a range holds, as far as survey() listed it. */
export interface S3Survey {
  objects: number;
  /** Bytes of those objects as stored (compressed). */
  bytes: number;
  /** More than the limits: listing stopped there (the totals are then lower bounds). */
  over: boolean;
  listedAll: boolean;
  requests: number;
}

function parseState(text: string | undefined): State | undefined {
  if (text === undefined) return { s: 0, p: [] };
  try {
    const v = JSON.parse(text) as State;
    if (!Number.isInteger(v.s) || v.s < 0 || !Array.isArray(v.p)) return undefined;
    if ((v.a !== undefined && typeof v.a !== 'string') || (v.n !== undefined && !Number.isInteger(v.n))) return undefined;
    if (!v.p.every((x) => Array.isArray(x) && typeof x[0] === 'string' && typeof x[1] === 'number' && typeof x[2] === 'number'))
      return undefined;
    return v;
  } catch {
    return undefined;
  }
}

/** The S3 reading progress of a source (objects and bytes read / listed), for the panel. */
export function s3ProgressOf(
  source: RecordSource,
): (S3Progress & { skipped: S3SkippedObject[]; misfit: S3SkippedObject[]; misfitCount: number }) | undefined {
  return source instanceof S3RecordSource
    ? {
        ...source.progress,
        notLoaded: { ...source.progress.notLoaded },
        skipped: source.skipped.slice(0, 20),
        misfit: source.misfit.slice(0, 20),
        misfitCount: source.misfit.length,
      }
    : undefined;
}

/**
 * A source that cannot read (e.g. the account ID is unknown, the destination is not a bucket ARN):
 * the panel opens and shows why, with Retry, instead of failing silently.
 */
export class UnreadableS3Source implements RecordSource {
  readonly kind = 's3';
  readonly layout: RecordLayout;

  constructor(
    format: string | undefined,
    private readonly why: string,
  ) {
    this.layout = recordLayout(format);
  }

  plan(query: RecordQuery): FilterPlan {
    return {
      pattern: '',
      items: query.filters.map((filter) => ({ filter, placement: 'client' as const })),
      residual: [...query.filters],
      errors: [],
    };
  }

  async next(): Promise<RecordStep> {
    return {
      ok: false,
      error: { kind: 'config', message: `The records of this flow log cannot be read: ${this.why}`, actions: ['retry'] },
    };
  }
}
