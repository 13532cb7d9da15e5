// A FilterLogEvents answer read from its bytes (issue 22): the body is checked as strict JSON
// and each event's fields are kept as offsets into it, so a regular message goes from the bytes
// into the columns with no object or string per event. Anything this reader does not expect (a
// field of another type, nesting deeper than MAX_DEPTH, invalid JSON) makes it answer undefined:
// the caller then hands the same bytes to the SDK, which reads them (or fails) as it always did.

/** Flags per event: which fields came, and which are plain (printable ASCII, no escape). */
export const HAS_STREAM = 1;
export const HAS_MESSAGE = 2;
export const HAS_ID = 4;
export const PLAIN_STREAM = 8;
export const PLAIN_MESSAGE = 16;
export const PLAIN_ID = 32;

/** One page's events as offsets into its body: field [at, end) is the JSON string's content. */
export interface ScannedPage {
  count: number;
  flags: Uint8Array;
  /** NaN: no timestamp (or null). */
  timestamp: Float64Array;
  streamAt: Int32Array;
  streamEnd: Int32Array;
  messageAt: Int32Array;
  messageEnd: Int32Array;
  idAt: Int32Array;
  idEnd: Int32Array;
  nextToken?: string;
}

const MAX_DEPTH = 64;
const BAD = 0;
const MORE = 1;
const CLOSED = 2;
const KEY_EVENTS = ascii('events');
const KEY_NEXT_TOKEN = ascii('nextToken');
const KEY_STREAM = ascii('logStreamName');
const KEY_TIMESTAMP = ascii('timestamp');
const KEY_MESSAGE = ascii('message');
const KEY_ID = ascii('eventId');

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

const utf8 = new TextDecoder('utf-8');

/** The text of a JSON string whose content is body[at, end) (escapes and UTF-8 decoded). */
export function stringAt(body: Uint8Array, at: number, end: number, plain: boolean): string {
  if (plain) return latin1(body, at, end);
  return JSON.parse(utf8.decode(body.subarray(at - 1, end + 1))) as string;
}

function latin1(body: Uint8Array, at: number, end: number): string {
  if (end - at < 64) return String.fromCharCode.apply(null, body.subarray(at, end) as unknown as number[]);
  return utf8.decode(body.subarray(at, end));
}

/** The page's events and nextToken, or undefined when the body is not the JSON this expects. */
export function scanFilterLogEvents(body: Uint8Array): ScannedPage | undefined {
  return new Scanner(body).page();
}

class Scanner {
  private i = 0;
  /** The last string read: its content [at, end), and whether it is plain. */
  private at = 0;
  private end = 0;
  private plain = false;
  private readonly out: ScannedPage;

  constructor(private readonly b: Uint8Array) {
    const cap = 1024;
    this.out = {
      count: 0,
      flags: new Uint8Array(cap),
      timestamp: new Float64Array(cap),
      streamAt: new Int32Array(cap),
      streamEnd: new Int32Array(cap),
      messageAt: new Int32Array(cap),
      messageEnd: new Int32Array(cap),
      idAt: new Int32Array(cap),
      idEnd: new Int32Array(cap),
    };
  }

  page(): ScannedPage | undefined {
    const b = this.b;
    this.ws();
    if (b[this.i] !== 123 /* { */) return undefined;
    this.i++;
    this.ws();
    if (b[this.i] === 125 /* } */) this.i++;
    else
      for (;;) {
        if (!this.str()) return undefined;
        const key = this.keyIs(KEY_EVENTS) ? 1 : this.keyIs(KEY_NEXT_TOKEN) ? 2 : 0;
        if (!this.colon()) return undefined;
        if (key === 1) {
          if (!this.events()) return undefined;
        } else if (key === 2) {
          if (this.isNull()) this.out.nextToken = undefined;
          else {
            if (!this.str()) return undefined;
            this.out.nextToken = stringAt(b, this.at, this.end, this.plain);
          }
        } else if (!this.skip(1)) return undefined;
        const after = this.next(125);
        if (after === BAD) return undefined;
        if (after === CLOSED) break;
      }
    this.ws();
    return this.i === b.length ? this.out : undefined;
  }

