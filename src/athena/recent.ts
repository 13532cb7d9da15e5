// The recent Athena queries, kept across sessions in the extension's global state: the SQL and
// where it ran (profile name, region, workgroup, database, output location), never a credential.
// Pure: never imports vscode. The stored list is read back as untrusted data (another version of
// the extension, or a hand edit, may have written it).

export interface RecentAthenaQuery {
  readonly title: string;
  readonly sql: string;
  readonly profile: string;
  readonly region: string;
  readonly workGroup: string;
  readonly database: string;
  readonly outputLocation?: string;
  /** When it ran (epoch ms). */
  readonly at: number;
}

export const MAX_RECENT = 20;
/** A query longer than this is not kept (Athena's own limit on a query string is 256 KB). */
export const MAX_RECENT_SQL = 262_144;

const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** One stored entry, or undefined when it is not one. */
export function recentEntry(raw: unknown): RecentAthenaQuery | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  if (!text(o.title, 500) || !text(o.sql, MAX_RECENT_SQL) || !text(o.profile, 256) || !text(o.region, 64)) return undefined;
  if (!text(o.workGroup, 128) || !text(o.database, 255)) return undefined;
  if (o.outputLocation !== undefined && !text(o.outputLocation, 1024)) return undefined;
  if (typeof o.at !== 'number' || !Number.isFinite(o.at)) return undefined;
  return {
    title: o.title,
    sql: o.sql,
    profile: o.profile,
    region: o.region,
    workGroup: o.workGroup,
    database: o.database,
    ...(o.outputLocation !== undefined ? { outputLocation: o.outputLocation as string } : {}),
    at: o.at,
  };
}

/** The stored list, its valid entries only, newest first, at most MAX_RECENT. */
export function readRecent(raw: unknown): RecentAthenaQuery[] {
  if (!Array.isArray(raw)) return [];
  const out: RecentAthenaQuery[] = [];
  for (const r of raw.slice(0, 10 * MAX_RECENT)) {
    const e = recentEntry(r);
    if (e) out.push(e);
    if (out.length === MAX_RECENT) break;
  }
  return out;
}

const sameQuery = (a: RecentAthenaQuery, b: RecentAthenaQuery) =>
  a.sql.trim() === b.sql.trim() && a.profile === b.profile && a.region === b.region && a.workGroup === b.workGroup;

/** The list with `entry` first: the same SQL where it ran before moves up, the oldest beyond MAX_RECENT go. */
export function addRecent(raw: unknown, entry: RecentAthenaQuery): RecentAthenaQuery[] {
  const e = recentEntry(entry);
  const list = readRecent(raw);
  if (!e) return list;
  return [e, ...list.filter((r) => !sameQuery(r, e))].slice(0, MAX_RECENT);
}

/** The words of the recent-queries picker's row. */
export function recentDescription(r: RecentAthenaQuery, now: number): string {
  const minutes = Math.max(0, Math.round((now - r.at) / 60_000));
  const ago =
    minutes < 60 ? `${minutes} min ago` : minutes < 2880 ? `${Math.round(minutes / 60)} h ago` : `${Math.round(minutes / 1440)} days ago`;
  return `${r.profile} · ${r.region} · ${r.workGroup} · ${ago}`;
}
