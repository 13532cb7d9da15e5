// Flow log ID lists: parsing what people paste, and splitting long lists into
// requests EC2 accepts (FlowLogIds takes at most 1000 IDs per call).

import type { FlowLogQuery } from '../aws/types';
import { isFlowLogId } from './filterDefinitions';

export const MAX_FLOW_LOG_IDS_PER_REQUEST = 1000;

export interface ParsedFlowLogIds {
  /** Valid IDs, each once, in the order first seen. */
  readonly ids: string[];
  /** Tokens that are not flow log IDs, each once, in the order first seen. */
  readonly invalid: string[];
  /** How many valid IDs were repeats of one already seen. */
  readonly duplicates: number;
}

// Quotes and brackets are dropped so a JSON array or CLI output (`"fl-1", "fl-2"`) can be pasted.
const DECORATION = /["'`[\](){}]/g;
const SEPARATORS = /[\s,;]+/;

/** Splits on commas, semicolons, spaces and new lines; ignores quotes and brackets. */
export function parseFlowLogIdList(text: string): ParsedFlowLogIds {
  const tokens = text.replace(DECORATION, ' ').split(SEPARATORS).filter((t) => t !== '');
  const ids = new Set<string>();
  const invalid = new Set<string>();
  let duplicates = 0;
  for (const token of tokens) {
    if (!isFlowLogId(token)) invalid.add(token);
    else if (ids.has(token)) duplicates++;
    else ids.add(token);
  }
  return { ids: [...ids], invalid: [...invalid], duplicates };
}

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
