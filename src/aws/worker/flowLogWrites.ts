// The write calls of issue 26, run in the AWS workers: CreateFlowLogs, DeleteFlowLogs,
// CreateTags/DeleteTags, CloudWatch Logs CreateLogGroup/PutRetentionPolicy/DescribeLogGroups and
// IAM ListRoles. Each answers a WriteOutcome value: EC2's DryRun answer (DryRunOperation, an error
// on the wire) becomes `wouldSucceed`; any other failure is classified here, once, naming the
// permission that was missing. A cancel stays a rejection, as for every call.
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { IAMClient } from '@aws-sdk/client-iam';
import { classifyError } from './classifyError';
import { loadSdk } from './sdk';
import type { AwsProfile } from '../../shared/profiles';
import { regionInfo } from '../../shared/regions';
import { DRY_RUN_IGNORED } from '../../shared/errors';
import type {
  ChangeTagsArgs,
  CreateFlowLogsArgs,
  CreateFlowLogsDone,
  CreateLogGroupArgs,
  DeleteFlowLogsArgs,
  DeleteFlowLogsDone,
  LogGroupsPage,
  RolesPage,
  UnsuccessfulItem,
  WriteOutcome,
} from '../../shared/awsWorkerProtocol';

export const FLOW_LOGS_SERVICE = 'vpc-flow-logs.amazonaws.com';

async function outcome<T>(
  profile: AwsProfile,
  region: string | undefined,
  permission: string,
  dryRun: boolean,
  run: () => Promise<T>,
): Promise<WriteOutcome<T>> {
  let value: T;
  try {
    value = await run();
  } catch (err) {
    if (dryRun && (err as { name?: string })?.name === 'DryRunOperation') return { kind: 'wouldSucceed' };
    const error = classifyError(err, {
      profile: profile.name,
      ...(region !== undefined ? { region, regionOptIn: regionInfo(region)?.optIn } : {}),
      ssoProfile: profile.kind === 'sso',
      permission,
    });
    if (error.kind === 'aborted') throw err;
    return { kind: 'failed', error };
  }
  // A server that ignores DryRun did the work: never reported as "would succeed".
  if (dryRun) return { kind: 'failed', error: { kind: 'unknown', message: DRY_RUN_IGNORED, actions: [] }, ignoredDryRun: value };
  return { kind: 'done', ...value };
}

function unsuccessful(items: { ResourceId?: string; Error?: { Code?: string; Message?: string } }[] | undefined): UnsuccessfulItem[] {
  return (items ?? []).map((u) => ({
    resourceId: String(u.ResourceId ?? ''),
    code: String(u.Error?.Code ?? 'Unknown'),
    message: String(u.Error?.Message ?? ''),
  }));
}

export function createFlowLogs(
  client: EC2Client,
  profile: AwsProfile,
  region: string,
  args: CreateFlowLogsArgs,
  signal?: AbortSignal,
): Promise<WriteOutcome<CreateFlowLogsDone>> {
  const r = args.request;
  return outcome(profile, region, 'ec2:CreateFlowLogs', args.dryRun, async () => {
    const out = await client.send(
      new (loadSdk().CreateFlowLogsCommand)({
        DryRun: args.dryRun,
        ClientToken: r.ClientToken,
        ResourceType: r.ResourceType,
        ResourceIds: r.ResourceIds,
        TrafficType: r.TrafficType,
        LogDestinationType: r.LogDestinationType,
        LogDestination: r.LogDestination,
        LogGroupName: r.LogGroupName,
        DeliverLogsPermissionArn: r.DeliverLogsPermissionArn,
        LogFormat: r.LogFormat,
        MaxAggregationInterval: r.MaxAggregationInterval,
        DestinationOptions: r.DestinationOptions,
        TagSpecifications: r.Tags.length ? [{ ResourceType: 'vpc-flow-log', Tags: r.Tags }] : undefined,
      }),
      { abortSignal: signal },
    );
    return { flowLogIds: (out.FlowLogIds ?? []).map(String), unsuccessful: unsuccessful(out.Unsuccessful) };
  });
}

export function deleteFlowLogs(
  client: EC2Client,
  profile: AwsProfile,
  region: string,
  args: DeleteFlowLogsArgs,
  signal?: AbortSignal,
): Promise<WriteOutcome<DeleteFlowLogsDone>> {
  return outcome(profile, region, 'ec2:DeleteFlowLogs', args.dryRun, async () => {
    const out = await client.send(new (loadSdk().DeleteFlowLogsCommand)({ DryRun: args.dryRun, FlowLogIds: args.flowLogIds }), {
      abortSignal: signal,
    });
    return { unsuccessful: unsuccessful(out.Unsuccessful) };
  });
}

