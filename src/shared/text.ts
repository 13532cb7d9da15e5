// Text from AWS, the config files or the user, made short and safe to show: cutting to a length,
// one line, and the characters that must not reach a label or a page as they are. Written once
// for the whole extension (both threads). Pure: never imports vscode.

/**
 * Control characters (Unicode category Cc) other than tab, line feed and carriage return:
 * C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F). Global: for `String.replace`
 * (use `hasControlChars` to test).
 */
export const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * Characters that reorder or hide text: the Arabic letter mark, zero-width space and joiners,
 * left-to-right / right-to-left marks, bidi embeddings, overrides (U+202E) and isolates, the
 * word joiner and invisible operators, and the zero-width no-break space (BOM). Global: for
 * `String.replace`.
 */
export const INVISIBLE_FORMAT_CHARS = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

const TAB_AND_LINE_BREAKS = /[\t\n\r]/;

/** True when the text holds any control character, tab and line breaks included. */
export function hasControlChars(text: string): boolean {
  return text.search(CONTROL_CHARS) >= 0 || TAB_AND_LINE_BREAKS.test(text);
}

/** The first `keep` characters of `text` and '…' when there were more (a cut text is `keep` + 1 long). */
export function truncate(text: string, keep: number): string {
  return text.length > keep ? `${text.slice(0, keep)}…` : text;
}

/** `text` in at most `width` characters, the '…' that marks a cut included (labels, titles). */
export function fitWidth(text: string, width: number): string {
  return text.length > width ? truncate(text, width - 1) : text;
}

/** One line: every run of whitespace (line breaks included) becomes one space, ends trimmed; then cut after `keep` characters. */
export function oneLine(text: unknown, keep = 300): string {
  return truncate(String(text).replace(/\s+/g, ' ').trim(), keep);
}

const MAX_LABEL = 80;

/** One readable line for a label: control and invisible characters removed, whitespace folded, at most `width` characters. */
export function oneLineLabel(text: string, width = MAX_LABEL): string {
  const clean = text.replace(CONTROL_CHARS, ' ').replace(INVISIBLE_FORMAT_CHARS, ' ').replace(/\s+/g, ' ').trim();
  return fitWidth(clean, width);
}
