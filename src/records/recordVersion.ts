// The record version a flow log's format makes AWS write, and the check that a record's `version`
// agrees: AWS writes 2 for the default format and, for a custom format, the highest version among
// its fields (Amazon VPC User Guide, "Flow log records", the `version` field). A record that says
// otherwise was not written with this format (or the format was changed): it is marked, not
// dropped. Pure: never imports vscode.
import { parseLogFormat } from '../webview/logFormat';

/** The version AWS writes for this LogFormat; undefined when a field is unknown (it may be newer). */
export function expectedRecordVersion(format: string): number | undefined {
  const parsed = parseLogFormat(format);
  if (parsed.unknownCount > 0 || parsed.invalidCount > 0 || parsed.truncated) return undefined;
  return parsed.isDefault ? 2 : parsed.version;
}

/** Why a record's version contradicts its format, or undefined when it agrees (or says nothing). */
export function versionProblem(expected: number | undefined, value: string | undefined): string | undefined {
  if (expected === undefined || value === undefined || value === '-' || value === '') return undefined;
  if (value === String(expected)) return undefined;
  return `record version ${value.slice(0, 20)}, but this flow log's format writes version ${expected}`;
}
