// A wait with a bound: the answer if it comes in time, else undefined (the caller goes on and may
// still use the late answer). The timer is cleared as soon as either side wins, so a fast answer
// leaves no timer behind.

/** `promise`'s value, or undefined when it has not settled within `ms`; a rejection in time rejects. */
export async function withinTime<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
