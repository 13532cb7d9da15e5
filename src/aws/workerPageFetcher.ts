// The main-thread side of the page worker: sends DescribeFlowLogs requests to pageWorker.ts and
// resolves them with plain flow logs. Started on first use; if it dies, pending requests fail
// with a clear error and the next request starts a new one.
import { Worker, SHARE_ENV } from 'node:worker_threads';
import type { ClientSettings } from './clients';
import type { PageRequest, PageResult } from './flowLogPager';
import type { Logger } from './logger';
import type { AwsProfile } from './profiles';
import { deserializeError, ToMain, ToWorker } from './pageWorkerProtocol';

interface Pending {
  resolve: (r: PageResult & { attempts: number }) => void;
  reject: (e: Error) => void;
}

export class WorkerPageFetcher {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Requests sent to the worker so far (tests check that pages really go through it). */
  requestsSent = 0;

  constructor(
    private readonly workerFile: string,
    private readonly deps: { settings: () => ClientSettings; logger: Logger; mfaCodeProvider?: (serial: string) => Promise<string> },
  ) {}

  fetch(profile: AwsProfile, region: string, req: PageRequest): Promise<PageResult & { attempts: number }> {
    if (req.signal?.aborted) return Promise.reject(abortError());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    this.requestsSent += 1;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        worker.postMessage({ type: 'abort', id } satisfies ToWorker);
        reject(abortError());
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => req.signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (r) => { done(); resolve(r); },
        reject: (e) => { done(); reject(e); },
      });
      worker.postMessage({
        type: 'fetch', id, profile, region, query: req.query, pageSize: req.pageSize, nextToken: req.nextToken, settings: this.deps.settings(),
      } satisfies ToWorker);
    });
  }

  invalidate(profileName?: string): void {
    this.worker?.postMessage({ type: 'invalidate', profileName } satisfies ToWorker);
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    this.failAll('the page worker was stopped');
    void w?.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // SHARE_ENV: the worker sees AWS_* variables as the extension host has them, changes included.
    const worker = new Worker(this.workerFile, { env: SHARE_ENV });
    worker.unref();
    worker.on('message', (m: ToMain) => this.onMessage(worker, m));
    worker.on('error', (err) => {
      this.deps.logger.error(`page worker failed: ${err.message}`);
      this.stopped(worker, `the page worker failed (${err.message})`);
    });
    worker.on('exit', (code) => this.stopped(worker, `the page worker exited (code ${code})`));
    this.worker = worker;
    return worker;
  }

  private stopped(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failAll(why);
  }

  private failAll(why: string): void {
    for (const p of this.pending.values()) p.reject(Object.assign(new Error(why), { name: 'WorkerError' }));
    this.pending.clear();
  }

  private onMessage(worker: Worker, m: ToMain): void {
    switch (m.type) {
      case 'log':
        this.deps.logger[m.level](m.message);
        return;
      case 'mfa': {
        const ask = this.deps.mfaCodeProvider ?? (() => Promise.reject(new Error('MFA is not available here')));
        ask(m.serial).then(
          (code) => worker.postMessage({ type: 'mfa', id: m.id, code } satisfies ToWorker),
          (err: Error) => worker.postMessage({ type: 'mfa', id: m.id, error: err.message } satisfies ToWorker),
        );
        return;
      }
      case 'page':
      case 'error': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (!p) return; // aborted meanwhile
        if (m.type === 'page') p.resolve({ items: m.items, nextToken: m.nextToken, attempts: m.attempts });
        else p.reject(deserializeError(m.error));
      }
    }
  }
}

function abortError(): Error {
  return Object.assign(new Error('Cancelled'), { name: 'AbortError' });
}
