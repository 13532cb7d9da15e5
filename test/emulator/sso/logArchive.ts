// A central log-archive account, as organisations set one up: some flow logs of every other account
// deliver to ITS S3 bucket and ITS CloudWatch Logs group. The bucket and the group belong to the
// archive account: the flow log's own account (its profile) is denied (S3 AccessDenied; a log group
// ARN of another account: AccessDeniedException; by name, the group does not exist in the owner's
// account: ResourceNotFoundException), and the archive account's role reads them.
import type { FlowLog } from '../../../src/shared/types';
import { partitionOf } from '../data';

export interface LogArchiveOptions {
  /** The archive account (an EmulatorAccount of the emulator). */
  accountId: string;
  bucket: string;
  /** The central log groups are named `${logGroupPrefix}/${sourceAccountId}`. */
  logGroupPrefix: string;
  /** Region of the bucket. */
  region: string;
  /** Every Nth flow log (by index, from 0) of each other account delivers to the archive; default 4. */
  every?: number;
  /** Only these accounts deliver to the archive; default every other account. */
  sources?: string[];
}

/** Points every Nth flow log of a source account at the archive (in place). */
export function deliverToArchive(archive: LogArchiveOptions, accountId: string, region: string, logs: FlowLog[]): void {
  if (accountId === archive.accountId) return;
  if (archive.sources && !archive.sources.includes(accountId)) return;
  const every = archive.every ?? 4;
  const partition = partitionOf(region);
  logs.forEach((f, i) => {
    if (i % every !== 0) return;
    if (f.LogDestinationType === 's3') {
      f.LogDestination = `arn:${partition}:s3:::${archive.bucket}`;
    } else if (f.LogDestinationType === 'cloud-watch-logs') {
      const group = `${archive.logGroupPrefix}/${accountId}`;
      f.LogGroupName = group;
      f.LogDestination = `arn:${partition}:logs:${region}:${archive.accountId}:log-group:${group}`;
    }
  });
}

/** The account that owns a flow log's CloudWatch Logs destination (its ARN), else the flow log's own. */
export function logsDestinationAccount(f: FlowLog, ownAccountId: string): string {
  const m = /^arn:[^:]+:logs:[^:]*:(\d{12}):log-group:/.exec(f.LogDestination ?? '');
  return m ? m[1] : ownAccountId;
}
