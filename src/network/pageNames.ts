// The records page's address names (issue 27 item 2): the small name map the records panel posts
// to its page for the addresses (and interface IDs) in view, and the shape of what the page may ask.
// Pure: never imports vscode. Console links through networkConsoleUrl / resourceConsoleUrl (built on
// regionalConsoleBase of aws/arn.ts); the page never builds or receives a URL, it asks the panel
// to open a resource by its ID.
import { resourceConsoleUrl } from '../aws/arn';
import type { ResolveResult } from './resolver';
import { networkConsoleUrl } from './resolver';
import type { AddressName } from './owners';

// The shapes the records page is told and may ask (its protocol, src/webviews/records/protocol.ts).
export { MAX_NAME_ADDRESSES, isNameableAddress, type PageName } from '../webviews/records/protocol';
import { isNameableAddress, MAX_NAME_ADDRESSES, type PageName } from '../webviews/records/protocol';

/** An ID the page may ask the panel to open in the console; undefined when it has no console page. */
export function resourcePageUrl(region: string, id: unknown): string | undefined {
  if (typeof id !== 'string' || id.length > 64) return undefined;
  if (/^subnet-[0-9a-f]{8,17}$/.test(id) || /^vpc-[0-9a-f]{8,17}$/.test(id)) return resourceConsoleUrl(region, id);
  return networkConsoleUrl(region, id);
}

function pageName(region: string, n: AddressName): PageName {
  const out: PageName = { label: n.label, kind: n.kind };
  if (n.interfaceId) out.interfaceId = n.interfaceId;
  if (n.instanceId) out.instanceId = n.instanceId;
  if (n.resource) out.resource = n.resource;
  if (n.subnetId) out.subnetId = n.subnetId;
  if (n.vpcId) out.vpcId = n.vpcId;
  if (n.groups?.length)
    out.groups = n.groups.slice(0, 20).map((g) => (g.GroupName ? `${g.GroupId ?? '?'} (${g.GroupName})` : (g.GroupId ?? '?')));
  if (n.interfaceAddresses?.length) out.addresses = n.interfaceAddresses.filter(isNameableAddress).slice(0, 20);
  const openable = [n.instanceId, n.interfaceId, n.resource, n.subnetId].filter(
    (id, i, all): id is string => !!id && all.indexOf(id) === i && resourcePageUrl(region, id) !== undefined,
  );
  if (openable.length) out.openable = openable;
  return out;
}

/**
 * The map posted to the page: only the addresses it asked for (at most MAX_NAME_ADDRESSES), each
 * named as a PageName; an object without a prototype so no address can reach Object's members.
 */
export function buildNameMap(region: string, asked: readonly string[], result: Pick<ResolveResult, 'names'>): Record<string, PageName> {
  const map = Object.create(null) as Record<string, PageName>;
  for (const a of asked.slice(0, MAX_NAME_ADDRESSES)) {
    const n = result.names.get(a);
    if (n) map[a] = pageName(region, n);
  }
  return map;
}
