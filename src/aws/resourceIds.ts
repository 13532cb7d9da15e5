// The shapes of the AWS identifiers the extension checks, written once: flow log IDs, the IDs of
// the resources a flow log can watch, and account IDs. Pure: never imports vscode.
//
// An EC2 resource ID is a prefix (`fl-`, `vpc-`, ...) and then 8 lowercase hex digits (the short
// IDs of resources made before 2018) or 17 (the long IDs EC2 gives every resource since).

/** The number of hex digits after the prefix: short (older) IDs and long ones. */
export const ID_HEX_LENGTHS = [8, 17] as const;

const HEX_PART = '(?:[0-9a-f]{8}|[0-9a-f]{17})';

export const FLOW_LOG_ID_PREFIX = 'fl-';

/** An exact flow log ID (as FlowLogIds takes it; no wildcards). */
export const FLOW_LOG_ID_PATTERN = /^fl-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export function isFlowLogId(value: unknown): value is string {
  return typeof value === 'string' && FLOW_LOG_ID_PATTERN.test(value);
}

/** What a flow log can watch: a VPC, a subnet, a network interface, a transit gateway or one of its attachments. */
export type WatchedResourceKind = 'vpc' | 'subnet' | 'eni' | 'tgw' | 'tgw-attach';

/** The ID prefixes of those resources, in the order messages list them. */
export const WATCHED_RESOURCE_ID_PREFIXES: readonly `${WatchedResourceKind}-`[] = ['vpc-', 'subnet-', 'eni-', 'tgw-', 'tgw-attach-'];

// 'tgw-attach' is tried before 'tgw' (a hex digit is never a letter of "attach", so either order
// finds the right one; the longer first says so).
const WATCHED_RESOURCE_ID_RE = new RegExp(`^(vpc|subnet|eni|tgw-attach|tgw)-${HEX_PART}$`);

/** The kind of resource an exact ID names, or undefined when it is not one a flow log can watch. */
export function watchedResourceKind(value: unknown): WatchedResourceKind | undefined {
  if (typeof value !== 'string') return undefined;
  const match = WATCHED_RESOURCE_ID_RE.exec(value);
  return match ? (match[1] as WatchedResourceKind) : undefined;
}

const ACCOUNT_ID_RE = /^\d{12}$/;

/** A 12-digit AWS account ID. */
export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ID_RE.test(value);
}
