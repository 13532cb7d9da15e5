// What a command may be handed. VS Code passes the focused tree element (and the selection) to
// view-title buttons, the clicked node (and the selection) to context menus, nothing from the
// palette; a keybinding or another extension can pass anything. Commands take only what they
// understand from these helpers and otherwise act as from the palette.
import { ProfileNode } from '../tree/profileNode';
import { RegionNode } from '../tree/regionNode';
import { FlowLogNode } from '../tree/flowLogNode';
import { LoadMoreNode } from '../tree/loadMoreNode';
import { MessageNode } from '../tree/messageNode';
import { SearchGroupNode } from '../tree/searchResultsProvider';
import type { TreeNode } from '../tree/treeNode';
import type { FlowLogFilter } from '../filters/filterSet';

/** One of this extension's own tree nodes (not a look-alike object). */
export function isOwnNode(x: unknown): x is TreeNode {
  return (
    x instanceof ProfileNode ||
    x instanceof RegionNode ||
    x instanceof FlowLogNode ||
    x instanceof LoadMoreNode ||
    x instanceof MessageNode ||
    x instanceof SearchGroupNode
  );
}

export function stringArg(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

export function stringListArg(x: unknown): string[] | undefined {
  return Array.isArray(x) && x.every((v) => typeof v === 'string') ? x : undefined;
}

/** A plain `{ name, values }` filter given by a caller (never a tree node). */
export function filterArg(x: unknown): FlowLogFilter | undefined {
  if (typeof x !== 'object' || x === null || isOwnNode(x)) return undefined;
  const { name, values } = x as { name?: unknown; values?: unknown };
  const list = stringListArg(values);
  return typeof name === 'string' && list ? { name, values: [...list] } : undefined;
}

/** The profile a node belongs to (the node itself, or up its parents); only for our own nodes. */
export function profileNodeOf(x: unknown): ProfileNode | undefined {
  let n: TreeNode | undefined = isOwnNode(x) ? x : undefined;
  for (let depth = 0; n && depth < 4; depth++) {
    if (n instanceof ProfileNode) return n;
    n = n.parent;
  }
  return undefined;
}

/** The region a node belongs to (a region, its Load more… row, a flow log or an error in it). */
export function regionNodeOf(x: unknown): RegionNode | undefined {
  let n: TreeNode | undefined = isOwnNode(x) ? x : undefined;
  for (let depth = 0; n && depth < 3; depth++) {
    if (n instanceof RegionNode) return n;
    n = n.parent;
  }
  return undefined;
}
