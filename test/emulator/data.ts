// Deterministic flow-log data: the same (seed, account, region, index) always gives the same
// flow log, so a region of N items is a prefix of the same region with more items.
import type { FlowLog, Tag } from '../../src/shared/types';
import { Random } from './prng';

export interface GenerateOptions {
  seed: number;
  accountId: string;
  region: string;
  count: number;
  /** Add hostile tags (HTML, quotes, RTL override, 256-char values) to every 97th item. */
  hostile?: boolean;
}

export const DEFAULT_LOG_FORMAT =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

const CUSTOM_LOG_FORMATS = [
  '${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${action} ${log-status}',
  '${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${bytes} ${packets} ${start} ${end} ${action}',
  '${version} ${account-id} ${region} ${az-id} ${sublocation-type} ${sublocation-id} ${pkt-src-aws-service} ${pkt-dst-aws-service} ${flow-direction} ${traffic-path}',
];

export const DELIVERY_ERROR_MESSAGES = ['Rate limited', 'Access error', 'Unknown error'] as const;

const ENVS = ['prod', 'staging', 'dev'] as const;
const TEAMS = ['network', 'platform', 'security', 'payments', 'data', 'edge'];
const OWNERS = ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com'];
const SYSTEMS = ['web', 'api', 'batch', 'vpn', 'db', 'shared', 'ingress', 'egress', 'analytics'];

/** Every 97th item (offset 5, so small regions get one too) carries hostile tags. */
export const HOSTILE_EVERY = 97;
export const HOSTILE_OFFSET = 5;

/** Year-2018 start; creation times spread over ~6 years after it (deterministic, not Date.now()). */
const EPOCH_START_MS = Date.UTC(2018, 0, 1);
const SPREAD_MS = 6 * 365 * 24 * 3600 * 1000;

/** The ARN partition of a region, as AWS assigns it. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  return 'aws';
}

/** Another account ID (12 digits, != accountId) used for cross-account delivery roles. */
function otherAccount(random: Random, accountId: string): string {
  let id = accountId;
  while (id === accountId) id = String(random.int(100000000000, 999999999999));
  return id;
}

export function hostileTags(index: number): Tag[] {
  const longValue = `L${index}-` + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.repeat(8);
  return [
    { Key: 'Name', Value: `<img src=x onerror=alert(1)> hostile #${index}` },
    { Key: 'script', Value: '</script><script>alert(1)</script>' },
    { Key: 'quotes', Value: `"double" 'single' \`back\` & &amp; &lt;not-an-entity&gt; ]]> <![CDATA[x]]>` },
    { Key: 'long', Value: longValue.slice(0, 256) },
    { Key: 'unicode', Value: 'Grüße 日本語 😀 \u202Egnp.exe\u202C end' },
    { Key: 'cost center: a/b', Value: '  leading and trailing spaces  ' },
    { Key: 'aws:cloudformation:stack-name', Value: 'tab\there\r\nnewline "x" \'y\'' },
    { Key: 'html-attr"><svg onload=alert(1)>', Value: '${jndi:ldap://x} {{7*7}} %s %n' },
  ];
}

function uniqueHex(random: Random, used: Set<string>): string {
  for (;;) {
    const hex = random.hex(17);
    if (!used.has(hex)) {
      used.add(hex);
      return hex;
    }
  }
}

function makeTags(random: Random, index: number, hostile: boolean): Tag[] {
  const tags: Tag[] = [];
  const env = random.pick(ENVS);
  const system = random.pick(SYSTEMS);
  if (random.chance(0.9)) tags.push({ Key: 'Name', Value: `${env}-${system}-flow-logs-${index}` });
  if (random.chance(0.85)) tags.push({ Key: 'env', Value: env });
  if (random.chance(0.6)) tags.push({ Key: 'team', Value: random.pick(TEAMS) });
  if (random.chance(0.4)) tags.push({ Key: 'Owner', Value: random.pick(OWNERS) });
  if (!hostile) return tags;
  // Hostile tags replace the Name so the label itself is hostile.
  return [...tags.filter((t) => t.Key !== 'Name'), ...hostileTags(index)];
}

