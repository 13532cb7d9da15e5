// The main-thread side of the AWS workers (awsWorker.ts): every AWS call of the extension goes
// through here, so the SDK never loads or parses on the extension host's thread. A small pool (one
// worker per core, 1 to 4): a (profile, region) always goes to the same worker, so its SDK client
// is reused, and Search All Regions parses on every core. Workers start on first use; if one dies,
// its pending requests fail with a clear error and the next request starts a new one.
import { availableParallelism } from 'node:os';
import { Worker, SHARE_ENV } from 'node:worker_threads';
import type { ClientSettings } from './awsWorkerProtocol';
import type { PageAnswer } from './awsWorkerProtocol';
import type { FilterLogEventsArgs, FilterLogEventsResult } from './awsWorkerProtocol';
import type { S3ListArgs, S3ListResult, S3ReadArgs, S3ReadResult } from './awsWorkerProtocol';
import type { GetQueryResultsResult, QueryIdArgs, StartQueryArgs, StartQueryResult, StopQueryResult } from './awsWorkerProtocol';
import type { PageRequest } from './flowLogPager';
import type { RemoteAws } from './flowLogService';
import type { Logger } from './logger';
import type { AwsProfile } from './profiles';
import { FALLBACK_REGION, regionKey } from './regions';
import { joinResult } from './resultParts';
import { deserializeError, NetworkOperation, Operation, Operations, RegionStatus, ToMain, ToWorker } from './awsWorkerProtocol';

interface Pending {
  slot: number;
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
  /** Parts of a streamed result received so far (resultParts.ts). */
  parts?: unknown[];
}

export interface AwsWorkerPoolDeps {
  settings: () => ClientSettings;
  logger: Logger;
  mfaCodeProvider?: (serial: string, profile: string) => Promise<string>;
  /** Workers in the pool; default: the number of cores, from 1 to 4. */
  poolSize?: number;
  /** Called on each part of a streamed result (tests, the benchmark). */
  onPartial?: (id: number) => void;
}

export class AwsWorkerPool implements RemoteAws {
  private readonly workers: (Worker | undefined)[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Calls sent to the workers so far (tests check that requests really go through them). */
  requestsSent = 0;

  constructor(
    private readonly workerFile: string,
    private readonly deps: AwsWorkerPoolDeps,
  ) {
    const size = deps.poolSize ?? Math.min(4, Math.max(1, availableParallelism()));
    this.workers = new Array(Math.max(1, Math.floor(size))).fill(undefined);
  }

  fetch(profile: AwsProfile, region: string, req: PageRequest): Promise<PageAnswer> {
    return this.call('describePage', profile, region, { query: req.query, pageSize: req.pageSize, nextToken: req.nextToken }, req.signal);
  }

  callerIdentity(profile: AwsProfile): Promise<{ account?: string }> {
    return this.call('callerIdentity', profile, profile.region ?? FALLBACK_REGION, {});
  }

  dryRun(profile: AwsProfile, region: string): Promise<unknown> {
    return this.call('dryRun', profile, region, {});
  }

  describeRegions(profile: AwsProfile, region: string): Promise<RegionStatus[]> {
    return this.call('describeRegions', profile, region, {});
  }

  network<K extends NetworkOperation>(
    op: K,
    profile: AwsProfile,
    region: string,
    args: Operations[K]['args'],
    signal?: AbortSignal,
  ): Promise<Operations[K]['result']> {
    return this.call(op, profile, region, args, signal);
  }

  filterLogEvents(profile: AwsProfile, region: string, args: FilterLogEventsArgs, signal?: AbortSignal): Promise<FilterLogEventsResult> {
    return this.call('filterLogEvents', profile, region, args, signal);
  }

  s3List(profile: AwsProfile, region: string, args: S3ListArgs, signal?: AbortSignal): Promise<S3ListResult> {
    return this.call('s3List', profile, region, args, signal);
  }

  s3Read(profile: AwsProfile, region: string, args: S3ReadArgs, signal?: AbortSignal): Promise<S3ReadResult> {
    return this.call('s3Read', profile, region, args, signal);
  }

  startQuery(profile: AwsProfile, region: string, args: StartQueryArgs, signal?: AbortSignal): Promise<StartQueryResult> {
    return this.call('startQuery', profile, region, args, signal);
  }

  getQueryResults(profile: AwsProfile, region: string, args: QueryIdArgs, signal?: AbortSignal): Promise<GetQueryResultsResult> {
    return this.call('getQueryResults', profile, region, args, signal);
  }

  stopQuery(profile: AwsProfile, region: string, args: QueryIdArgs, signal?: AbortSignal): Promise<StopQueryResult> {
    return this.call('stopQuery', profile, region, args, signal);
  }

  private call<K extends Operation>(
    op: K,
    profile: AwsProfile,
    region: string,
    args: Operations[K]['args'],
    signal?: AbortSignal,
  ): Promise<Operations[K]['result']> {
    if (signal?.aborted) return Promise.reject(abortError());
    // Profiles whose credentials prompt for MFA or run a program keep one worker, so that they are
    // resolved once (per worker, credentials are memoized per profile); others spread by region.
    const key = profile.kind === 'assumeRole' || profile.kind === 'process' ? profile.name : regionKey(profile.name, region);
    const slot = slotOf(key, this.workers.length);
    const worker = this.ensureWorker(slot);
    const id = this.nextId++;
    this.requestsSent += 1;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        worker.postMessage({ type: 'abort', id } satisfies ToWorker);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        slot,
        resolve: (v) => {
          done();
          resolve(v as Operations[K]['result']);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      worker.postMessage({ type: 'call', id, op, profile, region, args, settings: this.deps.settings() } satisfies ToWorker);
    });
  }

