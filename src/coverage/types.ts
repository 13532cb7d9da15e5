// Plain shapes of what the Coverage check reads and concludes. Vpc, Subnet and NetworkInterface
// mirror the SDK's DescribeVpcs / DescribeSubnets / DescribeNetworkInterfaces output (the fields
// used here), so SDK objects fit them as they are.
import type { Tag } from '../aws/types';
import type { FlowLogsError } from '../aws/errors';

export interface Vpc {
  VpcId?: string;
  OwnerId?: string;
  CidrBlock?: string;
  IsDefault?: boolean;
  State?: string;
  Tags?: Tag[];
}

export interface Subnet {
  SubnetId?: string;
  VpcId?: string;
  OwnerId?: string;
  CidrBlock?: string;
  AvailabilityZone?: string;
}

export interface NetworkInterface {
  NetworkInterfaceId?: string;
  SubnetId?: string;
  VpcId?: string;
}

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

/** One page of a Describe call, as the worker answers it (errors classified there, as values). */
export type PageOrError<T> = { items: T[]; nextToken?: string; error?: undefined } | { error: FlowLogsError; items?: undefined; nextToken?: undefined };
