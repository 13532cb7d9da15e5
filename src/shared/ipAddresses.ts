// IPv4 / IPv6 addresses and CIDR blocks for the record filters. Pure.

export interface Cidr {
  v6: boolean;
  base: bigint;
  prefix: number;
}

export function parseIpv4(text: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  let n = 0n;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255 || (m[i].length > 1 && m[i][0] === '0')) return undefined;
    n = (n << 8n) | BigInt(o);
  }
  return n;
}

export function parseIpv6(text: string): bigint | undefined {
  let t = text.toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(t) || !t.includes(':')) return undefined;
  let tail: number[] = [];
  const lastColon = t.lastIndexOf(':');
  if (t.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(t.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    t = t.slice(0, lastColon + 1) + (t[lastColon - 1] === ':' ? '' : '0');
    if (t.endsWith(':0') && tail.length) t = t.slice(0, -2);
    if (t.endsWith(':') && !t.endsWith('::')) t = t.slice(0, -1);
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const explicit = head.length + rest.length + tail.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return undefined;
  const all = [...head.map((g) => parseInt(g, 16)), ...new Array(8 - explicit).fill(0), ...rest.map((g) => parseInt(g, 16)), ...tail];
  let n = 0n;
  for (const g of all) n = (n << 16n) | BigInt(g);
  return n;
}

/** RFC 5952 text of an IPv6 address (lowercase, longest zero run as "::"). */
export function formatIpv6(n: bigint): string {
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function parseAddress(text: string): { v6: boolean; n: bigint } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { v6: false, n: v4 };
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { v6: true, n: v6 };
}

/** "10.0.0.0/20", "2001:db8::/32", or a plain address (a /32 or /128). */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, len, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const a = parseAddress(addr);
  if (!a) return undefined;
  const bits = a.v6 ? 128 : 32;
  const prefix = len === undefined ? bits : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) return undefined;
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return { v6: a.v6, base: a.n & mask, prefix };
}

export function cidrContains(c: Cidr, address: string): boolean {
  const a = parseAddress(address);
  if (!a || a.v6 !== c.v6) return false;
  const bits = c.v6 ? 128 : 32;
  return c.prefix === 0 || a.n >> BigInt(bits - c.prefix) === c.base >> BigInt(bits - c.prefix);
}
