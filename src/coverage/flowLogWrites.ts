// Creating, deleting and tagging flow logs (issue 26), the pure part: the CreateFlowLogs request
// from the user's choices (checked, with a message per problem), the `aws ec2 create-flow-logs`
// command line that does the same (quoted for a POSIX shell), the record format (default, every
// field of versions 2 to 8 in AWS's order, or a custom pick put in that order), the delivery role's
// trust and permission policies, the summary shown before the confirmation and the per-resource
// result. Never imports vscode; the commands (src/commands/writeCommands.ts) ask, this decides.
import type { CreateFlowLogsDone, CreateFlowLogsRequest, DeleteFlowLogsDone, UnsuccessfulItem } from '../shared/awsWorkerProtocol';
import { knownFlowLogFields } from '../shared/logFormat';
import { partitionOf } from '../shared/regions';
import { watchedResourceKind } from '../aws/resourceIds';

export const FLOW_LOGS_SERVICE_PRINCIPAL = 'vpc-flow-logs.amazonaws.com';
/** The record versions the format picker offers (AWS documents fields of versions 2 to 8 for VPC flow logs). */
export const MAX_PICKER_VERSION = 8;
/** CloudWatch Logs' retention values (days); undefined = never expire. */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
/** EC2 takes at most 1000 resource IDs per CreateFlowLogs request. */
export const MAX_RESOURCES_PER_REQUEST = 1000;
export const MAX_TAGS = 50;

export type ResourceType = CreateFlowLogsRequest['ResourceType'];
export type TrafficType = CreateFlowLogsRequest['TrafficType'];

export type DestinationChoice =
  | { kind: 'cloud-watch-logs'; logGroupName: string; roleArn: string; newGroup?: { retentionInDays?: number } }
  | { kind: 's3'; bucketArn: string; folder?: string; fileFormat: 'plain-text' | 'parquet'; hiveCompatible: boolean; perHour: boolean }
  | { kind: 'kinesis-data-firehose'; streamArn: string };

export type FormatChoice = { kind: 'default' } | { kind: 'all' } | { kind: 'custom'; fields: string[] };

export interface CreateChoices {
  resourceType: ResourceType;
  resourceIds: string[];
  traffic: TrafficType;
  destination: DestinationChoice;
  interval: 60 | 600;
  format: FormatChoice;
  /** Name tag (empty: none) and other tags. */
  name?: string;
  tags?: { Key: string; Value: string }[];
}

const RESOURCE_PREFIX: Record<ResourceType, string> = { VPC: 'vpc-', Subnet: 'subnet-', NetworkInterface: 'eni-' };

/** The resource type of an ID (vpc-, subnet-, eni-; the shapes of aws/resourceIds.ts), or undefined. */
export function resourceTypeOf(id: unknown): ResourceType | undefined {
  const kind = watchedResourceKind(id);
  return kind === 'vpc' ? 'VPC' : kind === 'subnet' ? 'Subnet' : kind === 'eni' ? 'NetworkInterface' : undefined;
}

/** The fields the picker offers, in AWS's order (version, then the documented order). */
export function pickerFields(): { name: string; version: number; description: string }[] {
  return knownFlowLogFields()
    .filter((f) => f.version <= MAX_PICKER_VERSION)
    .map((f) => ({ name: f.name, version: f.version, description: f.description }));
}

/** The LogFormat of a choice: undefined for AWS's default (the parameter is left out). */
export function logFormatOf(choice: FormatChoice): string | undefined {
  if (choice.kind === 'default') return undefined;
  const all = pickerFields().map((f) => f.name);
  const wanted = choice.kind === 'all' ? all : all.filter((f) => choice.fields.includes(f));
  return wanted.map((f) => '${' + f + '}').join(' ');
}

/** `arn:<partition>:s3:::bucket` (or with a folder) -> bucket and folder; undefined when it is not one. */
export function parseBucketArn(text: string): { partition: string; bucket: string; folder: string } | undefined {
  const m = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f):s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(
    text.trim(),
  );
  if (!m) return undefined;
  return { partition: m[1], bucket: m[2], folder: m[3] ?? '' };
}

function checkTag(key: string, value: string, problems: string[]): void {
  if (key.length < 1 || key.length > 128) problems.push(`Tag key "${key.slice(0, 40)}" must be 1 to 128 characters long.`);
  if (key.toLowerCase().startsWith('aws:')) problems.push(`Tag key "${key.slice(0, 40)}": keys starting with "aws:" are reserved.`);
  if (value.length > 256) problems.push(`Tag "${key.slice(0, 40)}": the value must be at most 256 characters long.`);
}

export type BuildResult = { ok: true; request: CreateFlowLogsRequest } | { ok: false; problems: string[] };

