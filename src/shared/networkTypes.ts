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
  // The fields the address names (issue 27) read; absent from the Coverage pages' use.
  OwnerId?: string;
  Description?: string;
  InterfaceType?: string;
  RequesterId?: string;
  RequesterManaged?: boolean;
  Status?: string;
  PrivateIpAddress?: string;
  PrivateIpAddresses?: { PrivateIpAddress?: string; Primary?: boolean; Association?: { PublicIp?: string } }[];
  Association?: { PublicIp?: string; IpOwnerId?: string; PublicDnsName?: string };
  Ipv6Addresses?: { Ipv6Address?: string }[];
  Attachment?: { InstanceId?: string; InstanceOwnerId?: string; Status?: string; DeviceIndex?: number };
  Groups?: { GroupId?: string; GroupName?: string }[];
  TagSet?: Tag[];
}

/** The fields of DescribeInstances' Instance that name an interface's owner. */
export interface Instance {
  InstanceId?: string;
  InstanceType?: string;
  State?: { Name?: string };
  Tags?: Tag[];
}

/** One rule of DescribeSecurityGroupRules, as the SDK returns it. */
export interface SecurityGroupRule {
  SecurityGroupRuleId?: string;
  GroupId?: string;
  GroupOwnerId?: string;
  IsEgress?: boolean;
  /** 'tcp' | 'udp' | 'icmp' | 'icmpv6' | '-1' (all) | a protocol number. */
  IpProtocol?: string;
  /** For ICMP: the type (-1: all). */
  FromPort?: number;
  /** For ICMP: the code (-1: all). */
  ToPort?: number;
  CidrIpv4?: string;
  CidrIpv6?: string;
  PrefixListId?: string;
  ReferencedGroupInfo?: { GroupId?: string; UserId?: string; VpcId?: string; PeeringStatus?: string };
  Description?: string;
}

/** One entry of a network ACL (DescribeNetworkAcls). The default rule `*` is RuleNumber 32767. */
export interface NetworkAclEntry {
  RuleNumber?: number;
  /** A protocol number as text, or '-1' (all). */
  Protocol?: string;
  RuleAction?: string;
  Egress?: boolean;
  CidrBlock?: string;
  Ipv6CidrBlock?: string;
  IcmpTypeCode?: { Code?: number; Type?: number };
  PortRange?: { From?: number; To?: number };
}

export interface NetworkAcl {
  NetworkAclId?: string;
  VpcId?: string;
  IsDefault?: boolean;
  Entries?: NetworkAclEntry[];
  Associations?: { NetworkAclAssociationId?: string; NetworkAclId?: string; SubnetId?: string }[];
  Tags?: Tag[];
}

/** One page of a Describe call, as the worker answers it (errors classified there, as values). */
export type PageOrError<T> =
  { items: T[]; nextToken?: string; error?: undefined } | { error: FlowLogsError; items?: undefined; nextToken?: undefined };
