// The checks every page protocol's parseFromPanel is written with (src/webviews/<page>/protocol.ts):
// a message is a plain object (Object or null prototype, string keys, none of the prototype names,
// a bounded number of keys); its fields are read as own properties only. Pure.

const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

/** A plain object of at most `maxKeys` string keys, none that could reach a prototype. */
export function isPlainMessage(raw: unknown, maxKeys: number): raw is object {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const proto = Object.getPrototypeOf(raw);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Reflect.ownKeys(raw);
  return keys.length <= maxKeys && !keys.some((k) => typeof k !== 'string' || FORBIDDEN_KEYS.includes(k));
}

/** An own property's value (never an inherited one). */
export function own(obj: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

/** A whole number from min to max. */
export function isIndex(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}
