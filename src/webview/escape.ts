// HTML escaping for the detail webview. Pure: never imports vscode.
// Values come from AWS (tags, names, formats) and may be hostile; everything that reaches the
// HTML goes through one of these functions.
import { CONTROL_CHARS, INVISIBLE_FORMAT_CHARS } from '../shared/text';

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

function escapeEntities(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => HTML_ENTITIES[c]);
}

/** Code point as "U+202E". */
function codePointLabel(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Text made safe and honest for display: HTML-escaped, control characters shown as their
 * Unicode "control picture" (NUL → ␀), and invisible formatting characters (like the
 * right-to-left override U+202E) shown as a visible marker so they cannot disguise text.
 */
export function escapeHtml(value: unknown): string {
  const visible = toText(value)
    .replace(CONTROL_CHARS, (c) => {
      const code = c.charCodeAt(0);
      if (code < 0x20) return String.fromCharCode(0x2400 + code);
      if (code === 0x7f) return '\u2421';
      return '\uFFFD';
    })
    .replace(INVISIBLE_FORMAT_CHARS, (c) => `\u27E6${codePointLabel(c)}\u27E7`);
  return escapeEntities(visible);
}

/**
 * A value for a quoted attribute. Keeps the text as it is (a data-* value is copied verbatim)
 * apart from control characters, which HTML cannot carry in attributes.
 */
export function escapeAttr(value: unknown): string {
  return escapeEntities(toText(value).replace(CONTROL_CHARS, '\uFFFD'));
}

/** User-provided text wrapped in <bdi>, so right-to-left text stays inside its own box. */
export function bdi(value: unknown): string {
  return `<bdi>${escapeHtml(value)}</bdi>`;
}