/** CreateTags for `set`, then DeleteTags for `remove` (each only when it has something to do). */
export async function changeFlowLogTags(
  client: EC2Client,
  profile: AwsProfile,
  region: string,
  args: ChangeTagsArgs,
  signal?: AbortSignal,
): Promise<WriteOutcome<object>> {
  if (args.set.length) {
    const created = await outcome(profile, region, 'ec2:CreateTags', args.dryRun, async () => {
      await client.send(new (loadSdk().CreateTagsCommand)({ DryRun: args.dryRun, Resources: args.flowLogIds, Tags: args.set }), {
        abortSignal: signal,
      });
      return {};
    });
    if (created.kind === 'failed') return created;
  }
  if (args.remove.length) {
    return outcome(profile, region, 'ec2:DeleteTags', args.dryRun, async () => {
      await client.send(
        new (loadSdk().DeleteTagsCommand)({ DryRun: args.dryRun, Resources: args.flowLogIds, Tags: args.remove.map((Key) => ({ Key })) }),
        { abortSignal: signal },
      );
      return {};
    });
  }
  return args.dryRun ? { kind: 'wouldSucceed' } : { kind: 'done' };
}

export async function createLogGroup(
  client: CloudWatchLogsClient,
  profile: AwsProfile,
  region: string,
  args: CreateLogGroupArgs,
  signal?: AbortSignal,
): Promise<WriteOutcome<object>> {
  const created = await outcome(profile, region, 'logs:CreateLogGroup', false, async () => {
    await client.send(new (loadSdk().CreateLogGroupCommand)({ logGroupName: args.logGroupName }), { abortSignal: signal });
    return {};
  });
  if (created.kind !== 'done' || args.retentionInDays === undefined) return created;
  return outcome(profile, region, 'logs:PutRetentionPolicy', false, async () => {
    await client.send(
      new (loadSdk().PutRetentionPolicyCommand)({ logGroupName: args.logGroupName, retentionInDays: args.retentionInDays }),
      {
        abortSignal: signal,
      },
    );
    return {};
  });
}

export function describeLogGroupsPage(
  client: CloudWatchLogsClient,
  profile: AwsProfile,
  region: string,
  args: { prefix?: string; nextToken?: string },
  signal?: AbortSignal,
): Promise<WriteOutcome<LogGroupsPage>> {
  return outcome(profile, region, 'logs:DescribeLogGroups', false, async () => {
    const out = await client.send(
      new (loadSdk().DescribeLogGroupsCommand)({ logGroupNamePrefix: args.prefix || undefined, nextToken: args.nextToken, limit: 50 }),
      { abortSignal: signal },
    );
    return {
      groups: (out.logGroups ?? [])
        .filter((g) => typeof g.logGroupName === 'string')
        .map((g) => ({ name: g.logGroupName!, arn: g.logGroupArn, retentionInDays: g.retentionInDays })),
      nextToken: out.nextToken || undefined,
    };
  });
}

/** Whether a trust policy (IAM returns it URL-encoded) lets vpc-flow-logs.amazonaws.com assume the role. */
export function trustsFlowLogs(document: string | undefined): boolean {
  if (!document) return false;
  let text = document;
  try {
    text = decodeURIComponent(document);
  } catch {
    // not URL-encoded: read it as it is
  }
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    return false;
  }
  const statements = (policy as { Statement?: unknown })?.Statement;
  const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
  return list.some((s: { Effect?: unknown; Principal?: { Service?: unknown }; Action?: unknown }) => {
    if (s?.Effect !== 'Allow') return false;
    const services = ([] as unknown[]).concat(s.Principal?.Service ?? []);
    const actions = ([] as unknown[]).concat(s.Action ?? []);
    return services.includes(FLOW_LOGS_SERVICE) && actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*');
  });
}

export function listRolesPage(
  client: IAMClient,
  profile: AwsProfile,
  args: { marker?: string },
  signal?: AbortSignal,
): Promise<WriteOutcome<RolesPage>> {
  return outcome(profile, undefined, 'iam:ListRoles', false, async () => {
    const out = await client.send(new (loadSdk().ListRolesCommand)({ Marker: args.marker, MaxItems: 200 }), { abortSignal: signal });
    return {
      roles: (out.Roles ?? [])
        .filter((r) => typeof r.Arn === 'string' && typeof r.RoleName === 'string')
        .map((r) => ({
          name: r.RoleName!,
          arn: r.Arn!,
          path: r.Path,
          description: r.Description,
          trustsFlowLogs: trustsFlowLogs(r.AssumeRolePolicyDocument),
        })),
      marker: out.IsTruncated ? out.Marker : undefined,
    };
  });
}
