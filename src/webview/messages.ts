// The messages the detail webview posts to the extension, and their validation.
// The webview is untrusted: anything not exactly of a known shape is dropped.
// Pure: never imports vscode.

export const COPY_FIELDS = ['arn', 'id', 'resourceId', 'destination', 'role', 'crossAccountRole', 'tagValue'] as const;
export type CopyField = (typeof COPY_FIELDS)[number];

import { CONSOLE_TARGETS, type ConsoleTarget } from '../aws/arn';

export { CONSOLE_TARGETS, type ConsoleTarget };

/** Longest tag value a copy message may carry (AWS tag values are at most 256 characters). */
export const MAX_TAG_VALUE_LENGTH = 1024;

export type WebviewMessage =
  | { command: 'copy'; field: Exclude<CopyField, 'tagValue'> }
  | { command: 'copy'; field: 'tagValue'; value: string }
  | { command: 'openConsole'; target: ConsoleTarget }
  | { command: 'refresh' }
  | { command: 'filterByResource' }
  | { command: 'showRecords' }
  | { command: 'ready' };

const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

function own(obj: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

/** A fresh, well-typed message, or undefined for anything unexpected. Never throws. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  try {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
    const proto = Object.getPrototypeOf(raw);
    if (proto !== Object.prototype && proto !== null) return undefined;
    const keys = Reflect.ownKeys(raw);
    if (keys.length > 8 || keys.some((k) => typeof k !== 'string' || FORBIDDEN_KEYS.includes(k))) return undefined;

    const command = own(raw, 'command');
    switch (command) {
      case 'copy': {
        const field = own(raw, 'field');
        if (!oneOf(field, COPY_FIELDS)) return undefined;
        if (field === 'tagValue') {
          const value = own(raw, 'value');
          if (typeof value !== 'string' || value.length > MAX_TAG_VALUE_LENGTH) return undefined;
          return { command, field, value };
        }
        return { command, field };
      }
      case 'openConsole': {
        const target = own(raw, 'target');
        return oneOf(target, CONSOLE_TARGETS) ? { command, target } : undefined;
      }
      case 'refresh':
      case 'filterByResource':
      case 'showRecords':
      case 'ready':
        return { command };
      default:
        return undefined;
    }
  } catch {
    // A Proxy or a getter that throws: treat as garbage.
    return undefined;
  }
}