  /** After a value: MORE (a ',', more follow), CLOSED (`close` consumed) or BAD. */
  private next(close: number): number {
    this.ws();
    const c = this.b[this.i];
    if (c === 44 /* , */) {
      this.i++;
      this.ws();
      return MORE;
    }
    if (c === close) {
      this.i++;
      return CLOSED;
    }
    return BAD;
  }

  private events(): boolean {
    const b = this.b;
    // A repeated "events" replaces the earlier one, as JSON.parse does.
    this.out.count = 0;
    if (this.isNull()) return true;
    if (b[this.i] !== 91 /* [ */) return false;
    this.i++;
    this.ws();
    if (b[this.i] === 93 /* ] */) {
      this.i++;
      return true;
    }
    for (;;) {
      if (!this.event()) return false;
      const after = this.next(93);
      if (after === BAD) return false;
      if (after === CLOSED) return true;
    }
  }

  private event(): boolean {
    const b = this.b;
    if (b[this.i] !== 123) return false;
    this.i++;
    const o = this.out;
    const k = o.count;
    if (k === o.flags.length) this.grow();
    let flags = 0;
    let t = NaN;
    this.ws();
    if (b[this.i] === 125) {
      this.i++;
    } else
      for (;;) {
        if (!this.str()) return false;
        const key = this.keyIs(KEY_MESSAGE) ? 1 : this.keyIs(KEY_TIMESTAMP) ? 2 : this.keyIs(KEY_STREAM) ? 3 : this.keyIs(KEY_ID) ? 4 : 0;
        if (!this.colon()) return false;
        if (key === 2) {
          if (this.isNull()) t = NaN;
          else {
            t = this.number();
            if (Number.isNaN(t)) return false;
          }
        } else if (key !== 0) {
          // A string field; null leaves it out, as the SDK does.
          const has = key === 1 ? HAS_MESSAGE : key === 3 ? HAS_STREAM : HAS_ID;
          const plain = key === 1 ? PLAIN_MESSAGE : key === 3 ? PLAIN_STREAM : PLAIN_ID;
          if (this.isNull()) flags &= ~(has | plain);
          else {
            if (!this.str()) return false;
            flags = (flags | has) & ~plain;
            if (this.plain) flags |= plain;
            if (key === 1) {
              o.messageAt[k] = this.at;
              o.messageEnd[k] = this.end;
            } else if (key === 3) {
              o.streamAt[k] = this.at;
              o.streamEnd[k] = this.end;
            } else {
              o.idAt[k] = this.at;
              o.idEnd[k] = this.end;
            }
          }
        } else if (!this.skip(2)) return false;
        const after = this.next(125);
        if (after === BAD) return false;
        if (after === CLOSED) break;
      }
    o.flags[k] = flags;
    o.timestamp[k] = t;
    o.count = k + 1;
    return true;
  }

