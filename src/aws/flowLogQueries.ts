// The DescribeFlowLogs calls a query needs: EC2 takes at most 1000 FlowLogIds per call, so long
// ID lists are split into requests of 1000 with the same filters (the pager merges their pages).
import type { FlowLogQuery } from '../shared/types';

export const MAX_FLOW_LOG_IDS_PER_REQUEST = 1000;

/** Consecutive slices of at most `size` items (none for an empty list). */
export function chunk<T>(items: readonly T[], size = MAX_FLOW_LOG_IDS_PER_REQUEST): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/**
 * The DescribeFlowLogs calls needed for a query: one per `maxIds` flow log IDs, each with the same
 * filters. Without IDs (absent or empty list) it is the query itself, with no FlowLogIds.
 */
export function planQueries(query: FlowLogQuery, maxIds = MAX_FLOW_LOG_IDS_PER_REQUEST): FlowLogQuery[] {
  const copyFilters = () => query.filters.map((f) => ({ Name: f.Name, Values: [...f.Values] }));
  const ids = [...new Set(query.flowLogIds ?? [])];
  if (ids.length === 0) return [{ filters: copyFilters() }];
  return chunk(ids, maxIds).map((part) => ({ filters: copyFilters(), flowLogIds: part }));
}