/**
 * The CreateFlowLogs request of the user's choices, or every problem found (the command shows them
 * and asks again; nothing is sent). `clientToken` makes the SDK's retries of one request safe.
 */
export function buildCreateRequest(choices: CreateChoices, clientToken: string): BuildResult {
  const problems: string[] = [];
  const ids = [...new Set(choices.resourceIds)];
  if (ids.length === 0) problems.push('Choose at least one resource.');
  if (ids.length > MAX_RESOURCES_PER_REQUEST)
    problems.push(`At most ${MAX_RESOURCES_PER_REQUEST} resources per request (${ids.length} chosen).`);
  const wrong = ids.filter((id) => resourceTypeOf(id) !== choices.resourceType);
  if (wrong.length)
    problems.push(
      `Not ${RESOURCE_PREFIX[choices.resourceType]}... IDs of one kind: ${wrong.slice(0, 3).join(', ')}${wrong.length > 3 ? ', ...' : ''}`,
    );
  if (!['ACCEPT', 'REJECT', 'ALL'].includes(choices.traffic)) problems.push('The traffic type is ACCEPT, REJECT or ALL.');
  if (choices.interval !== 60 && choices.interval !== 600) problems.push('The aggregation interval is 60 or 600 seconds.');
  const request: CreateFlowLogsRequest = {
    ResourceType: choices.resourceType,
    ResourceIds: ids,
    TrafficType: choices.traffic,
    LogDestinationType: choices.destination.kind,
    MaxAggregationInterval: choices.interval,
    Tags: [],
    ClientToken: clientToken,
  };
  const d = choices.destination;
  if (d.kind === 'cloud-watch-logs') {
    if (!/^[.\-_/#A-Za-z0-9]{1,512}$/.test(d.logGroupName))
      problems.push('A log group name is 1 to 512 characters: letters, digits and . - _ / #');
    if (!/^arn:[a-z-]+:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(d.roleArn))
      problems.push(
        'CloudWatch Logs needs an IAM role ARN (arn:aws:iam::<account>:role/<name>) that vpc-flow-logs.amazonaws.com may assume.',
      );
    if (d.newGroup?.retentionInDays !== undefined && !RETENTION_DAYS.includes(d.newGroup.retentionInDays))
      problems.push(`Retention is one of ${RETENTION_DAYS.join(', ')} days (or never expire).`);
    request.LogGroupName = d.logGroupName;
    request.DeliverLogsPermissionArn = d.roleArn;
  } else if (d.kind === 's3') {
    const arn = parseBucketArn(d.bucketArn);
    if (!arn) problems.push('An S3 destination is a bucket ARN: arn:aws:s3:::bucket-name');
    const folder = (d.folder ?? arn?.folder ?? '').replace(/^\/+|\/+$/g, '');
    if (/^AWSLogs(\/|$)/.test(folder)) problems.push('"AWSLogs" is reserved: it cannot be the folder name.');
    if (/[\u0000-\u001f\\]/.test(folder)) problems.push('The folder name has a control character or a backslash.');
    if (arn) request.LogDestination = `arn:${arn.partition}:s3:::${arn.bucket}${folder ? `/${folder}/` : ''}`;
    request.DestinationOptions = { FileFormat: d.fileFormat, HiveCompatiblePartitions: d.hiveCompatible, PerHourPartition: d.perHour };
  } else {
    if (!/^arn:[a-z-]+:firehose:[a-z0-9-]+:\d{12}:deliverystream\/[A-Za-z0-9_.-]{1,64}$/.test(d.streamArn))
      problems.push('A Firehose destination is a delivery stream ARN: arn:aws:firehose:<region>:<account>:deliverystream/<name>');
    request.LogDestination = d.streamArn;
  }
  const format = logFormatOf(choices.format);
  if (choices.format.kind === 'custom') {
    const known = new Set(pickerFields().map((f) => f.name));
    const unknown = choices.format.fields.filter((f) => !known.has(f));
    if (unknown.length) problems.push(`Unknown fields: ${unknown.join(', ')}`);
    if (!format) problems.push('Pick at least one field for a custom format.');
  }
  if (format !== undefined) request.LogFormat = format;
  const tags = [
    ...(choices.name ? [{ Key: 'Name', Value: choices.name }] : []),
    ...(choices.tags ?? []).filter((t) => t.Key !== 'Name' || !choices.name),
  ];
  const keys = new Set<string>();
  for (const t of tags) {
    checkTag(t.Key, t.Value, problems);
    if (keys.has(t.Key)) problems.push(`Tag key "${t.Key.slice(0, 40)}" is given twice.`);
    keys.add(t.Key);
  }
  if (tags.length > MAX_TAGS) problems.push(`At most ${MAX_TAGS} tags.`);
  request.Tags = tags;
  return problems.length ? { ok: false, problems } : { ok: true, request };
}

/** One word for a POSIX shell: bare when safe, else single-quoted ('\'' for a quote). */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:=@,+%-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The AWS CLI command that sends the same request (add --dry-run to try it). */
export function createFlowLogsCli(
  request: CreateFlowLogsRequest,
  opts: { profile?: string; region?: string; dryRun?: boolean } = {},
): string {
  const args: string[] = ['aws', 'ec2', 'create-flow-logs'];
  if (opts.profile) args.push('--profile', opts.profile);
  if (opts.region) args.push('--region', opts.region);
  if (opts.dryRun) args.push('--dry-run');
  args.push('--resource-type', request.ResourceType, '--resource-ids', ...request.ResourceIds, '--traffic-type', request.TrafficType);
  args.push('--log-destination-type', request.LogDestinationType);
  if (request.LogGroupName !== undefined) args.push('--log-group-name', request.LogGroupName);
  if (request.LogDestination !== undefined) args.push('--log-destination', request.LogDestination);
  if (request.DeliverLogsPermissionArn !== undefined) args.push('--deliver-logs-permission-arn', request.DeliverLogsPermissionArn);
  args.push('--max-aggregation-interval', String(request.MaxAggregationInterval));
  if (request.LogFormat !== undefined) args.push('--log-format', request.LogFormat);
  const o = request.DestinationOptions;
  if (o)
    args.push(
      '--destination-options',
      `FileFormat=${o.FileFormat},HiveCompatiblePartitions=${o.HiveCompatiblePartitions},PerHourPartition=${o.PerHourPartition}`,
    );
  if (request.Tags.length) args.push('--tag-specifications', JSON.stringify([{ ResourceType: 'vpc-flow-log', Tags: request.Tags }]));
  return args.map(shellQuote).join(' ');
}

/** The delete command line. */
export function deleteFlowLogsCli(flowLogIds: readonly string[], opts: { profile?: string; region?: string } = {}): string {
  const args = ['aws', 'ec2', 'delete-flow-logs'];
  if (opts.profile) args.push('--profile', opts.profile);
  if (opts.region) args.push('--region', opts.region);
  args.push('--flow-log-ids', ...flowLogIds);
  return args.map(shellQuote).join(' ');
}

/**
 * The trust policy of a delivery role: vpc-flow-logs.amazonaws.com may assume it, for flow logs of
 * this account only (the confused-deputy conditions AWS recommends).
 */
export function deliveryRoleTrustPolicy(accountId?: string, region?: string): string {
  const statement: Record<string, unknown> = {
    Effect: 'Allow',
    Principal: { Service: FLOW_LOGS_SERVICE_PRINCIPAL },
    Action: 'sts:AssumeRole',
  };
  if (accountId && /^\d{12}$/.test(accountId)) {
    const partition = region ? partitionOf(region) : 'aws';
    statement.Condition = {
      StringEquals: { 'aws:SourceAccount': accountId },
      ArnLike: { 'aws:SourceArn': `arn:${partition}:ec2:${region ?? '*'}:${accountId}:vpc-flow-log/*` },
    };
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 2);
}

/** The permission policy a delivery role needs to publish to CloudWatch Logs (as AWS documents it). */
export function deliveryRolePermissionPolicy(): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

/** The coverage rule's word on a traffic type (shown beside each choice). */
export function trafficAdvice(traffic: TrafficType): string {
  switch (traffic) {
    case 'ALL':
      return 'Meets the coverage rule (EC2.6 asks for REJECT or ALL) and records accepted traffic too.';
    case 'REJECT':
      return 'Meets the coverage rule (EC2.6 asks for REJECT or ALL); the cheapest that does.';
    default:
      return 'Does not meet the coverage rule: EC2.6 asks for REJECT or ALL (the VPC stays "Partly covered").';
  }
}

function destinationText(r: CreateFlowLogsRequest): string {
  if (r.LogDestinationType === 'cloud-watch-logs')
    return `CloudWatch Logs group ${r.LogGroupName}, delivered by role ${r.DeliverLogsPermissionArn}`;
  if (r.LogDestinationType === 's3') {
    const o = r.DestinationOptions;
    return `S3 ${r.LogDestination} (${o?.FileFormat === 'parquet' ? 'Parquet' : 'text'}${o?.HiveCompatiblePartitions ? ', Hive-compatible prefixes' : ''}${o?.PerHourPartition ? ', hourly partitions' : ''})`;
  }
  return `Firehose stream ${r.LogDestination}`;
}

/** What will be created, in lines (the confirmation's detail and the output channel). */
export function createSummary(
  r: CreateFlowLogsRequest,
  ctx: { profile: string; region: string; newLogGroup?: { retentionInDays?: number } },
): string[] {
  const n = r.ResourceIds.length;
  const kind = { VPC: 'VPC', Subnet: 'subnet', NetworkInterface: 'network interface' }[r.ResourceType];
  const lines = [
    `Create ${n} flow log${n === 1 ? '' : 's'} in ${ctx.region} (profile ${ctx.profile}), one per ${kind}: ${r.ResourceIds.slice(0, 20).join(', ')}${n > 20 ? `, ... (${n - 20} more)` : ''}`,
    `Traffic: ${r.TrafficType}. ${trafficAdvice(r.TrafficType)}`,
    `Destination: ${destinationText(r)}`,
  ];
  if (ctx.newLogGroup) {
    lines.push(
      `The log group is created first${ctx.newLogGroup.retentionInDays ? `, keeping records ${ctx.newLogGroup.retentionInDays} days` : ' (records never expire)'}.`,
    );
  }
  lines.push(`Aggregation interval: ${r.MaxAggregationInterval} seconds`);
  lines.push(`Record format: ${r.LogFormat === undefined ? "AWS's default (version 2 fields)" : r.LogFormat}`);
  if (r.Tags.length) lines.push(`Tags: ${r.Tags.map((t) => `${t.Key}=${t.Value}`).join(', ')}`);
  return lines;
}

export interface ResultLine {
  resourceId: string;
  ok: boolean;
  text: string;
}

/** The per-resource outcome of a CreateFlowLogs answer: created ones, then AWS's message for the others. */
export function createResultLines(request: CreateFlowLogsRequest, done: CreateFlowLogsDone): ResultLine[] {
  const failed = new Map<string, UnsuccessfulItem>(done.unsuccessful.map((u) => [u.resourceId, u]));
  const lines: ResultLine[] = [];
  let next = 0;
  for (const id of request.ResourceIds) {
    const f = failed.get(id);
    if (f) lines.push({ resourceId: id, ok: false, text: `${id}: not created: ${f.code}: ${f.message}` });
    else {
      // EC2 returns the created IDs in request order, leaving out the failed resources.
      const flowLogId = done.flowLogIds[next++];
      lines.push({ resourceId: id, ok: true, text: `${id}: created ${flowLogId ?? '(no ID returned)'}` });
    }
  }
  for (const u of done.unsuccessful)
    if (!request.ResourceIds.includes(u.resourceId))
      lines.push({ resourceId: u.resourceId, ok: false, text: `${u.resourceId}: ${u.code}: ${u.message}` });
  return lines;
}

export function deleteResultLines(flowLogIds: readonly string[], done: DeleteFlowLogsDone): ResultLine[] {
  const failed = new Map(done.unsuccessful.map((u) => [u.resourceId, u]));
  return flowLogIds.map((id) => {
    const f = failed.get(id);
    return f
      ? { resourceId: id, ok: false, text: `${id}: not deleted: ${f.code}: ${f.message}` }
      : { resourceId: id, ok: true, text: `${id}: deleted` };
  });
}

/** One line for a notification: "Created 11 of 12 flow logs; 1 failed (vpc-...: FlowLogAlreadyExists)". */
export function resultHeadline(verb: 'Created' | 'Deleted', lines: readonly ResultLine[]): string {
  const ok = lines.filter((l) => l.ok).length;
  const failed = lines.filter((l) => !l.ok);
  const noun = `flow log${lines.length === 1 ? '' : 's'}`;
  if (!failed.length) return `${verb} ${ok} ${noun}.`;
  const first = failed[0].text;
  return `${verb} ${ok} of ${lines.length} ${noun}; ${failed.length} failed (${first.length > 160 ? `${first.slice(0, 159)}…` : first}${failed.length > 1 ? '; see the output channel' : ''}).`;
}

/** The tag changes that turn `before` into `after`: keys to set (new or changed values) and keys to remove. */
export function tagChanges(
  before: readonly { Key?: string; Value?: string }[],
  after: readonly { Key: string; Value: string }[],
): { set: { Key: string; Value: string }[]; remove: string[] } {
  const old = new Map(before.filter((t) => typeof t.Key === 'string').map((t) => [t.Key!, t.Value ?? '']));
  const next = new Map(after.map((t) => [t.Key, t.Value]));
  return {
    set: [...next].filter(([k, v]) => old.get(k) !== v).map(([Key, Value]) => ({ Key, Value })),
    remove: [...old.keys()].filter((k) => !next.has(k) && !k.toLowerCase().startsWith('aws:')),
  };
}

/** Parses "key=value" (the Edit Tags input); the value may contain '='. */
export function parseTagInput(text: string): { Key: string; Value: string } | { problem: string } {
  const at = text.indexOf('=');
  const key = (at < 0 ? text : text.slice(0, at)).trim();
  const value = at < 0 ? '' : text.slice(at + 1).trim();
  const problems: string[] = [];
  checkTag(key, value, problems);
  return problems.length ? { problem: problems[0] } : { Key: key, Value: value };
}