  private grow(): void {
    const o = this.out;
    const cap = o.flags.length * 2;
    const g = <T extends Uint8Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const x = make(cap);
      x.set(a);
      return x;
    };
    o.flags = g(o.flags, (n) => new Uint8Array(n));
    o.timestamp = g(o.timestamp, (n) => new Float64Array(n));
    o.streamAt = g(o.streamAt, (n) => new Int32Array(n));
    o.streamEnd = g(o.streamEnd, (n) => new Int32Array(n));
    o.messageAt = g(o.messageAt, (n) => new Int32Array(n));
    o.messageEnd = g(o.messageEnd, (n) => new Int32Array(n));
    o.idAt = g(o.idAt, (n) => new Int32Array(n));
    o.idEnd = g(o.idEnd, (n) => new Int32Array(n));
  }

  private ws(): void {
    const b = this.b;
    let i = this.i;
    for (let c = b[i]; c === 32 || c === 10 || c === 13 || c === 9; c = b[++i]);
    this.i = i;
  }

  private colon(): boolean {
    this.ws();
    if (this.b[this.i] !== 58 /* : */) return false;
    this.i++;
    this.ws();
    return true;
  }

  private isNull(): boolean {
    const b = this.b;
    const i = this.i;
    if (b[i] === 110 && b[i + 1] === 117 && b[i + 2] === 108 && b[i + 3] === 108) {
      this.i = i + 4;
      return true;
    }
    return false;
  }

  /** Whether the last string read (a key) is exactly `key` (plain keys only; an escaped key is compared decoded). */
  private keyIs(key: Uint8Array): boolean {
    const { at, end, b } = this;
    if (!this.plain) return stringAt(b, at, end, false) === String.fromCharCode(...key);
    if (end - at !== key.length) return false;
    for (let j = 0; j < key.length; j++) if (b[at + j] !== key[j]) return false;
    return true;
  }

  /** A JSON string at i: sets at, end, plain; false when invalid. */
  private str(): boolean {
    const b = this.b;
    let i = this.i;
    if (b[i] !== 34 /* " */) return false;
    const at = ++i;
    let plain = true;
    const n = b.length;
    for (;;) {
      if (i >= n) return false;
      const c = b[i];
      if (c === 34) break;
      if (c < 32) return false;
      if (c === 92 /* \ */) {
        plain = false;
        const e = b[i + 1];
        if (e === 117 /* u */) {
          for (let j = 2; j < 6; j++) if (!isHex(b[i + j])) return false;
          i += 6;
        } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) i += 2;
        else return false;
        continue;
      }
      if (c > 126) plain = false;
      i++;
    }
    this.at = at;
    this.end = i;
    this.plain = plain;
    this.i = i + 1;
    return true;
  }

  /** A JSON number at i, or NaN when there is none. */
  private number(): number {
    const b = this.b;
    const from = this.i;
    let i = from;
    if (b[i] === 45 /* - */) i++;
    if (b[i] === 48) i++;
    else if (b[i] >= 49 && b[i] <= 57) while (b[i] >= 48 && b[i] <= 57) i++;
    else return NaN;
    const intEnd = i;
    if (b[i] === 46 /* . */) {
      i++;
      if (!(b[i] >= 48 && b[i] <= 57)) return NaN;
      while (b[i] >= 48 && b[i] <= 57) i++;
    }
    if (b[i] === 101 || b[i] === 69 /* e E */) {
      i++;
      if (b[i] === 43 || b[i] === 45) i++;
      if (!(b[i] >= 48 && b[i] <= 57)) return NaN;
      while (b[i] >= 48 && b[i] <= 57) i++;
    }
    this.i = i;
    // A plain integer of up to 15 digits is exact as a double: read it here.
    if (i === intEnd && b[from] !== 45 && i - from <= 15) {
      let v = 0;
      for (let j = from; j < i; j++) v = v * 10 + (b[j] - 48);
      return v;
    }
    return Number(latin1(b, from, i));
  }

  /** Skips any JSON value at i (depth: its nesting); false when invalid or deeper than MAX_DEPTH. */
  private skip(depth: number): boolean {
    const b = this.b;
    const c = b[this.i];
    if (c === 34) return this.str();
    if (c === 123 || c === 91) {
      if (depth >= MAX_DEPTH) return false;
      const close = c === 123 ? 125 : 93;
      this.i++;
      this.ws();
      if (b[this.i] === close) {
        this.i++;
        return true;
      }
      for (;;) {
        if (c === 123) {
          if (!this.str() || !this.colon()) return false;
        }
        if (!this.skip(depth + 1)) return false;
        const after = this.next(close);
        if (after === BAD) return false;
        if (after === CLOSED) return true;
      }
    }
    if (this.isNull()) return true;
    const i = this.i;
    if (b[i] === 116 && b[i + 1] === 114 && b[i + 2] === 117 && b[i + 3] === 101) {
      this.i = i + 4;
      return true;
    }
    if (b[i] === 102 && b[i + 1] === 97 && b[i + 2] === 108 && b[i + 3] === 115 && b[i + 4] === 101) {
      this.i = i + 5;
      return true;
    }
    return !Number.isNaN(this.number());
  }
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