/** One flow log; `used` keeps generated hex IDs unique within a region. */
function makeFlowLog(opts: GenerateOptions, index: number, used: Set<string>): FlowLog {
  const { seed, accountId, region } = opts;
  const random = Random.fromKey(`${seed}|${accountId}|${region}|${index}`);
  const partition = partitionOf(region);
  const hostile = (opts.hostile ?? true) && index % HOSTILE_EVERY === HOSTILE_OFFSET;

  const resourcePrefix = random.pick(['vpc', 'vpc', 'subnet', 'eni']);
  const flowLog: FlowLog = {
    CreationTime: new Date(EPOCH_START_MS + Math.floor(random.next() * SPREAD_MS)),
    FlowLogId: `fl-${uniqueHex(random, used)}`,
    FlowLogStatus: 'ACTIVE',
    DeliverLogsStatus: 'SUCCESS',
    ResourceId: `${resourcePrefix}-${random.hex(17)}`,
    TrafficType: random.pick(['ALL', 'ALL', 'ACCEPT', 'REJECT']),
    LogFormat: random.chance(0.7) ? DEFAULT_LOG_FORMAT : random.pick(CUSTOM_LOG_FORMATS),
    MaxAggregationInterval: random.chance(0.75) ? 600 : 60,
  };
  if (random.chance(0.05)) {
    flowLog.DeliverLogsStatus = 'FAILED';
    flowLog.DeliverLogsErrorMessage = random.pick(DELIVERY_ERROR_MESSAGES);
  }

  const destination = random.next();
  const env = random.pick(ENVS);
  if (destination < 0.5) {
    const groupName = random.chance(0.5) ? `/aws/vpc/flowlogs/${env}-${index}` : `vpc-flow-logs-${env}-${random.hex(6)}`;
    flowLog.LogDestinationType = 'cloud-watch-logs';
    flowLog.LogGroupName = groupName;
    flowLog.LogDestination = `arn:${partition}:logs:${region}:${accountId}:log-group:${groupName}`;
    flowLog.DeliverLogsPermissionArn = `arn:${partition}:iam::${accountId}:role/flow-logs-delivery-${env}`;
  } else if (destination < 0.85) {
    const bucket = `flow-logs-${accountId}-${region}-${env}`;
    flowLog.LogDestinationType = 's3';
    flowLog.LogDestination = random.chance(0.4)
      ? `arn:${partition}:s3:::${bucket}/${random.pick(SYSTEMS)}/${random.hex(4)}/`
      : `arn:${partition}:s3:::${bucket}`;
    // Layout and format follow the index, so every combination is there (test/emulator/s3/ serves
    // their objects); the three draws stay so that the rest of the data does not change.
    random.next();
    random.next();
    random.next();
    flowLog.DestinationOptions = {
      FileFormat: index % 2 === 1 ? 'parquet' : 'plain-text',
      HiveCompatiblePartitions: (index >> 1) % 2 === 1,
      PerHourPartition: (index >> 2) % 2 === 1,
    };
  } else {
    flowLog.LogDestinationType = 'kinesis-data-firehose';
    flowLog.LogDestination = `arn:${partition}:firehose:${region}:${accountId}:deliverystream/flow-logs-${env}-${random.hex(6)}`;
    if (random.chance(0.4)) {
      // Delivery to a stream in another account: EC2 reports both roles.
      const other = otherAccount(random, accountId);
      flowLog.LogDestination = `arn:${partition}:firehose:${region}:${other}:deliverystream/central-flow-logs-${env}`;
      flowLog.DeliverLogsPermissionArn = `arn:${partition}:iam::${accountId}:role/flow-logs-firehose-source`;
      flowLog.DeliverCrossAccountRole = `arn:${partition}:iam::${other}:role/flow-logs-firehose-destination`;
    }
  }
  flowLog.Tags = makeTags(random, index, hostile);
  return flowLog;
}

/** Generates `count` flow logs for one (account, region); deterministic for the same options. */
export function generateFlowLogs(opts: GenerateOptions): FlowLog[] {
  if (!Number.isInteger(opts.count) || opts.count < 0) throw new Error(`count must be a non-negative integer, got ${opts.count}`);
  const used = new Set<string>();
  const out: FlowLog[] = new Array(opts.count);
  for (let i = 0; i < opts.count; i++) out[i] = makeFlowLog(opts, i, used);
  return out;
}
