// One CSV rule for every export (records, Insights results, coverage): RFC 4180 quoting, and
// cells a spreadsheet would run as a formula defused with a leading apostrophe. Pure: never
// imports vscode.

/**
 * A cell a spreadsheet may read as a formula: its first character (after any leading spaces,
 * which Excel and LibreOffice skip) is = + - @ or their full-width forms, or it starts with a tab,
 * carriage return or line feed. `-1+1` and `-2+3+cmd|'/Ccalc'!A0` are formulas; `-5` is not.
 */
const FORMULA_START = /^(?:[\s\u00A0\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r\n])/;
/**
 * A plain number (a negative one included) or a lone "-" (a flow log's "no value"): written as it
 * is, so a number stays a number. Anything else after a leading "-" is defused.
 */
const PLAIN_NUMBER = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|-)$/;

/** The text with a leading apostrophe when a spreadsheet would run it as a formula. */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** One CSV field: formula defused, quoted when it holds a quote, comma or line break, or leading/trailing spaces. */
export function csvField(value: string | number | boolean | null | undefined): string {
  const s = defuseFormula(value === undefined || value === null ? '' : String(value));
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}
