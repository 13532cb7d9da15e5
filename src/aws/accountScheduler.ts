// Runs many (account, region) tasks at once, for Search All Regions and Check Coverage over hundreds
// of accounts: at most `concurrency` tasks in flight overall and `perAccount` per account, an
// account's tasks taken before the next account's (accounts finish one after another, so progress
// can count finished accounts). A task whose answer is "throttled" (the SDK's own retries with
// back-off ran out) slows its account down: the account's limit halves, the account waits a
// back-off that doubles each time (with jitter), and the task is run again, up to `throttleRetries`
// times. A success gives the account one slot back. Cancel (the signal) stops at once: nothing new
// starts, a back-off wait ends, every task not started is answered by `cancelled`, and the answers
// of the tasks already done are kept. Pure: no vscode, no AWS.

export interface ScheduleProgress {
  regionsDone: number;
  regionsTotal: number;
  regionsFailed: number;
  accountsDone: number;
  accountsTotal: number;
  /** Accounts with at least one failed region. */
  accountsFailed: number;
  /** Tasks run again after a throttled answer so far. */
  throttled: number;
}

export interface ScheduleOptions<R> {
  /** Tasks in flight overall (at least 1). */
  concurrency: number;
  /** Tasks in flight per account (at least 1); default `concurrency`. */
  perAccount?: number;
  /** Times a throttled task is run again (after its account's back-off); default 0. */
  throttleRetries?: number;
  /** The first back-off of a throttled account, doubled each time up to `maxBackoffMs`; default 1000. */
  backoffMs?: number;
  /** Default 20,000. */
  maxBackoffMs?: number;
  signal?: AbortSignal;
  isThrottled?: (r: R) => boolean;
  isFailed?: (r: R) => boolean;
  /** Called after each task's final answer, with the counts so far. */
  onDone?: (index: number, r: R, progress: ScheduleProgress) => void;
  /** Random in [0, 1) for the jitter (tests pass a fixed one). */
  random?: () => number;
}

interface AccountState {
  key: string;
  queue: number[];
  running: number;
  limit: number;
  /** Back-offs so far (resets after a success). */
  strikes: number;
  until: number;
  left: number;
  failed: boolean;
}

/**
 * Runs `run(item, attempt, index)` for every item; answers in item order. `run` must not throw for
 * an ordinary failure (it answers it as a value); a throw is answered by `cancelled` too, so one bad
 * task never stops the others.
 */
export function runPerAccount<T, R>(
  items: readonly T[],
  accountOf: (item: T) => string,
  run: (item: T, attempt: number, index: number) => Promise<R>,
  cancelled: (item: T, index: number) => R,
  options: ScheduleOptions<R>,
): Promise<R[]> {
  const total = items.length;
  const results: R[] = new Array(total);
  if (!total) return Promise.resolve(results);
  const overall = Math.max(1, Math.floor(options.concurrency) || 1);
  const perAccount = Math.max(1, Math.floor(options.perAccount ?? overall) || 1);
  const retries = Math.max(0, Math.floor(options.throttleRetries ?? 0));
  const base = Math.max(0, options.backoffMs ?? 1000);
  const cap = Math.max(base, options.maxBackoffMs ?? 20_000);
  const random = options.random ?? Math.random;
  const signal = options.signal;

  const accounts: AccountState[] = [];
  const byKey = new Map<string, AccountState>();
  const accountOfIndex: AccountState[] = new Array(total);
  items.forEach((item, i) => {
    const key = accountOf(item);
    let a = byKey.get(key);
    if (!a) {
      a = { key, queue: [], running: 0, limit: perAccount, strikes: 0, until: 0, left: 0, failed: false };
      byKey.set(key, a);
      accounts.push(a);
    }
    a.queue.push(i);
    a.left += 1;
    accountOfIndex[i] = a;
  });
  const attempts = new Array<number>(total).fill(0);
  const progress: ScheduleProgress = {
    regionsDone: 0,
    regionsTotal: total,
    regionsFailed: 0,
    accountsDone: 0,
    accountsTotal: accounts.length,
    accountsFailed: 0,
    throttled: 0,
  };
  let running = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Accounts with work still queued, in order. */
  let pending = accounts.slice();

  return new Promise<R[]>((resolve) => {
    const finish = (i: number, r: R) => {
      results[i] = r;
      const a = accountOfIndex[i];
      a.left -= 1;
      progress.regionsDone += 1;
      if (options.isFailed?.(r)) {
        progress.regionsFailed += 1;
        if (!a.failed) progress.accountsFailed += 1;
        a.failed = true;
      }
      if (a.left === 0) progress.accountsDone += 1;
      options.onDone?.(i, r, { ...progress });
    };

    const cancelRest = () => {
      for (const a of pending) for (const i of a.queue.splice(0)) finish(i, cancelled(items[i], i));
      pending = [];
    };

    const settle = () => {
      if (progress.regionsDone === total) {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(results);
      }
    };

    const onAbort = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      cancelRest();
      settle();
    };

    const start = (a: AccountState, i: number) => {
      running += 1;
      a.running += 1;
      const attempt = attempts[i]++;
      let answer: Promise<R>;
      try {
        answer = run(items[i], attempt, i);
      } catch {
        answer = Promise.resolve(cancelled(items[i], i));
      }
      void answer
        .catch(() => cancelled(items[i], i))
        .then((r) => {
          running -= 1;
          a.running -= 1;
          if (!signal?.aborted && options.isThrottled?.(r) && attempts[i] <= retries) {
            // Back off the whole account: fewer at once, and a pause that grows with each throttle.
            progress.throttled += 1;
            a.limit = Math.max(1, Math.floor(a.limit / 2));
            const wait = Math.min(cap, base * 2 ** a.strikes);
            a.strikes += 1;
            a.until = Math.max(a.until, Date.now() + wait / 2 + random() * (wait / 2));
            a.queue.unshift(i);
            if (!pending.includes(a)) pending.unshift(a);
          } else {
            if (!options.isThrottled?.(r)) {
              a.strikes = 0;
              if (a.limit < perAccount) a.limit += 1;
            }
            finish(i, r);
          }
          pump();
          settle();
        });
    };

    const pump = () => {
      if (signal?.aborted) return;
      const now = Date.now();
      let wakeAt = Infinity;
      for (const a of pending) {
        if (running >= overall) break;
        if (a.until > now) {
          wakeAt = Math.min(wakeAt, a.until);
          continue;
        }
        while (a.queue.length && a.running < a.limit && running < overall) start(a, a.queue.shift()!);
      }
      pending = pending.filter((a) => a.queue.length);
      if (timer) clearTimeout(timer);
      timer = undefined;
      // Only accounts in back-off are left with work and nothing runs that would call pump again.
      if (wakeAt !== Infinity && running < overall) timer = setTimeout(pump, Math.max(1, wakeAt - now));
    };

    if (signal?.aborted) {
      cancelRest();
      settle();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    pump();
  });
}

/** "12 of 40 accounts, 180 of 680 regions, 3 failed" for a progress line. */
export function progressText(p: ScheduleProgress): string {
  const accounts = p.accountsTotal > 1 ? `${p.accountsDone} of ${p.accountsTotal} accounts, ` : '';
  const failed = p.regionsFailed ? `, ${p.regionsFailed} failed` : '';
  const throttled = p.throttled ? `, ${p.throttled} throttled and retried` : '';
  return `${accounts}${p.regionsDone} of ${p.regionsTotal} regions${failed}${throttled}`;
}
