// What every node of the Flow Logs tree is, and what nodes need from the rest of the extension.
import * as vscode from 'vscode';
import type { FlowLogService } from '../aws/flowLogService';
import type { AwsProfile } from '../aws/profiles';
import type { FilterStore } from '../filters/filterStore';
import type { Logger } from '../aws/logger';

export type NodeKind =
  | 'profile'
  | 'region'
  | 'flowLog'
  | 'loadMore'
  | 'message'
  | 'error'
  | 'searchGroup'
  | 'coverageProfile'
  | 'coverageRegion'
  | 'coverageGroup'
  | 'vpc';

export interface TreeNode {
  /** What the node is (tests and commands check this rather than instanceof across bundles). */
  readonly kind: NodeKind;
  readonly id: string;
  readonly parent?: TreeNode;
  getTreeItem(): vscode.TreeItem;
  getChildren(): Promise<TreeNode[]> | TreeNode[];
}

/** A node whose children come a page at a time ("Load more…" asks it for the next page). */
export interface Pageable extends TreeNode {
  readonly loading: boolean;
  /** What the pages hold, for screen readers: "flow logs of prod us-east-1". */
  readonly pagedItemsLabel: string;
  loadMore(): Promise<unknown>;
}

/** Services the nodes use; built once in extension.ts. */
export interface TreeContext {
  service: FlowLogService;
  filters: FilterStore;
  logger: Logger;
  pageSize(): number;
  regionsFor(profile: AwsProfile): string[];
  /** Redraws a node (or the whole tree). */
  changed(node?: TreeNode): void;
  /** Whether the node was expanded before (restored after a window reload). */
  wasExpanded?(id: string): boolean;
  /** Shows progress in the view while a first page loads. */
  withViewProgress<T>(task: () => Promise<T>): Promise<T>;
  /** The plain-http endpoints to a host that is not this machine this profile would use (for its tooltip). */
  cleartextEndpoints?(profile: AwsProfile): string[];
  /** The profiles were (re)read: the AWS workers are told (a call names its profile only). */
  profilesRead?(profiles: readonly AwsProfile[]): void;
}
