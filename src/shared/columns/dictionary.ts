// A string dictionary for the column store: each distinct value gets a uint32 code. Values are
// looked up by their UTF-8 bytes (the S3 text reader never makes a string per field: a value
// becomes a string once, when it is first seen) or by a string. Pure: no vscode, no Node APIs.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The key bytes of a string: its UTF-8, or (a string with a lone surrogate, which UTF-8 cannot
 * hold) 0xFF and its JSON: 0xFF never occurs in UTF-8, so the two kinds never meet.
 */
function keyBytes(value: string): Uint8Array {
  if (!LONE_SURROGATE.test(value)) return encoder.encode(value);
  const json = encoder.encode(JSON.stringify(value));
  const out = new Uint8Array(json.length + 1);
  out[0] = 0xff;
  out.set(json, 1);
  return out;
}

function valueOf(key: Uint8Array): string {
  return key.length && key[0] === 0xff ? (JSON.parse(decoder.decode(key.subarray(1))) as string) : decoder.decode(key);
}

/** FNV-1a over bytes [from, to). */
function hashBytes(buf: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return h >>> 0;
}

const MAX_STRING_CACHE = 65_536;

export class Dictionary {
  /** The values by code. */
  readonly values: string[] = [];
  /** Open addressing: code + 1 per slot, 0 empty. */
  private slots = new Uint32Array(64);
  private hashes = new Uint32Array(16);
  /** The bytes of every value, one after the other; value c is arena[offsets[c], offsets[c + 1]). */
  private arena = new Uint8Array(256);
  private offsets = new Uint32Array(17);
  /** Codes of values looked up as strings (CloudWatch messages, Parquet), bounded. */
  private readonly byString = new Map<string, number>();

  get size(): number {
    return this.values.length;
  }

  /** Bytes held by the dictionary (for the memory numbers). */
  get byteSize(): number {
    let strings = 0;
    for (const v of this.values) strings += 16 + v.length;
    return this.slots.byteLength + this.hashes.byteLength + this.arena.byteLength + this.offsets.byteLength + strings;
  }

  /** The code looked up last: a column's next value is often the same (account, action, log status). */
  private last = -1;

  /** The code of the UTF-8 bytes [from, to) of `buf`, added when new. */
  codeOfBytes(buf: Uint8Array, from: number, to: number): number {
    const len = to - from;
    const last = this.last;
    if (last >= 0) {
      const o = this.offsets[last];
      if (this.offsets[last + 1] - o === len) {
        const arena = this.arena;
        let i = 0;
        while (i < len && arena[o + i] === buf[from + i]) i++;
        if (i === len) return last;
      }
    }
    return (this.last = this.lookUp(buf, from, to));
  }

  private lookUp(buf: Uint8Array, from: number, to: number): number {
    const h = hashBytes(buf, from, to);
    const mask = this.slots.length - 1;
    const len = to - from;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const c1 = this.slots[s];
      if (c1 === 0) break;
      const c = c1 - 1;
      if (this.hashes[c] !== h) continue;
      const o = this.offsets[c];
      if (this.offsets[c + 1] - o !== len) continue;
      let same = true;
      for (let i = 0; i < len; i++)
        if (this.arena[o + i] !== buf[from + i]) {
          same = false;
          break;
        }
      if (same) return c;
    }
    return this.add(buf, from, to, h);
  }

  /** The code of a string, added when new. */
  codeOf(value: string): number {
    const known = this.byString.get(value);
    if (known !== undefined) return known;
    const bytes = keyBytes(value);
    const c = this.codeOfBytes(bytes, 0, bytes.length);
    if (this.byString.size < MAX_STRING_CACHE) this.byString.set(value, c);
    return c;
  }

  /** The code of a string, or -1 when it is not in the dictionary. */
  find(value: string): number {
    const buf = keyBytes(value);
    const h = hashBytes(buf, 0, buf.length);
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const c1 = this.slots[s];
      if (c1 === 0) return -1;
      const c = c1 - 1;
      if (this.hashes[c] === h && this.values[c] === value) return c;
    }
  }

  private add(buf: Uint8Array, from: number, to: number, h: number): number {
    const c = this.values.length;
    const len = to - from;
    if (c + 1 >= this.hashes.length) {
      const hashes = new Uint32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const offsets = new Uint32Array(this.offsets.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    const o = this.offsets[c];
    if (o + len > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, o + len));
      arena.set(this.arena);
      this.arena = arena;
    }
    this.arena.set(buf.subarray(from, to), o);
    this.offsets[c + 1] = o + len;
    this.hashes[c] = h;
    this.values.push(valueOf(buf.subarray(from, to)));
    if ((c + 1) * 2 > this.slots.length) this.rehash();
    else this.place(c);
    return c;
  }

  private place(c: number): void {
    const mask = this.slots.length - 1;
    let s = this.hashes[c] & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = c + 1;
  }

  private rehash(): void {
    this.slots = new Uint32Array(this.slots.length * 2);
    for (let c = 0; c < this.values.length; c++) this.place(c);
  }
}
