// The main-thread side of the AWS workers (awsWorker.ts): every AWS call of the extension goes
// through here, so the SDK never loads or parses on the extension host's thread. A small pool (one
// worker per core, 1 to 4): a (profile, region) always goes to the same worker, so its SDK client
// is reused, and Search All Regions parses on every core. Workers start on first use; if one dies,
// its pending requests fail with a clear error and the next request starts a new one.
import { availableParallelism } from 'node:os';
import { Worker, SHARE_ENV } from 'node:worker_threads';
import type { ClientSettings, Operation, Operations, ToMain, ToWorker } from '../shared/awsWorkerProtocol';
import type { RemoteAws } from './flowLogService';
import type { Logger } from '../shared/logger';
import type { AwsProfile } from '../shared/profiles';
import { regionKey } from '../shared/regions';
import { joinResult } from '../shared/resultParts';
import { AwsCallError, cancelledError, workerStoppedError } from '../shared/errors';

interface Pending {
  slot: number;
  resolve: (value: unknown) => void;
  reject: (e: AwsCallError) => void;
  /** Parts of a streamed result received so far (resultParts.ts). */
  parts?: unknown[];
}

/** What a call looked like, for an observer (the extension's test API counts the pages that went through the workers). */
export interface CallEvent {
  op: Operation;
  profile: string;
  region: string;
  outcome: 'result' | 'error';
}

export interface AwsWorkerPoolDeps {
  logger: Logger;
  mfaCodeProvider?: (serial: string, profile: string) => Promise<string>;
  /** Workers in the pool; default: the number of cores, from 1 to 4. */
  poolSize?: number;
  /** Called on each part of a streamed result (tests, the benchmark). */
  onPartial?: (id: number) => void;
  /** Called when a worker answers a call (tests, the benchmark). */
  onAnswer?: (call: CallEvent) => void;
}

export class AwsWorkerPool implements RemoteAws {
  private readonly workers: (Worker | undefined)[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** What the workers are told first and on every change: the client settings and the profiles. */
  private configuration: Extract<ToWorker, { type: 'configure' }> | undefined;
  private configured = '';
  private kinds = new Map<string, AwsProfile['kind']>();

  constructor(
    private readonly workerFile: string,
    private readonly deps: AwsWorkerPoolDeps,
  ) {
    const size = deps.poolSize ?? Math.min(4, Math.max(1, availableParallelism()));
    this.workers = new Array(Math.max(1, Math.floor(size))).fill(undefined);
  }

  /**
   * The client settings and the profiles the calls name. Sent to every running worker when they
   * change (a new worker gets them first); a call carries only the profile's name.
   */
  configure(settings: ClientSettings, profiles: readonly AwsProfile[]): void {
    const text = JSON.stringify([settings, profiles]);
    if (text === this.configured) return;
    this.configured = text;
    this.configuration = { type: 'configure', settings, profiles: [...profiles] };
    this.kinds = new Map(profiles.map((p) => [p.name, p.kind]));
    for (const w of this.workers) w?.postMessage(this.configuration);
  }

  /** One AWS operation for a profile (by name) in a region, run in a worker. Rejects with an AwsCallError. */
  call<K extends Operation>(
    op: K,
    profileName: string,
    region: string,
    args: Operations[K]['args'],
    signal?: AbortSignal,
  ): Promise<Operations[K]['result']> {
    if (signal?.aborted) return Promise.reject(new AwsCallError(cancelledError()));
    // Profiles whose credentials prompt for MFA or run a program keep one worker, so that they are
    // resolved once (per worker, credentials are memoized per profile); others spread by region.
    const kind = this.kinds.get(profileName);
    const key = kind === 'assumeRole' || kind === 'process' ? profileName : regionKey(profileName, region);
    const slot = slotOf(key, this.workers.length);
    const worker = this.ensureWorker(slot);
    const id = this.nextId++;
    const answered = (outcome: CallEvent['outcome']) => this.deps.onAnswer?.({ op, profile: profileName, region, outcome });
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        worker.postMessage({ type: 'abort', id } satisfies ToWorker);
        reject(new AwsCallError(cancelledError()));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        slot,
        resolve: (v) => {
          done();
          answered('result');
          resolve(v as Operations[K]['result']);
        },
        reject: (e) => {
          done();
          answered('error');
          reject(e);
        },
      });
      worker.postMessage({ type: 'call', id, op, profile: profileName, region, args } satisfies ToWorker);
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
    if (this.configuration) worker.postMessage(this.configuration);
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
      p.reject(new AwsCallError(workerStoppedError(why)));
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
        else p.reject(new AwsCallError(m.error));
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
