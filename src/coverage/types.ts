// Plain shapes of what the Coverage check concludes. What it reads (Vpc, Subnet, NetworkInterface,
// a page of them) is defined on the AWS side, in src/shared/networkTypes.ts.
import type { FlowLogsError } from '../shared/errors';
export type { NetworkInterface, PageOrError, Subnet, Vpc } from '../shared/networkTypes';

export type Verdict = 'covered' | 'failing' | 'partlyCovered' | 'notCovered' | 'shared';

/** The order verdicts are shown and counted in: worst first, then shared, then covered. */
export const VERDICT_ORDER: readonly Verdict[] = ['notCovered', 'failing', 'partlyCovered', 'shared', 'covered'];

export const VERDICT_LABELS: Record<Verdict, string> = {
  covered: 'Covered',
  failing: 'Covered but failing',
  partlyCovered: 'Partly covered',
  notCovered: 'Not covered',
  shared: 'Shared VPC',
};

/** One VPC with its verdict and why. */
export interface VpcCoverage {
  vpcId: string;
  name?: string;
  cidr?: string;
  isDefault: boolean;
  ownerId?: string;
  verdict: Verdict;
  reason: string;
  /** The flow logs the verdict rests on (VPC-level ones, else subnet- and interface-level). */
  flowLogIds: string[];
  /** The resources those flow logs are on (for "Show Flow Logs of This VPC"). */
  resourceIds: string[];
  subnetsTotal: number;
  subnetsCovered: number;
  interfacesCovered: number;
}

/** One (profile, region): its VPCs judged, or the error that stopped the check there. */
export interface RegionCoverage {
  profileName: string;
  region: string;
  accountId?: string;
  vpcs: VpcCoverage[];
  error?: FlowLogsError;
  requests: number;
}
