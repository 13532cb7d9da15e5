// The messages between the flow log detail panel (webview/detailPanel.ts) and its page
// (src/webviews/detail/main.ts): ToPanel is what the extension posts to the page, FromPanel what
// the page posts to the extension, and parseFromPanel the one check every message from the page
// passes (the page is untrusted: anything not exactly of a known shape is undefined, and dropped).
// Pure: imported by the panel and by the page bundle.
import { isPlainMessage, oneOf, own } from '../protocolCheck';

/** What a Copy button of the page may copy (the flow log's values; a tag's value with the value). */
export const COPY_FIELDS = ['arn', 'id', 'resourceId', 'destination', 'role', 'crossAccountRole', 'tagValue'] as const;
export type CopyField = (typeof COPY_FIELDS)[number];

/** What an Open in Console button may open (aws/arn.ts builds the links; this is the one list). */
export const CONSOLE_TARGETS = ['flowLog', 'resource', 'destination'] as const;
export type ConsoleTarget = (typeof CONSOLE_TARGETS)[number];

/** Longest tag value a copy message may carry (AWS tag values are at most 256 characters). */
export const MAX_TAG_VALUE_LENGTH = 1024;
/** Longest status text the page shows. */
export const MAX_STATUS_LENGTH = 200;

export type ToPanel = { type: 'status'; text: string };

export type FromPanel =
  | { type: 'copy'; field: Exclude<CopyField, 'tagValue'> }
  | { type: 'copy'; field: 'tagValue'; value: string }
  | { type: 'openConsole'; target: ConsoleTarget }
  | { type: 'refresh' }
  | { type: 'filterByResource' }
  | { type: 'showRecords' }
  | { type: 'ready' };

/** A fresh, well-typed message, or undefined for anything unexpected. Never throws. */
export function parseFromPanel(raw: unknown): FromPanel | undefined {
  try {
    if (!isPlainMessage(raw, 8)) return undefined;
    const type = own(raw, 'type');
    switch (type) {
      case 'copy': {
        const field = own(raw, 'field');
        if (!oneOf(field, COPY_FIELDS)) return undefined;
        if (field === 'tagValue') {
          const value = own(raw, 'value');
          if (typeof value !== 'string' || value.length > MAX_TAG_VALUE_LENGTH) return undefined;
          return { type, field, value };
        }
        return { type, field };
      }
      case 'openConsole': {
        const target = own(raw, 'target');
        return oneOf(target, CONSOLE_TARGETS) ? { type, target } : undefined;
      }
      case 'refresh':
      case 'filterByResource':
      case 'showRecords':
      case 'ready':
        return { type };
      default:
        return undefined;
    }
  } catch {
    // A Proxy or a getter that throws: treat as garbage.
    return undefined;
  }
}
