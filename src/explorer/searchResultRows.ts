// How Search All Regions' results are laid out (pure, no vscode): the summary line, one row per
// failed profile when its credentials failed everywhere (the main tree shows one error too), one
// row per account for its regions that failed the same way (kind and code: 17 denied regions are
// one row), errors first, then regions with the most matches.
import { isProfileError } from '../shared/errors';
import type { SearchGroup } from '../aws/searchAllRegions';

export interface ResultRow<P> {
  profileName: string;
  /** The regions this row stands for (one, or all of a profile whose credentials failed). */
  groups: SearchGroup<P>[];
  /** True when the row stands for every region searched for its profile ("all 17 regions"). */
  allRegions?: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function searchSummary(groups: SearchGroup<unknown>[]): string {
  const cancelled = groups.filter((g) => g.error?.kind === 'aborted').length;
  const failed = groups.filter((g) => g.error && g.error.kind !== 'aborted').length;
  const found = groups.reduce((n, g) => n + (g.error?.kind === 'aborted' ? 0 : g.flowLogs.length), 0);
  const searched = groups.length - cancelled; // a failed region was searched: it answered an error
  const head = cancelled
    ? `Search cancelled: ${searched} of ${plural(groups.length, 'region')} searched`
    : `${plural(searched, 'region')} searched`;
  return `${head}: ${plural(found, 'flow log')}${failed ? `, ${failed} failed` : ''}`;
}

export function resultRows<P>(groups: SearchGroup<P>[]): ResultRow<P>[] {
  const shown = groups.filter((g) => g.error?.kind !== 'aborted' && (g.flowLogs.length || g.error));
  const rows: ResultRow<P>[] = [];
  const byProfile = new Map<string, SearchGroup<P>[]>();
  for (const g of shown) byProfile.set(g.profileName, [...(byProfile.get(g.profileName) ?? []), g]);
  for (const [profileName, list] of byProfile) {
    const first = list[0].error;
    const sameProfileError =
      list.length > 1 &&
      first &&
      isProfileError(first) &&
      list.every((g) => g.error?.kind === first.kind && g.error.message === first.message && g.flowLogs.length === 0);
    if (sameProfileError) {
      rows.push({ profileName, groups: list, allRegions: true });
      continue;
    }
    // Regions of one account that failed the same way (denied in 17 regions): one row for them.
    const failedAlike = new Map<string, SearchGroup<P>[]>();
    for (const g of list) {
      if (g.error && g.flowLogs.length === 0) {
        const key = `${g.error.kind}\n${g.error.code ?? ''}`;
        failedAlike.set(key, [...(failedAlike.get(key) ?? []), g]);
      } else rows.push({ profileName, groups: [g] });
    }
    for (const same of failedAlike.values())
      rows.push({ profileName, groups: same, ...(same.length === list.length ? { allRegions: true } : {}) });
  }
  const failed = (r: ResultRow<P>) => r.groups.some((g) => g.error);
  const count = (r: ResultRow<P>) => r.groups.reduce((n, g) => n + g.flowLogs.length, 0);
  return rows.sort((a, b) => Number(failed(b)) - Number(failed(a)) || count(b) - count(a));
}
