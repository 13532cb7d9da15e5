// The network resources Coverage reads, as plain shapes: the fields of the SDK's DescribeVpcs /
// DescribeSubnets / DescribeNetworkInterfaces output that are used, so SDK objects fit as they are.
import type { Tag } from './types';
import type { FlowLogsError } from './errors';

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

/** One page of a Describe call, as the worker answers it (errors classified there, as values). */
export type PageOrError<T> =
  { items: T[]; nextToken?: string; error?: undefined } | { error: FlowLogsError; items?: undefined; nextToken?: undefined };