  /** Drops the workers' clients (all, or one profile's) so credentials are read again. */
  invalidate(profileName?: string): void {
    for (const w of this.workers) w?.postMessage({ type: 'invalidate', profileName } satisfies ToWorker);
  }

  dispose(): void {
    this.workers.forEach((w, slot) => {
      this.workers[slot] = undefined;
      this.failSlot(slot, 'the AWS worker was stopped');
      void w?.terminate();
    });
  }

  private ensureWorker(slot: number): Worker {
    const existing = this.workers[slot];
    if (existing) return existing;
    // SHARE_ENV: the worker sees AWS_* variables as the extension host has them, changes included.
    const worker = new Worker(this.workerFile, { env: SHARE_ENV });
    worker.unref();
    worker.on('message', (m: ToMain) => this.onMessage(worker, m));
    worker.on('error', (err) => {
      this.deps.logger.error(`AWS worker failed: ${err.message}`);
      this.stopped(slot, worker, `the AWS worker failed (${err.message})`);
    });
    worker.on('exit', (code) => this.stopped(slot, worker, `the AWS worker exited (code ${code})`));
    this.workers[slot] = worker;
    return worker;
  }

  private stopped(slot: number, worker: Worker, why: string): void {
    if (this.workers[slot] !== worker) return;
    this.workers[slot] = undefined;
    this.failSlot(slot, why);
  }

  private failSlot(slot: number, why: string): void {
    for (const [id, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(id);
      p.reject(Object.assign(new Error(why), { name: 'WorkerError' }));
    }
  }

  private onMessage(worker: Worker, m: ToMain): void {
    switch (m.type) {
      case 'log':
        this.deps.logger[m.level](m.message);
        return;
      case 'mfa': {
        const ask = this.deps.mfaCodeProvider ?? (() => Promise.reject(new Error('MFA is not available here')));
        ask(m.serial, m.profile).then(
          (code) => worker.postMessage({ type: 'mfa', id: m.id, code } satisfies ToWorker),
          (err: Error) => worker.postMessage({ type: 'mfa', id: m.id, error: err.message } satisfies ToWorker),
        );
        return;
      }
      case 'partial': {
        const p = this.pending.get(m.id);
        if (!p) return; // cancelled meanwhile: the worker has been told to stop
        (p.parts ??= []).push(m.part);
        this.deps.onPartial?.(m.id);
        // Yield before asking for the next part, so the event loop runs between parts.
        setImmediate(() => {
          if (this.pending.has(m.id)) worker.postMessage({ type: 'more', id: m.id } satisfies ToWorker);
        });
        return;
      }
      case 'result':
      case 'error': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (!p) return; // cancelled meanwhile
        if (m.type === 'result') p.resolve(p.parts ? joinResult(p.parts, m.value) : m.value);
        else p.reject(deserializeError(m.error));
      }
    }
  }
}

/** A stable slot for a key (FNV-1a), so a (profile, region) keeps its worker and its client. */
function slotOf(key: string, slots: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % slots;
}

function abortError(): Error {
  return Object.assign(new Error('Cancelled'), { name: 'AbortError' });
}
