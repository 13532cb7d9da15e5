// Names for the rows of an analysis (issue 27): the addresses and interface IDs of an Insights
// answer (top talkers, rejected sources, per-interface rows) named with the address resolver, in
// each (profile, region) the analysis queried. Only names that say something are kept: an
// interface's owner, an AWS service, a VPC of the region (not "public" or "private range").
import type { ResultTable } from '../shared/insightsResults';
import type { AddressName } from './owners';
import type { AddressResolver } from './resolver';

/** The addresses and eni- IDs in the first `maxRows` rows: address columns and interface columns. */
export function tableAddresses(table: Pick<ResultTable, 'columns' | 'rows'>, maxRows = 500): string[] {
  const cols = table.columns
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.type === 'address' || /interface/i.test(c.field))
    .map(({ i }) => i);
  const out = new Set<string>();
  for (const row of table.rows.slice(0, maxRows)) {
    for (const i of cols) {
      const v = row[i];
      if (typeof v === 'string' && v && v !== '-') out.add(v);
    }
  }
  return [...out];
}

const SAYS_SOMETHING: ReadonlySet<AddressName['kind']> = new Set(['public', 'private'] as const);

/** The label of each address worth showing beside it. */
export function shownNames(names: ReadonlyMap<string, AddressName>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [address, n] of names) if (!SAYS_SOMETHING.has(n.kind) && !/not found/.test(n.label)) out[address] = n.label;
  return out;
}

/** Names the table's addresses in every (profile, region) queried; the first that knows one wins. */
export async function nameTable(
  resolver: AddressResolver,
  places: readonly { profile: string; region: string }[],
  table: Pick<ResultTable, 'columns' | 'rows'>,
  signal?: AbortSignal,
): Promise<{ names: Record<string, string>; requests: number }> {
  const addresses = tableAddresses(table);
  const names: Record<string, string> = {};
  let requests = 0;
  if (addresses.length === 0) return { names, requests };
  const seen = new Set<string>();
  for (const p of places) {
    const key = `${p.profile}\u0000${p.region}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const wanted = addresses.filter((a) => !(a in names));
    if (wanted.length === 0) break;
    const r = await resolver.resolveAddresses(p.profile, p.region, wanted, { signal });
    requests += r.requests;
    for (const [a, label] of Object.entries(shownNames(r.names))) names[a] ??= label;
  }
  return { names, requests };
}
