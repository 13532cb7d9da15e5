// Values to offer in filter pickers, taken from flow logs already loaded, so people pick
// real resource IDs, log groups and tags instead of typing them.

import type { FlowLog } from '../shared/types';
import { FIELD_FILTERS, tagKeyOf } from './filterDefinitions';
import { matchesWildcard } from './wildcard';

export const DEFAULT_SUGGESTION_LIMIT = 200;

export interface Suggestion {
  readonly value: string;
  /** How many flow logs have this value. */
  readonly count: number;
}

export interface FlowLogSuggestions {
  readonly resourceIds: Suggestion[];
  readonly logGroupNames: Suggestion[];
  readonly flowLogIds: Suggestion[];
  readonly tagKeys: Suggestion[];
}

type ValuesOf = (flowLog: FlowLog) => Array<string | undefined>;

/** Counts each value once per flow log; most common first, then by value; at most `limit`. */
function countValues(flowLogs: readonly FlowLog[], valuesOf: ValuesOf, limit: number): Suggestion[] {
  const counts = new Map<string, number>();
  for (const flowLog of flowLogs) {
    for (const value of new Set(valuesOf(flowLog))) {
      // Empty values cannot be filtered on (filter values must not be empty).
      if (value !== undefined && value.trim() !== '') counts.set(value, (counts.get(value) ?? 0) + 1);
    }
  }
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, Math.max(0, limit));
}

const tagKeys: ValuesOf = (f) => (f.Tags ?? []).map((t) => t.Key);

/** Resource IDs, log group names, flow log IDs and tag keys seen in the loaded flow logs. */
export function collectSuggestions(flowLogs: readonly FlowLog[], limit = DEFAULT_SUGGESTION_LIMIT): FlowLogSuggestions {
  return {
    resourceIds: countValues(flowLogs, (f) => [f.ResourceId], limit),
    logGroupNames: countValues(flowLogs, (f) => [f.LogGroupName], limit),
    flowLogIds: countValues(flowLogs, (f) => [f.FlowLogId], limit),
    tagKeys: countValues(flowLogs, tagKeys, limit),
  };
}

/** Values of the tag with this exact (case-sensitive) key. */
export function suggestTagValues(flowLogs: readonly FlowLog[], key: string, limit = DEFAULT_SUGGESTION_LIMIT): Suggestion[] {
  return countValues(flowLogs, (f) => (f.Tags ?? []).filter((t) => t.Key === key).map((t) => t.Value), limit);
}

// A Map, not an object literal, so names like `toString` find nothing.
// The filters on one flow log member offer that member's values (the definitions' field column).
const VALUES_BY_FILTER: ReadonlyMap<string, ValuesOf> = new Map<string, ValuesOf>([
  ...[...FIELD_FILTERS].map(([name, { field }]): [string, ValuesOf] => [name, (f) => [f[field]]]),
  ['tag-key', tagKeys],
]);

/** Suggestions for any filter name, `tag:<key>` included; none for an unknown name. */
export function suggestionsForFilter(flowLogs: readonly FlowLog[], filterName: string, limit = DEFAULT_SUGGESTION_LIMIT): Suggestion[] {
  const key = tagKeyOf(filterName);
  if (key !== undefined) return suggestTagValues(flowLogs, key, limit);
  const valuesOf = VALUES_BY_FILTER.get(filterName);
  return valuesOf ? countValues(flowLogs, valuesOf, limit) : [];
}

/** The suggestions a wildcard pattern (as typed into a filter) would match. */
export function suggestionsMatching(suggestions: readonly Suggestion[], pattern: string): Suggestion[] {
  return suggestions.filter((s) => matchesWildcard(pattern, s.value));
}
