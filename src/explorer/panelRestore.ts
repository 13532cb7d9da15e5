// One rule for every panel VS Code restores after a reload (the detail and records panels'
// serializers): the state comes from the webview, so nothing of its shape is trusted, and only a
// profile the Flow Logs view shows may be used. A profile hidden by flowLogs.profiles must not
// resolve credentials (run a credential program, open an SSO session) because a panel was open.
import { isRegionId } from '../aws/arn';
import type { AwsProfile } from '../shared/profiles';
import { isFlowLogId } from '../aws/resourceIds';

export interface PanelTarget {
  profile: AwsProfile;
  region: string;
  flowLogId: string;
}

/** The flow log a restored panel may open again, or undefined (the panel then shows a placeholder). */
export function restoredPanelTarget(state: unknown, shownProfiles: readonly AwsProfile[]): PanelTarget | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const own = (key: string): unknown =>
    Object.prototype.hasOwnProperty.call(state, key) ? (state as Record<string, unknown>)[key] : undefined;
  const [name, region, flowLogId] = [own('profile'), own('region'), own('flowLogId')];
  if (typeof name !== 'string' || typeof region !== 'string' || typeof flowLogId !== 'string') return undefined;
  if (!isRegionId(region) || !isFlowLogId(flowLogId)) return undefined;
  const profile = shownProfiles.find((p) => p.name === name);
  return profile ? { profile, region, flowLogId } : undefined;
}
