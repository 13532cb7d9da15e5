// What every node of the Flow Logs tree is, and what nodes need from the rest of the extension.
// Nodes are views: a key into the explorer model (src/explorer/) and a getTreeItem(); they hold
// nothing that outlives a Refresh.
import * as vscode from 'vscode';
import type { AwsProfile } from '../shared/profiles';
import type { ExplorerModel } from '../explorer/explorerModel';
import type { RegionListing } from '../explorer/regionListing';
import type { FilterStore } from '../filters/filterStore';
import type { SsoDirectory } from '../explorer/ssoDirectory';

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
  | 'vpc'
  | 'ssoSession';

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

/** The key of a profile's state in the model: a node made for an older generation is stale. */
export interface ProfileKey {
  readonly profile: AwsProfile;
  readonly generation: number;
}

/** What the nodes use; built once in services.ts. */
export interface TreeContext {
  explorer: ExplorerModel;
  filters: FilterStore;
  /** The node drawn for a region listing (the provider keeps one per region and generation). */
  regionNode(parent: TreeNode & ProfileKey, listing: RegionListing): TreeNode;
  /** Whether the node was expanded before (restored after a window reload). */
  wasExpanded?(id: string): boolean;
  /** Shows progress in the view while a first page loads. */
  withViewProgress<T>(task: () => Promise<T>): Promise<T>;
  /** The plain-http endpoints to a host that is not this machine this profile would use (for its tooltip). */
  cleartextEndpoints?(profile: AwsProfile): string[];
  /** The SSO sessions and the accounts found through them (SSO session nodes at the root). */
  sso?: SsoDirectory;
}
