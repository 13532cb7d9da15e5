// How a flow log is named wherever it appears (tree rows, panel titles, pickers): its Name tag,
// else its ID, as one safe line. Pure, shared by the tree, the panels and the commands.
import type { FlowLog } from '../aws/types';

/** Bidi controls and other invisible characters that could reorder or hide a label. */

const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const MAX_LABEL = 80;

/** One readable line: control and bidi characters removed, whitespace folded, length bounded. */
export function oneLineLabel(text: string, max = MAX_LABEL): string {
  const clean = text.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export function nameTag(flowLog: FlowLog): string | undefined {
  const v = flowLog.Tags?.find((t) => t.Key === 'Name')?.Value;
  return v && v.trim() ? v : undefined;
}

export function flowLogLabel(flowLog: FlowLog): string {
  const name = nameTag(flowLog);
  return oneLineLabel(name ?? flowLog.FlowLogId ?? '(no ID)') || (flowLog.FlowLogId ?? '(no ID)');
}
