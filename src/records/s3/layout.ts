// Where an S3 flow log's files are and how they are named (VPC user guide, "Flow log files"):
//   bucket[/prefix/]AWSLogs/{account}/vpcflowlogs/{region}/{yyyy}/{mm}/{dd}/[{hh}/]
//   bucket[/prefix/]AWSLogs/aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/year={yyyy}/month={mm}/day={dd}/[hour={hh}/]
//   file: {account}_vpcflowlogs_{region}_{flow-log-id}_{yyyymmddThhmmZ}_{hash}.log.gz | .parquet
// Folders and file times are UTC. Pure: never imports vscode.
import type { FlowLog } from '../../shared/types';
import { isRegionId } from '../../aws/arn';
import { isAccountId, isFlowLogId } from '../../aws/resourceIds';

export type S3FileFormat = 'plain-text' | 'parquet';

export interface S3Location {
  bucket: string;
  /** The optional folder from LogDestination, "" or ending in "/". */
  prefix: string;
  accountId: string;
  region: string;
  flowLogId: string;
  hive: boolean;
  perHour: boolean;
  format: S3FileFormat;
}

export type LocationProblem = { problem: string };

/** Bucket and folder of an s3 LogDestination ("arn:aws:s3:::bucket/folder/"). */
export function parseS3Arn(arn: string | undefined): { bucket: string; prefix: string } | undefined {
  const m = /^arn:[a-z0-9-]+:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(typeof arn === 'string' ? arn.trim() : '');
  if (!m) return undefined;
  const folder = (m[2] ?? '').replace(/^\/+/, '');
  return { bucket: m[1], prefix: folder === '' ? '' : folder.endsWith('/') ? folder : `${folder}/` };
}

/** The S3 location of a flow log in `region` owned by `accountId`, or why there is none. */
export function s3Location(flowLog: FlowLog, accountId: string, region: string): S3Location | LocationProblem {
  if (flowLog.LogDestinationType !== 's3')
    return { problem: `the flow log delivers to ${flowLog.LogDestinationType ?? 'an unknown destination'}, not S3` };
  const dest = parseS3Arn(flowLog.LogDestination);
  if (!dest) return { problem: `the destination "${String(flowLog.LogDestination ?? '').slice(0, 200)}" is not an S3 bucket ARN` };
  if (!isAccountId(accountId)) return { problem: 'the account ID of the profile is not known yet (STS GetCallerIdentity)' };
  if (!isRegionId(region)) return { problem: `"${region}" is not a region` };
  const id = flowLog.FlowLogId ?? '';
  if (!isFlowLogId(id)) return { problem: `"${id}" is not a flow log ID` };
  const o = flowLog.DestinationOptions ?? {};
  return {
    ...dest,
    accountId,
    region,
    flowLogId: id,
    hive: o.HiveCompatiblePartitions === true,
    perHour: o.PerHourPartition === true,
    format: o.FileFormat === 'parquet' ? 'parquet' : 'plain-text',
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The folder for the UTC day (daily layouts) or hour (per-hour layouts) containing `ms`. */
export function folderFor(loc: S3Location, ms: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = pad(d.getUTCMonth() + 1);
  const day = pad(d.getUTCDate());
  const h = pad(d.getUTCHours());
  const root = loc.hive
    ? `${loc.prefix}AWSLogs/aws-account-id=${loc.accountId}/aws-service=vpcflowlogs/aws-region=${loc.region}/year=${y}/month=${m}/day=${day}/`
    : `${loc.prefix}AWSLogs/${loc.accountId}/vpcflowlogs/${loc.region}/${y}/${m}/${day}/`;
  if (!loc.perHour) return root;
  return loc.hive ? `${root}hour=${h}/` : `${root}${h}/`;
}

/** The start of a file name for this flow log: every one of its files in a folder starts so. */
export function fileNameStem(loc: S3Location): string {
  return `${loc.accountId}_vpcflowlogs_${loc.region}_${loc.flowLogId}_`;
}

/** yyyymmddThhmm in UTC (the file time without its "Z"). */
export function fileTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
}

export interface ObjectName {
  accountId: string;
  region: string;
  flowLogId: string;
  /** The time in the name (ms, UTC, minute precision). */
  time: number;
  hash: string;
  format: S3FileFormat;
}

const NAME =
  /(?:^|\/)(\d{12})_vpcflowlogs_([a-z0-9-]+)_(fl-[0-9a-f]+)_(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)Z_([0-9a-zA-Z]+)\.(log\.gz|parquet)$/;

/** Reads a flow log file's key; undefined when the key is not a flow log file. */
export function parseObjectKey(key: string): ObjectName | undefined {
  const m = NAME.exec(key);
  if (!m) return undefined;
  const [, accountId, region, flowLogId, y, mo, d, h, mi, hash, ext] = m;
  const time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  const check = new Date(time);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59) return undefined;
  return { accountId, region, flowLogId, time, hash, format: ext === 'parquet' ? 'parquet' : 'plain-text' };
}
