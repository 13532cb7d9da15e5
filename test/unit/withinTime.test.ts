// The bounded wait of the credential check (profile node) and the region check (Select Regions):
// the answer in time, undefined after the bound, and no timer left behind either way.
import assert from 'node:assert/strict';
import { withinTime } from '../../src/aws/withinTime';

describe('withinTime', () => {
  /** Runs `f` and returns the timers it started that were neither run nor cleared. */
  async function timersLeft(f: () => Promise<unknown>): Promise<number> {
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    const open = new Set<unknown>();
    globalThis.setTimeout = ((cb: () => void, ms?: number) => {
      const t: unknown = realSet(() => {
        open.delete(t);
        cb();
      }, ms);
      open.add(t);
      return t;
    }) as typeof setTimeout;
    globalThis.clearTimeout = ((t: NodeJS.Timeout | undefined) => {
      open.delete(t);
      realClear(t);
    }) as typeof clearTimeout;
    try {
      await f().catch(() => undefined);
    } finally {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    }
    for (const t of open) realClear(t as NodeJS.Timeout);
    return open.size;
  }

  it('gives the answer that comes in time and clears its timer', async () => {
    let answer: number | undefined;
    assert.equal(await timersLeft(async () => (answer = await withinTime(Promise.resolve(42), 60_000))), 0);
    assert.equal(answer, 42);
  });

  it('gives undefined when the answer is late', async () => {
    const late = new Promise<number>((r) => setTimeout(() => r(1), 200));
    assert.equal(await withinTime(late, 10), undefined);
    await late;
  });

  it('rejects when the promise rejects in time, and clears its timer', async () => {
    await assert.rejects(withinTime(Promise.reject(new Error('no')), 60_000), /no/);
    assert.equal(await timersLeft(() => withinTime(Promise.reject(new Error('no')), 60_000)), 0);
  });
});
