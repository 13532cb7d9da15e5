// The CloudWatch Logs event IDs a load has seen, to drop duplicates (issue 22): an open-addressing
// set over the IDs' bytes, so an ID read from a response body is checked without a string (a
// Set<string> of a million 56-digit IDs cost more than parsing the records). IDs given as strings
// are keyed by their UTF-8 bytes, so both doors meet.

const encoder = new TextEncoder();

/** MurmurHash3 (x86, 32-bit) over bytes [from, to): IDs that differ in a few digits spread evenly. */
function hashBytes(buf: Uint8Array, from: number, to: number): number {
  let h = 0x9747b28c ^ (to - from);
  let i = from;
  for (; i + 3 < to; i += 4) {
    let k = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  for (let j = to - 1; j >= i; j--) k = (k << 8) | buf[j];
  if (i < to) {
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class EventIdSet {
  private count = 0;
  /** Open addressing: index + 1 per slot, 0 empty. */
  private slots = new Uint32Array(1024);
  private hashes = new Uint32Array(512);
  /** ID k is arena[offsets[k], offsets[k + 1]). */
  private arena = new Uint8Array(512 * 56);
  private offsets = new Uint32Array(513);

  get size(): number {
    return this.count;
  }

  /** Bytes held (the memory numbers). */
  get byteSize(): number {
    return this.slots.byteLength + this.hashes.byteLength + this.arena.byteLength + this.offsets.byteLength;
  }

  /** Adds the ID whose UTF-8 bytes are buf[from, to); false when it was already there. */
  addBytes(buf: Uint8Array, from: number, to: number): boolean {
    const h = hashBytes(buf, from, to);
    const s = this.find(buf, from, to, h);
    if (s < 0) return false;
    this.put(buf, from, to, h, s);
    return true;
  }

  /** Whether the ID whose UTF-8 bytes are buf[from, to) is there. */
  hasBytes(buf: Uint8Array, from: number, to: number): boolean {
    return this.find(buf, from, to, hashBytes(buf, from, to)) < 0;
  }

  /** Adds an ID given as a string; false when it was already there. */
  add(id: string): boolean {
    const bytes = encoder.encode(id);
    return this.addBytes(bytes, 0, bytes.length);
  }

  has(id: string): boolean {
    const bytes = encoder.encode(id);
    return this.hasBytes(bytes, 0, bytes.length);
  }

  /** -1 when the ID is there, else the empty slot where its probe ended. */
  private find(buf: Uint8Array, from: number, to: number, h: number): number {
    const len = to - from;
    const mask = this.slots.length - 1;
    let s = h & mask;
    for (let k1 = this.slots[s]; k1 !== 0; s = (s + 1) & mask, k1 = this.slots[s]) {
      const k = k1 - 1;
      if (this.hashes[k] !== h) continue;
      const o = this.offsets[k];
      if (this.offsets[k + 1] - o !== len) continue;
      let same = true;
      for (let i = 0; i < len; i++)
        if (this.arena[o + i] !== buf[from + i]) {
          same = false;
          break;
        }
      if (same) return -1;
    }
    return s;
  }

  /** Stores a new ID at slot `s` (the empty slot its probe ended on). */
  private put(buf: Uint8Array, from: number, to: number, h: number, s: number): void {
    const k = this.count;
    const len = to - from;
    if (k + 1 >= this.hashes.length) {
      const hashes = new Uint32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const offsets = new Uint32Array(this.offsets.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    const o = this.offsets[k];
    if (o + len > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, o + len));
      arena.set(this.arena);
      this.arena = arena;
    }
    const arena = this.arena;
    for (let i = 0; i < len; i++) arena[o + i] = buf[from + i];
    this.offsets[k + 1] = o + len;
    this.hashes[k] = h;
    this.count = k + 1;
    if (this.count * 2 > this.slots.length) {
      this.slots = new Uint32Array(this.slots.length * 2);
      const mask = this.slots.length - 1;
      for (let j = 0; j < this.count; j++) {
        let t = this.hashes[j] & mask;
        while (this.slots[t] !== 0) t = (t + 1) & mask;
        this.slots[t] = j + 1;
      }
    } else this.slots[s] = k + 1;
  }
}
