// The EC2 write calls on flow logs: CreateFlowLogs, DeleteFlowLogs, CreateTags and DeleteTags
// (EC2 Query protocol, XML), as EC2 documents them. server.ts authenticates, applies faults and
// hands the form here; this module validates, answers DryRun, and changes the region's flow logs.
//
// Behaviour (AWS's where documented; "decided here" where AWS does not say):
// - Order: parameters are checked first (400 MissingParameter / InvalidParameter /
//   InvalidParameterValue / UnknownParameter), then permission (403 UnauthorizedOperation, DryRun
//   included), then DryRun (412 DryRunOperation). Per-resource problems are not checked by DryRun.
// - CreateFlowLogs answers per resource: created ones in flowLogIdSet, the others in
//   `unsuccessful` with an error code and message:
//   unknown VPC / subnet / interface -> InvalidVpcID.NotFound / InvalidSubnetID.NotFound /
//   InvalidNetworkInterfaceID.NotFound ("The vpc ID 'vpc-..' does not exist");
//   a VPC owned by another account (shared) -> UnauthorizedOperation (decided here);
//   an S3 bucket that does not exist -> code "400", "LogDestination: <bucket> does not exist.";
//   the same resource, traffic type and destination again -> FlowLogAlreadyExists;
//   a resource that already has FLOW_LOGS_PER_RESOURCE flow logs -> FlowLogsLimitExceeded
//   (the VPC quota "flow logs per single network interface, subnet or VPC": 2, not adjustable).
// - A CloudWatch Logs group that does not exist is created (AWS: "if you specify a log group that
//   does not exist, we attempt to create it"). A delivery role the account does not have
//   (iam.ts) gives a flow log whose delivery FAILED with "Access error", as AWS reports it later.
// - Tags: keys 1..128 characters, values 0..256, `aws:` keys reserved, 50 tags per flow log
//   (TagLimitExceeded). CreateTags/DeleteTags here accept flow log IDs only (decided here: the
//   endpoint tags nothing else); an unknown ID fails the whole request (InvalidFlowLogId.NotFound).
import { randomBytes } from 'node:crypto';
import type { FlowLog, Tag } from '../../src/shared/types';
import { flowLogFieldInfo } from '../../src/shared/logFormat';
import { ApiError, dryRunOperation, invalidParameterValue } from './errors';
import type { Network } from './vpcs/network';
import { DEFAULT_LOG_FORMAT } from './data';
import { EC2_NAMESPACE, escapeXml } from './xml';

export const WRITE_ACTIONS = ['CreateFlowLogs', 'DeleteFlowLogs', 'CreateTags', 'DeleteTags'] as const;
export type WriteAction = (typeof WRITE_ACTIONS)[number];
export const isWriteAction = (a: string): a is WriteAction => (WRITE_ACTIONS as readonly string[]).includes(a);

export const FLOW_LOGS_PER_RESOURCE = 2;
export const MAX_TAGS_PER_RESOURCE = 50;
const MAX_IDS = 1000;
const MAX_TGW_IDS = 25;

export interface WriteContext {
  accountId: string;
  region: string;
  partition: string;
  /** Throws UnauthorizedOperation when a policy denies `ec2:<action>`. */
  authorize(action: WriteAction): void;
  flowLogs(): readonly FlowLog[];
  setFlowLogs(logs: FlowLog[]): void;
  network(): Network;
  bucketExists(bucket: string): boolean;
  /** Creates the log group if missing (CreateFlowLogs' documented behaviour). */
  ensureLogGroup(name: string): void;
  roleExists(roleArn: string): boolean;
  now(): Date;
  /** The ignoreDryRun fault: answer as if DryRun were false (and do the work), as some look-alikes do. */
  ignoreDryRun?: boolean;
}

export interface WriteAnswer {
  xml: string;
  items: number;
  dryRun: boolean;
}

const missing = (name: string) => new ApiError(400, 'MissingParameter', `The request must contain the parameter ${name}`);
const invalidParameter = (message: string) => new ApiError(400, 'InvalidParameter', message);
const unknownParameter = (name: string) => new ApiError(400, 'UnknownParameter', `The parameter ${name} is not recognized`);

