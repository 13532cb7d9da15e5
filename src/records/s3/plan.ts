// Which ListObjectsV2 requests a time range needs: one per UTC day (daily layouts) or hour
// (per-hour layouts) that can hold files of the range, each narrowed to this flow log's file names
// (the prefix ends with "{account}_vpcflowlogs_{region}_{flow-log-id}_") and started after the
// range's first file time (start-after), so no request ever lists a whole bucket or another flow
// log's files. Pure: never imports vscode.
import { fileNameStem, fileTime, folderFor, parseObjectKey, type ObjectName, type S3Location } from './layout';

/**
 * A record can be in a file named up to this long after its start: the aggregation interval
 * (at most 10 minutes), the 5-minute publishing and some delivery delay. Files are named after
 * their records start, so nothing earlier than the range start is needed.
 */
export const LATE_MS = 20 * 60_000;
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** About three months of per-hour folders; longer ranges are refused with a message. */
export const MAX_LIST_STEPS = 24 * 93;

export interface ListStep {
  /** The folder and this flow log's file-name stem. */
  prefix: string;
  /** Keys after this only (the range's first file time in this folder). */
  startAfter?: string;
  /** Keys from this on are past the range: stop listing there. */
  endAt: string;
}

export interface ListingPlan {
  bucket: string;
  steps: ListStep[];
  /** File times (ms) to keep: [fileFrom, fileTo). */
  fileFrom: number;
  fileTo: number;
}

export type PlanResult = ListingPlan | { problem: string };

/**
 * The listings for records whose time is in [fromMs, toMs), oldest folder first, or newest
 * first when `order` is 'newest'.
 */
export function planListing(loc: S3Location, fromMs: number, toMs: number, order: 'oldest' | 'newest' = 'oldest'): PlanResult {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) return { problem: 'the time range is not valid' };
  if (toMs <= fromMs) return { problem: 'the time range ends before it starts' };
  const fileFrom = Math.floor(fromMs / 60_000) * 60_000;
  const fileTo = Math.ceil((toMs + LATE_MS) / 60_000) * 60_000; // file names have whole minutes
  const unit = loc.perHour ? HOUR_MS : DAY_MS;
  const first = Math.floor(fileFrom / unit) * unit; // UTC: no daylight saving time in the folders
  const count = Math.ceil((fileTo - first) / unit);
  if (count > MAX_LIST_STEPS)
    return { problem: `the time range needs ${count} listings (more than ${MAX_LIST_STEPS}); choose a shorter range` };
  const stem = fileNameStem(loc);
  const steps: ListStep[] = [];
  for (let t = first; t < fileTo; t += unit) {
    const prefix = folderFor(loc, t) + stem;
    const step: ListStep = { prefix, endAt: prefix + fileTime(fileTo) };
    // "..._{fileFrom}" sorts before "..._{fileFrom}Z_hash" and after every earlier file time.
    if (fileFrom > t) step.startAfter = prefix + fileTime(fileFrom);
    steps.push(step);
  }
  if (order === 'newest') steps.reverse();
  return { bucket: loc.bucket, steps, fileFrom, fileTo };
}

/** The keys of a listing that are this flow log's files within the plan's file times. */
export function selectObjects(loc: S3Location, plan: ListingPlan, keys: readonly string[]): { key: string; name: ObjectName }[] {
  const out: { key: string; name: ObjectName }[] = [];
  for (const key of keys) {
    const name = parseObjectKey(key);
    if (!name || name.flowLogId !== loc.flowLogId || name.accountId !== loc.accountId || name.region !== loc.region) continue;
    if (name.time < plan.fileFrom || name.time >= plan.fileTo) continue;
    out.push({ key, name });
  }
  return out;
}

/** Whether a listing may stop: its last key is at or past the step's end. */
export function listingDone(step: ListStep, lastKey: string | undefined): boolean {
  return lastKey !== undefined && lastKey >= step.endAt;
}
