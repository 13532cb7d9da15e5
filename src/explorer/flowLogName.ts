// How a flow log is named wherever it appears (tree rows, panel titles, pickers): its Name tag,
// else its ID, as one safe line. Pure, shared by the tree, the panels and the commands.
import type { FlowLog } from '../shared/types';
import { oneLineLabel } from '../shared/text';

export { oneLineLabel };

/** The flow log's Name tag when it has text to show as a label (not a value of spaces). */
export function nameTag(flowLog: FlowLog): string | undefined {
  const v = flowLog.Tags?.find((t) => t.Key === 'Name')?.Value;
  return v && v.trim() ? v : undefined;
}

export function flowLogLabel(flowLog: FlowLog): string {
  const name = nameTag(flowLog);
  return oneLineLabel(name ?? flowLog.FlowLogId ?? '(no ID)') || (flowLog.FlowLogId ?? '(no ID)');
}
