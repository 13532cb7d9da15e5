// A flow log as the rest of the extension passes it around: which profile and region it was
// listed in, and the flow log itself. Tree nodes, the detail and records panels, the copy
// actions and the palette pickers all take this plain value, never a tree node.
import type { AwsProfile } from '../shared/profiles';
import type { FlowLog } from '../shared/types';

export interface FlowLogRef {
  readonly profile: AwsProfile;
  readonly region: string;
  readonly flowLog: FlowLog;
}

/** Refs this extension made (commands tell them from look-alike objects a caller passes). */
const made = new WeakSet<object>();

export function flowLogRef(profile: AwsProfile, region: string, flowLog: FlowLog): FlowLogRef {
  const ref: FlowLogRef = Object.freeze({ profile, region, flowLog });
  made.add(ref);
  return ref;
}

/** True for a ref made by flowLogRef (a plain object of the same shape is not one). */
export function isFlowLogRef(x: unknown): x is FlowLogRef {
  return typeof x === 'object' && x !== null && made.has(x);
}

/**
 * Whether two refs show the same listed flow log: same profile, region and flow log object (a
 * reload lists new objects, so a panel showing the old one renders again).
 */
export function sameRef(a: FlowLogRef | undefined, b: FlowLogRef | undefined): boolean {
  if (!a || !b) return a === b;
  return a.profile.name === b.profile.name && a.region === b.region && a.flowLog === b.flowLog;
}
