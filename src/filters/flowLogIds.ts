// Flow log ID lists: parsing what people paste.

import { isFlowLogId } from './filterDefinitions';

// Splitting ID lists into requests is the AWS side's job (it pages them); re-exported for callers here.
export { chunk, planQueries, MAX_FLOW_LOG_IDS_PER_REQUEST } from '../aws/flowLogQueries';

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
  const tokens = text
    .replace(DECORATION, ' ')
    .split(SEPARATORS)
    .filter((t) => t !== '');
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
