// Deadlines for AWS calls. The SDK's requestTimeout runs only until the response headers arrive:
// a server that sends headers and then trickles or stops the body held a region "loading…" for
// ever. Two bounds fix that:
//   - per attempt, the whole exchange (headers AND body) must end within the request timeout: a
//     middleware inside the retry loop races the attempt against a timer and, when it fires,
//     destroys the response body, so the socket is freed and the SDK may retry;
//   - per call, all attempts and the waits between them must end within a total deadline, enforced
//     through the request's AbortSignal.
// Both end as a TimeoutError that names the setting, never as a silent "Cancelled".

/** The total time a call may take across its retries: two request timeouts plus 5 s of back-off. */
export function totalDeadlineMs(requestTimeoutMs: number, maxAttempts: number): number {
  return requestTimeoutMs * Math.min(Math.max(1, maxAttempts), 2) + (maxAttempts > 1 ? 5_000 : 0);
}

export function timeoutError(message: string): Error {
  return Object.assign(new Error(message), { name: 'TimeoutError', $metadata: {} });
}

interface MiddlewareClient {
  middlewareStack: { add: (mw: never, options: Record<string, unknown>) => void };
}

const BODY = Symbol('flowLogsResponseBody');

/**
 * Adds the per-attempt deadline to an SDK client. `timeoutMs` is read per attempt so a settings
 * change applies to the next request.
 */
export function addAttemptDeadline(client: MiddlewareClient, timeoutMs: () => number): void {
  // Innermost (deserialize step, low priority: right around the HTTP handler): remembers the
  // response body of this attempt so the deadline can destroy it.
  const remember =
    (next: (a: unknown) => Promise<{ response?: { body?: unknown } }>, context: Record<symbol, unknown>) => async (args: unknown) => {
      const out = await next(args);
      context[BODY] = out?.response?.body;
      return out;
    };
  client.middlewareStack.add(remember as never, { step: 'deserialize', priority: 'low', name: 'flowLogsRememberBody' });

  // Inside the retry loop (finalizeRequest, low priority): one deadline per attempt.
  const deadline = (next: (a: unknown) => Promise<unknown>, context: Record<symbol, unknown>) => async (args: unknown) => {
    const ms = timeoutMs();
    context[BODY] = undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = timeoutError(`No complete answer within ${Math.round(ms / 1000)} s (the response stalled)`);
        const body = context[BODY] as { destroy?: (e?: Error) => void } | undefined;
        try {
          body?.destroy?.(err); // frees the socket; the SDK's body reader fails with this error
        } catch {
          // a body that cannot be destroyed is left to the socket timeout
        }
        reject(err);
      }, ms);
    });
    const attempt = next(args);
    attempt.catch(() => undefined); // once the deadline has won, a later failure of the attempt is expected
    try {
      return await Promise.race([attempt, expired]);
    } finally {
      clearTimeout(timer);
    }
  };
  client.middlewareStack.add(deadline as never, { step: 'finalizeRequest', priority: 'low', name: 'flowLogsAttemptDeadline' });
}

/**
 * Runs `send` with an AbortSignal that fires on the caller's signal or at the total deadline; a
 * deadline abort is reported as a TimeoutError.
 */
export async function withTotalDeadline<T>(
  ms: number,
  signal: AbortSignal | undefined,
  send: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort();
  if (signal?.aborted) controller.abort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ms);
  try {
    return await send(controller.signal);
  } catch (err) {
    if (timedOut) throw timeoutError(`No answer within ${Math.round(ms / 1000)} s across all attempts`);
    throw err;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
