// The records page's virtual window (pure): which rows the viewport shows, which window of rows to
// ask the panel for (the viewport and a margin, at most MAX_WINDOW_ROWS), and the request
// coalescing: one window request in flight at a time, the newest wish sent when it answers, and
// answers of an older sequence number (or from before a reset / a new order) dropped.
import type { RecordWindow, WindowRow } from '../../shared/resultSet';

/** Rows [first, last). */
export interface Span {
  first: number;
  last: number;
}

/** The rows drawn for a scroll position: the ones in view and `overscan` on each side. */
export function visibleSpan(scrollTop: number, height: number, rowHeight: number, total: number, overscan = 10): Span {
  const first = Math.max(0, Math.min(total, Math.floor(Math.max(0, scrollTop) / rowHeight) - overscan));
  const last = Math.max(first, Math.min(total, Math.ceil((Math.max(0, scrollTop) + Math.max(0, height)) / rowHeight) + overscan));
  return { first, last };
}

/** The window to ask for around the drawn rows: `margin` rows on each side, at most `max` rows. */
export function wantedWindow(span: Span, total: number, margin: number, max: number): { start: number; count: number } {
  const shown = span.last - span.first;
  const extra = Math.max(0, Math.min(margin, Math.floor((max - shown) / 2)));
  const start = Math.max(0, span.first - extra);
  const end = Math.min(total, start + Math.min(max, shown + 2 * extra));
  return { start, count: Math.max(0, end - start) };
}

/** Whether a window holds every row of the span (a short window at the end of the rows counts). */
export function covers(win: RecordWindow | undefined, span: Span): boolean {
  if (span.last <= span.first) return true;
  if (!win) return false;
  return win.start <= span.first && win.start + win.rows.length >= span.last;
}

/** The row at position `i` of the current order, when the window holds it. */
export function rowAt(win: RecordWindow | undefined, i: number): WindowRow | undefined {
  if (!win || i < win.start) return undefined;
  return win.rows[i - win.start];
}

/**
 * One window request in flight at a time. `want` records the newest wish and sends it when
 * nothing is in flight; `answered` accepts an answer only for the request in flight and sends the
 * wish that came meanwhile; `invalidate` (a reset, a new order) makes every answer in flight stale.
 */
export class WindowRequests {
  private seq = 0;
  private inFlight: number | undefined;
  private pending: { start: number; count: number } | undefined;
  private lastSent: { start: number; count: number; epoch: number } | undefined;
  private epoch = 0;

  constructor(private readonly send: (seq: number, start: number, count: number) => void) {}

  /** Asks for rows [start, start + count) (now, or when the request in flight answers). */
  want(start: number, count: number): void {
    const s = this.lastSent;
    if (this.inFlight !== undefined) {
      this.pending = { start, count };
      return;
    }
    if (s && s.epoch === this.epoch && s.start === start && s.count === count && this.pending === undefined && this.fresh) return;
    this.dispatch(start, count);
  }

  private fresh = false;

  private dispatch(start: number, count: number): void {
    this.seq++;
    this.inFlight = this.seq;
    this.pending = undefined;
    this.fresh = false;
    this.lastSent = { start, count, epoch: this.epoch };
    this.send(this.seq, start, count);
  }

  /** Whether the answer `seq` is current (use it) or stale (drop it); sends the wish that waited. */
  answered(seq: number): boolean {
    if (seq !== this.inFlight) return false;
    this.inFlight = undefined;
    const current = this.lastSent?.epoch === this.epoch;
    this.fresh = current;
    const next = this.pending;
    if (next) this.dispatch(next.start, next.count);
    return current;
  }

  /** Rows changed under every answer in flight or kept (a reset, a new order, more rows): ask again. */
  invalidate(): void {
    this.epoch++;
    this.fresh = false;
  }

  /** A request is waiting for its answer. */
  get busy(): boolean {
    return this.inFlight !== undefined;
  }
}
