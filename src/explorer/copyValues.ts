// What the copy actions copy from a flow log (tree context menu, the palette, the detail panel's
// buttons): pure, so the copy commands and the detail panel share one definition.
import { flowLogArn } from '../aws/arn';
import type { CopyField } from '../webviews/detail/protocol';
import type { FlowLogRef } from './flowLogRef';
import { fitWidth } from '../shared/text';

/** The webview's copy fields, less a tag value (checked against the flow log by the panel). */
export type CopyKind = Exclude<CopyField, 'tagValue'>;

export const COPY_LABELS: Record<CopyKind, string> = {
  arn: 'flow log ARN',
  id: 'flow log ID',
  resourceId: 'resource ID',
  destination: 'log destination ARN',
  role: 'IAM role ARN',
  crossAccountRole: 'cross-account role ARN',
};

/** The flow log's ARN, when the account ID is known. */
export function arnOf(ref: FlowLogRef, accountId: string | undefined): string | undefined {
  return flowLogArn(ref.region, accountId, ref.flowLog.FlowLogId);
}

/**
 * The value to copy, or undefined when the flow log has none (the action is hidden then).
 * `accountId` is asked only for the ARN (STS, cached by the service); it may reject.
 */
export async function valueToCopy(ref: FlowLogRef, kind: CopyKind, accountId: () => Promise<string>): Promise<string | undefined> {
  const f = ref.flowLog;
  switch (kind) {
    case 'arn':
      return arnOf(ref, await accountId());
    case 'id':
      return f.FlowLogId;
    case 'resourceId':
      return f.ResourceId;
    case 'destination':
      return f.LogDestination;
    case 'role':
      return f.DeliverLogsPermissionArn ?? f.DeliverCrossAccountRole;
    case 'crossAccountRole':
      return f.DeliverCrossAccountRole;
  }
}

/** The status bar line after a copy: the value, bounded. */
export function copiedStatus(kind: CopyKind, value: string): string {
  return `$(copy) Copied ${COPY_LABELS[kind]}: ${fitWidth(value, 80)}`;
}

/** What the user is told when the flow log has nothing to copy for `kind`. */
export function nothingToCopy(kind: CopyKind): string {
  return `This flow log has no ${COPY_LABELS[kind]}.`;
}

/** True when `value` is the value of one of the flow log's tags (what "copy tag value" may copy). */
export function isTagValueOf(flowLog: { Tags?: { Key?: string; Value?: string }[] } | undefined, value: unknown): boolean {
  return typeof value === 'string' && Array.isArray(flowLog?.Tags) && flowLog!.Tags.some((t) => t && t.Value === value);
}