function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A parsed Query form: plain values and indexed lists (Name.N, Name.N.Sub.M...). */
class Form {
  private readonly used = new Set<string>(['Action', 'Version']);
  constructor(private readonly form: URLSearchParams) {}
  get(name: string): string | undefined {
    this.used.add(name);
    return this.form.get(name) ?? undefined;
  }
  /** Values of `prefix.N` in index order. */
  list(prefix: string): string[] {
    const out = new Map<number, string>();
    const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.([1-9]\\d{0,4})$`);
    for (const [k, v] of this.form) {
      const m = re.exec(k);
      if (m) {
        this.used.add(k);
        out.set(Number(m[1]), v);
      }
    }
    return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  }
  /** Indexes N that occur as `prefix.N.<anything>`. */
  indexes(prefix: string): number[] {
    const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.([1-9]\\d{0,4})\\.`);
    const out = new Set<number>();
    for (const k of this.form.keys()) {
      const m = re.exec(k);
      if (m) out.add(Number(m[1]));
    }
    return [...out].sort((a, b) => a - b);
  }
  bool(name: string): boolean | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false') throw invalidParameterValue(`Invalid value '${v}' for ${name}: expected true or false`);
    return v === 'true';
  }
  /** Any parameter not read: UnknownParameter, as EC2 answers. */
  finish(): void {
    for (const k of this.form.keys()) if (!this.used.has(k)) throw unknownParameter(k);
  }
}

function tagsOf(form: Form, prefix: string, valueRequired: boolean): { Key: string; Value?: string }[] {
  return form.indexes(prefix).map((i) => {
    const key = form.get(`${prefix}.${i}.Key`);
    const value = form.get(`${prefix}.${i}.Value`);
    if (key === undefined) throw missing(`${prefix}.${i}.Key`);
    if (valueRequired && value === undefined) return { Key: key, Value: '' };
    return value === undefined ? { Key: key } : { Key: key, Value: value };
  });
}

function checkTag(tag: { Key: string; Value?: string }): void {
  if (tag.Key.length < 1 || tag.Key.length > 128)
    throw invalidParameterValue(`Tag key '${tag.Key.slice(0, 200)}' must be 1 to 128 characters long`);
  if (tag.Key.toLowerCase().startsWith('aws:')) throw invalidParameterValue(`Tag keys starting with 'aws:' are reserved for internal use`);
  if (tag.Value !== undefined && tag.Value.length > 256)
    throw invalidParameterValue(`Tag value for key '${tag.Key}' must be at most 256 characters long`);
}

const RESOURCE_TYPES = ['VPC', 'Subnet', 'NetworkInterface', 'TransitGateway', 'TransitGatewayAttachment'] as const;
const DESTINATION_TYPES = ['cloud-watch-logs', 's3', 'kinesis-data-firehose'] as const;

/** Checks a custom LogFormat: `${field}` tokens separated by single spaces, every field known. */
export function checkLogFormat(format: string): void {
  if (format.length === 0 || format.length > 2000) throw invalidParameter('LogFormat: must be 1 to 2000 characters long');
  const tokens = format.split(' ');
  const unknown: string[] = [];
  for (const t of tokens) {
    const m = /^\$\{([a-z0-9-]+)\}$/.exec(t);
    if (!m)
      throw invalidParameter(`LogFormat: '${t.slice(0, 100)}' is not a field: fields are written \${field} and separated by one space`);
    if (!flowLogFieldInfo(m[1])) unknown.push(m[1]);
  }
  if (unknown.length) throw invalidParameter(`Unknown fields provided: ${unknown.join(', ')}`);
}

interface Destination {
  type: (typeof DESTINATION_TYPES)[number];
  arn: string;
  groupName?: string;
  bucket?: string;
}

