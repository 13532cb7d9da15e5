// DescribeVpcs, DescribeSubnets and DescribeNetworkInterfaces pages for the Coverage check, run in
// the AWS workers. Errors are classified here, where the SDK error is whole, and travel as values
// naming the permission that was missing.
import type { EC2Client } from '@aws-sdk/client-ec2';
import { classifyError } from './classifyError';
import type { AwsProfile } from '../../shared/profiles';
import { regionInfo } from '../../shared/regions';
import { loadSdk } from './sdk';
import type { Instance, NetworkAcl, NetworkInterface, PageOrError, SecurityGroupRule, Subnet, Vpc } from '../../shared/networkTypes';
import { MAX_FILTER_VALUES, type FindInterfacesArgs, type NetworkPageArgs } from '../../shared/awsWorkerProtocol';

async function page<T>(
  profile: AwsProfile,
  region: string,
  permission: string,
  send: () => Promise<{ items?: T[]; NextToken?: string }>,
): Promise<PageOrError<T>> {
  try {
    const out = await send();
    return { items: out.items ?? [], nextToken: out.NextToken || undefined };
  } catch (err) {
    const error = classifyError(err, {
      profile: profile.name,
      region,
      regionOptIn: regionInfo(region)?.optIn,
      ssoProfile: profile.kind === 'sso',
      permission,
    });
    if (error.kind === 'aborted') throw err; // a cancel stays a rejection, as for every other call
    return { error };
  }
}

export function describeVpcsPage(
  client: EC2Client,
  profile: AwsProfile,
  region: string,
  args: NetworkPageArgs,
  signal?: AbortSignal,
): Promise<PageOrError<Vpc>> {
  return page(profile, region, 'ec2:DescribeVpcs', async () => {
    const out = await client.send(new (loadSdk().DescribeVpcsCommand)({ MaxResults: args.pageSize, NextToken: args.nextToken }), {
      abortSignal: signal,
    });
    return { items: out.Vpcs as Vpc[] | undefined, NextToken: out.NextToken };
  });
}

export function describeSubnetsPage(
  client: EC2Client,
  profile: AwsProfile,
  region: string,
  args: NetworkPageArgs,
  signal?: AbortSignal,
): Promise<PageOrError<Subnet>> {
  return page(profile, region, 'ec2:DescribeSubnets', async () => {
    const out = await client.send(new (loadSdk().DescribeSubnetsCommand)({ MaxResults: args.pageSize, NextToken: args.nextToken }), {
      abortSignal: signal,
    });
    return { items: out.Subnets as Subnet[] | undefined, NextToken: out.NextToken };
  });
}

/** A network-interface-id filter rather than NetworkInterfaceIds: a deleted interface is absent, not an error. */
export function describeNetworkInterfacesPage(
  client: EC2Client,
  profile: AwsProfile,
  region: string,
  args: NetworkPageArgs & { eniIds: string[] },
  signal?: AbortSignal,
): Promise<PageOrError<NetworkInterface>> {
  return page(profile, region, 'ec2:DescribeNetworkInterfaces', async () => {
    const out = await client.send(
      new (loadSdk().DescribeNetworkInterfacesCommand)({
        Filters: [{ Name: 'network-interface-id', Values: args.eniIds }],
        MaxResults: args.pageSize,
        NextToken: args.nextToken,
      }),
      { abortSignal: signal },
    );
    return { items: out.NetworkInterfaces as NetworkInterface[] | undefined, NextToken: out.NextToken };
  });
}

// Address names and Explain this record (issue 27). Each is one filter with at most
// MAX_FILTER_VALUES values (the resolver batches), paged with MaxResults.

export function findInterfacesPage(
  client: EC2Client,
  profile: AwsProfile,
  region: string,
  args: FindInterfacesArgs,
  signal?: AbortSignal,
): Promise<PageOrError<NetworkInterface>> {
  return page(profile, region, 'ec2:DescribeNetworkInterfaces', async () => {
    const out = await client.send(
      new (loadSdk().DescribeNetworkInterfacesCommand)({
        Filters: [{ Name: args.filterName, Values: args.values.slice(0, MAX_FILTER_VALUES) }],
        MaxResults: args.pageSize,
        NextToken: args.nextToken,
      }),
      { abortSignal: signal },
    );
    return { items: out.NetworkInterfaces as NetworkInterface[] | undefined, NextToken: out.NextToken };
  });
}

export function describeInstancesPage(
  client: EC2Client,
  profile: AwsProfile,
  region: string,
  args: NetworkPageArgs & { instanceIds: string[] },
  signal?: AbortSignal,
): Promise<PageOrError<Instance>> {
  return page(profile, region, 'ec2:DescribeInstances', async () => {
    const out = await client.send(
      new (loadSdk().DescribeInstancesCommand)({
        Filters: [{ Name: 'instance-id', Values: args.instanceIds.slice(0, MAX_FILTER_VALUES) }],
        MaxResults: args.pageSize,
        NextToken: args.nextToken,
      }),
      { abortSignal: signal },
    );
    const items = (out.Reservations ?? []).flatMap((r) =>
      (r.Instances ?? []).map((i) => ({
        InstanceId: i.InstanceId,
        InstanceType: i.InstanceType,
        State: { Name: i.State?.Name },
        Tags: i.Tags,
      })),
    );
    return { items, NextToken: out.NextToken };
  });
}

export function describeSecurityGroupRulesPage(
  client: EC2Client,
  profile: AwsProfile,
  region: string,
  args: NetworkPageArgs & { groupIds: string[] },
  signal?: AbortSignal,
): Promise<PageOrError<SecurityGroupRule>> {
  return page(profile, region, 'ec2:DescribeSecurityGroupRules', async () => {
    const out = await client.send(
      new (loadSdk().DescribeSecurityGroupRulesCommand)({
        Filters: [{ Name: 'group-id', Values: args.groupIds.slice(0, MAX_FILTER_VALUES) }],
        MaxResults: args.pageSize,
        NextToken: args.nextToken,
      }),
      { abortSignal: signal },
    );
    return { items: out.SecurityGroupRules as SecurityGroupRule[] | undefined, NextToken: out.NextToken };
  });
}

export function describeNetworkAclsPage(
  client: EC2Client,
  profile: AwsProfile,
  region: string,
  args: NetworkPageArgs & { subnetIds: string[] },
  signal?: AbortSignal,
): Promise<PageOrError<NetworkAcl>> {
  return page(profile, region, 'ec2:DescribeNetworkAcls', async () => {
    const out = await client.send(
      new (loadSdk().DescribeNetworkAclsCommand)({
        Filters: [{ Name: 'association.subnet-id', Values: args.subnetIds.slice(0, MAX_FILTER_VALUES) }],
        MaxResults: Math.min(args.pageSize, 100),
        NextToken: args.nextToken,
      }),
      { abortSignal: signal },
    );
    return { items: out.NetworkAcls as NetworkAcl[] | undefined, NextToken: out.NextToken };
  });
}