function destinationOf(form: Form, ctx: WriteContext): Destination {
  const type = (form.get('LogDestinationType') ?? 'cloud-watch-logs') as Destination['type'];
  if (!DESTINATION_TYPES.includes(type))
    throw invalidParameterValue(
      `Value (${type}) for parameter LogDestinationType is invalid. Valid values: ${DESTINATION_TYPES.join(', ')}`,
    );
  const destination = form.get('LogDestination');
  const groupName = form.get('LogGroupName');
  const role = form.get('DeliverLogsPermissionArn');
  const options = ['FileFormat', 'HiveCompatiblePartitions', 'PerHourPartition'].some(
    (o) => form.get(`DestinationOptions.${o}`) !== undefined,
  );
  if (type === 'cloud-watch-logs') {
    if (destination !== undefined && groupName !== undefined)
      throw invalidParameter('Please only provide LogGroupName or only provide LogDestination.');
    if (destination === undefined && groupName === undefined)
      throw invalidParameter('LogDestination or LogGroupName is required for cloud-watch-logs');
    if (role === undefined) throw invalidParameter('DeliverLogsPermissionArn is required for cloud-watch-logs');
    if (options) throw invalidParameter('DestinationOptions are only supported for s3');
    let name = groupName;
    if (destination !== undefined) {
      const m = /^arn:([^:]+):logs:([^:]+):(\d{12}):log-group:([^:]+)(:\*)?$/.exec(destination);
      if (!m) throw invalidParameter(`LogDestination: '${destination.slice(0, 300)}' is not a CloudWatch Logs log group ARN`);
      if (m[2] !== ctx.region || m[3] !== ctx.accountId)
        throw invalidParameter(`LogDestination: the log group must be in this account and region (${ctx.accountId}, ${ctx.region})`);
      name = m[4];
    }
    if (!name || name.length > 512 || !/^[.\-_/#A-Za-z0-9]+$/.test(name))
      throw invalidParameterValue(`LogGroupName '${(name ?? '').slice(0, 300)}' is not valid: 1 to 512 characters of [.-_/#A-Za-z0-9]`);
    return { type, arn: `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${name}`, groupName: name };
  }
  if (groupName !== undefined) throw invalidParameter(`LogGroupName is not applicable for ${type}`);
  if (destination === undefined) throw invalidParameter(`LogDestination is required for ${type}`);
  if (type === 's3') {
    if (role !== undefined) throw invalidParameter('DeliverLogsPermissionArn is not applicable for s3');
    const m = /^arn:([^:]+):s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/.*)?$/.exec(destination);
    if (!m) throw invalidParameter(`LogDestination: '${destination.slice(0, 300)}' is not an S3 bucket ARN`);
    const folder = m[3] ?? '';
    if (/^\/AWSLogs(\/|$)/.test(folder))
      throw invalidParameter('LogDestination: AWSLogs is a reserved term and cannot be used as a subfolder name');
    return { type, arn: destination, bucket: m[2] };
  }
  if (!/^arn:[^:]+:firehose:[^:]+:\d{12}:deliverystream\/[A-Za-z0-9_.-]{1,64}$/.test(destination))
    throw invalidParameter(`LogDestination: '${destination.slice(0, 300)}' is not a Kinesis Data Firehose delivery stream ARN`);
  return { type, arn: destination };
}

function newFlowLogId(taken: (id: string) => boolean): string {
  for (;;) {
    const id = `fl-${randomBytes(9).toString('hex').slice(0, 17)}`;
    if (!taken(id)) return id;
  }
}

function notFoundCode(resourceId: string): { code: string; noun: string } {
  if (resourceId.startsWith('vpc-')) return { code: 'InvalidVpcID.NotFound', noun: 'vpc' };
  if (resourceId.startsWith('subnet-')) return { code: 'InvalidSubnetID.NotFound', noun: 'subnet' };
  if (resourceId.startsWith('eni-')) return { code: 'InvalidNetworkInterfaceID.NotFound', noun: 'networkInterface' };
  return { code: 'InvalidTransitGatewayID.NotFound', noun: 'transitGateway' };
}

function createFlowLogs(form: Form, ctx: WriteContext, requestId: string): WriteAnswer {
  const dryRun = form.bool('DryRun') ?? false;
  const clientToken = form.get('ClientToken');
  const resourceType = form.get('ResourceType');
  if (resourceType === undefined) throw missing('ResourceType');
  if (!(RESOURCE_TYPES as readonly string[]).includes(resourceType))
    throw invalidParameterValue(
      `Value (${resourceType}) for parameter ResourceType is invalid. Valid values: ${RESOURCE_TYPES.join(', ')}`,
    );
  const tgw = resourceType.startsWith('TransitGateway');
  const ids = form.list('ResourceId');
  if (ids.length === 0) throw missing('ResourceId');
  if (ids.length > (tgw ? MAX_TGW_IDS : MAX_IDS))
    throw invalidParameterValue(`The request contains ${ids.length} resource IDs; the maximum is ${tgw ? MAX_TGW_IDS : MAX_IDS}`);
  const prefix = { VPC: 'vpc-', Subnet: 'subnet-', NetworkInterface: 'eni-' }[resourceType as 'VPC'];
  for (const id of ids) {
    if (prefix && !id.startsWith(prefix))
      throw invalidParameterValue(`Resource ID '${id.slice(0, 100)}' is not of the ResourceType ${resourceType}`);
  }
  const traffic = form.get('TrafficType');
  if (!tgw && traffic === undefined) throw missing('TrafficType');
  if (tgw && traffic !== undefined) throw invalidParameter('TrafficType is not supported for transit gateway flow logs');
  if (traffic !== undefined && !['ACCEPT', 'REJECT', 'ALL'].includes(traffic))
    throw invalidParameterValue(`Value (${traffic}) for parameter TrafficType is invalid. Valid values: ACCEPT, REJECT, ALL`);
  const destination = destinationOf(form, ctx);
  const role = form.get('DeliverLogsPermissionArn');
  if (role !== undefined && !/^arn:[^:]+:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(role))
    throw invalidParameterValue(`DeliverLogsPermissionArn '${role.slice(0, 300)}' is not an IAM role ARN`);
  const crossRole = form.get('DeliverCrossAccountRole');
  const format = form.get('LogFormat');
  if (format !== undefined) checkLogFormat(format);
  const intervalText = form.get('MaxAggregationInterval');
  let interval = 600;
  if (intervalText !== undefined) {
    interval = Number(intervalText);
    if (!(interval === 60 || (interval === 600 && !tgw)))
      throw invalidParameterValue(
        `Value (${intervalText}) for parameter MaxAggregationInterval is invalid. Valid values: ${tgw ? '60' : '60, 600'}`,
      );
  } else if (tgw) interval = 60;
  const fileFormat = form.get('DestinationOptions.FileFormat');
  if (fileFormat !== undefined && fileFormat !== 'plain-text' && fileFormat !== 'parquet')
    throw invalidParameterValue(
      `Value (${fileFormat}) for parameter DestinationOptions.FileFormat is invalid. Valid values: plain-text, parquet`,
    );
  const hive = form.bool('DestinationOptions.HiveCompatiblePartitions');
  const perHour = form.bool('DestinationOptions.PerHourPartition');
  const tags: Tag[] = [];
  for (const i of form.indexes('TagSpecification')) {
    const type = form.get(`TagSpecification.${i}.ResourceType`);
    if (type !== 'vpc-flow-log') throw invalidParameterValue(`'${type ?? ''}' is not a valid taggable resource type for this operation.`);
    for (const t of tagsOf(form, `TagSpecification.${i}.Tag`, true)) {
      checkTag(t);
      tags.push({ Key: t.Key, Value: t.Value ?? '' });
    }
  }
  if (new Set(tags.map((t) => t.Key)).size !== tags.length) throw invalidParameterValue('Duplicate tag key in TagSpecification');
  if (tags.length > MAX_TAGS_PER_RESOURCE)
    throw new ApiError(400, 'TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
  form.finish();
  ctx.authorize('CreateFlowLogs');
  if (dryRun && !ctx.ignoreDryRun) throw dryRunOperation();

  const net = ctx.network();
  const owners = new Map<string, string>([
    ...net.vpcs.map((v) => [v.VpcId, v.OwnerId] as [string, string]),
    ...net.subnets.map((s) => [s.SubnetId, s.OwnerId] as [string, string]),
    ...net.interfaces.map((n) => [n.NetworkInterfaceId, n.OwnerId] as [string, string]),
  ]);
  const logs = [...ctx.flowLogs()];
  const taken = new Set(logs.map((l) => l.FlowLogId));
  const created: string[] = [];
  const failed: { resourceId: string; code: string; message: string }[] = [];
  const roleOk = role === undefined || ctx.roleExists(role);
  for (const resourceId of [...new Set(ids)]) {
    const owner = owners.get(resourceId);
    if (owner === undefined) {
      const { code, noun } = notFoundCode(resourceId);
      failed.push({ resourceId, code, message: `The ${noun} ID '${resourceId}' does not exist` });
      continue;
    }
    if (owner !== ctx.accountId) {
      failed.push({
        resourceId,
        code: 'UnauthorizedOperation',
        message: `You are not authorized to create a flow log for ${resourceId}: it is owned by account ${owner}`,
      });
      continue;
    }
    if (destination.bucket !== undefined && !ctx.bucketExists(destination.bucket)) {
      failed.push({ resourceId, code: '400', message: `LogDestination: ${destination.bucket} does not exist.` });
      continue;
    }
    const onResource = logs.filter((l) => l.ResourceId === resourceId);
    if (onResource.some((l) => l.TrafficType === traffic && l.LogDestination === destination.arn)) {
      failed.push({
        resourceId,
        code: 'FlowLogAlreadyExists',
        message: 'Error. There is an existing Flow Log with the same configuration and log destination.',
      });
      continue;
    }
    if (onResource.length >= FLOW_LOGS_PER_RESOURCE) {
      failed.push({
        resourceId,
        code: 'FlowLogsLimitExceeded',
        message: `The maximum number of flow logs (${FLOW_LOGS_PER_RESOURCE}) for resource ${resourceId} has been reached.`,
      });
      continue;
    }
    const id = newFlowLogId((x) => taken.has(x));
    taken.add(id);
    const flowLog: FlowLog = {
      CreationTime: ctx.now(),
      FlowLogId: id,
      FlowLogStatus: 'ACTIVE',
      DeliverLogsStatus: roleOk ? 'SUCCESS' : 'FAILED',
      ...(roleOk ? {} : { DeliverLogsErrorMessage: 'Access error' }),
      ResourceId: resourceId,
      ...(traffic !== undefined ? { TrafficType: traffic } : {}),
      LogDestinationType: destination.type,
      LogDestination: destination.arn,
      ...(destination.groupName !== undefined ? { LogGroupName: destination.groupName } : {}),
      ...(role !== undefined ? { DeliverLogsPermissionArn: role } : {}),
      ...(crossRole !== undefined ? { DeliverCrossAccountRole: crossRole } : {}),
      LogFormat: format ?? DEFAULT_LOG_FORMAT,
      MaxAggregationInterval: interval,
      Tags: tags.map((t) => ({ ...t })),
      ...(destination.type === 's3'
        ? {
            DestinationOptions: {
              FileFormat: fileFormat ?? 'plain-text',
              HiveCompatiblePartitions: hive ?? false,
              PerHourPartition: perHour ?? false,
            },
          }
        : {}),
    };
    logs.push(flowLog);
    created.push(id);
  }
  if (created.length > 0) {
    if (destination.groupName !== undefined) ctx.ensureLogGroup(destination.groupName);
    ctx.setFlowLogs(logs);
  }
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<CreateFlowLogsResponse xmlns="${EC2_NAMESPACE}">${el('requestId', requestId)}` +
    `${el('clientToken', clientToken)}<flowLogIdSet>${created.map((id) => el('item', id)).join('')}</flowLogIdSet>` +
    `<unsuccessful>${failed.map(unsuccessfulItem).join('')}</unsuccessful></CreateFlowLogsResponse>`;
  return { xml, items: created.length, dryRun };
}

function unsuccessfulItem(f: { resourceId: string; code: string; message: string }): string {
  return `<item><error>${el('code', f.code)}${el('message', f.message)}</error>${el('resourceId', f.resourceId)}</item>`;
}

function deleteFlowLogs(form: Form, ctx: WriteContext, requestId: string): WriteAnswer {
  const dryRun = form.bool('DryRun') ?? false;
  const ids = form.list('FlowLogId');
  if (ids.length === 0) throw missing('FlowLogId');
  if (ids.length > MAX_IDS) throw invalidParameterValue(`The request contains ${ids.length} flow log IDs; the maximum is ${MAX_IDS}`);
  form.finish();
  ctx.authorize('DeleteFlowLogs');
  if (dryRun && !ctx.ignoreDryRun) throw dryRunOperation();
  const logs = ctx.flowLogs();
  const present = new Set(logs.map((l) => l.FlowLogId));
  const wanted = new Set(ids);
  const failed = [...wanted]
    .filter((id) => !present.has(id))
    .map((id) => ({
      resourceId: id,
      code: 'InvalidFlowLogId.NotFound',
      message: `These flow log ids in the input list are not found: [TotalCount: 1] ${id}`,
    }));
  const kept = logs.filter((l) => !l.FlowLogId || !wanted.has(l.FlowLogId));
  if (kept.length !== logs.length) ctx.setFlowLogs(kept);
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteFlowLogsResponse xmlns="${EC2_NAMESPACE}">${el('requestId', requestId)}` +
    `<unsuccessful>${failed.map(unsuccessfulItem).join('')}</unsuccessful></DeleteFlowLogsResponse>`;
  return { xml, items: logs.length - kept.length, dryRun };
}

function changeTags(action: 'CreateTags' | 'DeleteTags', form: Form, ctx: WriteContext, requestId: string): WriteAnswer {
  const dryRun = form.bool('DryRun') ?? false;
  const ids = form.list('ResourceId');
  if (ids.length === 0) throw missing('ResourceId');
  if (ids.length > MAX_IDS) throw invalidParameterValue(`The request contains ${ids.length} resource IDs; the maximum is ${MAX_IDS}`);
  const tags = tagsOf(form, 'Tag', action === 'CreateTags');
  if (action === 'CreateTags' && tags.length === 0) throw missing('Tag.1.Key');
  for (const t of tags) checkTag(t);
  form.finish();
  for (const id of ids) {
    if (!/^fl-[0-9a-f]{8,17}$/.test(id))
      throw invalidParameterValue(`Invalid ID: '${id.slice(0, 100)}' (this endpoint tags flow logs only)`);
  }
  ctx.authorize(action);
  if (dryRun && !ctx.ignoreDryRun) throw dryRunOperation();
  const logs = [...ctx.flowLogs()];
  const index = new Map(logs.map((l, i) => [l.FlowLogId, i]));
  const unknown = ids.filter((id) => !index.has(id));
  if (unknown.length) throw new ApiError(400, 'InvalidFlowLogId.NotFound', `The flow log ID '${unknown[0]}' does not exist`);
  for (const id of ids) {
    const i = index.get(id)!;
    const current = [...(logs[i].Tags ?? [])];
    let next: Tag[];
    if (action === 'CreateTags') {
      next = current;
      for (const t of tags) {
        const at = next.findIndex((x) => x.Key === t.Key);
        if (at >= 0) next[at] = { Key: t.Key, Value: t.Value ?? '' };
        else next.push({ Key: t.Key, Value: t.Value ?? '' });
      }
      if (next.length > MAX_TAGS_PER_RESOURCE)
        throw new ApiError(400, 'TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
    } else {
      // No Tag given: every tag (aws: keys aside). A value given: only when it matches.
      next =
        tags.length === 0
          ? current.filter((x) => (x.Key ?? '').toLowerCase().startsWith('aws:'))
          : current.filter((x) => !tags.some((t) => t.Key === x.Key && (t.Value === undefined || t.Value === x.Value)));
    }
    logs[i] = { ...logs[i], Tags: next };
  }
  ctx.setFlowLogs(logs);
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}">${el('requestId', requestId)}${el('return', true)}</${action}Response>`;
  return { xml, items: ids.length, dryRun };
}

/** Answers one write call; throws ApiError (400s, 403 UnauthorizedOperation, 412 DryRunOperation). */
export function handleWrite(action: WriteAction, params: URLSearchParams, ctx: WriteContext, requestId: string): WriteAnswer {
  const form = new Form(params);
  switch (action) {
    case 'CreateFlowLogs':
      return createFlowLogs(form, ctx, requestId);
    case 'DeleteFlowLogs':
      return deleteFlowLogs(form, ctx, requestId);
    default:
      return changeTags(action, form, ctx, requestId);
  }
}
