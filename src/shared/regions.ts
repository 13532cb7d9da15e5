// The regions the extension knows by name, per partition.
// Names follow the AWS SDK's own partitions table (@aws-sdk/core util-endpoints).
// Pure: never imports vscode.

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-iso' | 'aws-iso-b' | 'aws-iso-e' | 'aws-iso-f' | 'aws-eusc';

export const PARTITIONS: readonly Partition[] = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
];

export interface RegionInfo {
  readonly id: string;
  readonly name: string;
  readonly partition: Partition;
  /** True for regions an account must enable before use (every region launched after March 2019). */
  readonly optIn: boolean;
}

function region(id: string, name: string, partition: Partition, optIn = false): RegionInfo {
  return Object.freeze({ id, name, partition, optIn });
}

export const REGIONS: readonly RegionInfo[] = Object.freeze([
  // aws (commercial)
  region('us-east-1', 'US East (N. Virginia)', 'aws'),
  region('us-east-2', 'US East (Ohio)', 'aws'),
  region('us-west-1', 'US West (N. California)', 'aws'),
  region('us-west-2', 'US West (Oregon)', 'aws'),
  region('af-south-1', 'Africa (Cape Town)', 'aws', true),
  region('ap-east-1', 'Asia Pacific (Hong Kong)', 'aws', true),
  region('ap-east-2', 'Asia Pacific (Taipei)', 'aws', true),
  region('ap-south-1', 'Asia Pacific (Mumbai)', 'aws'),
  region('ap-south-2', 'Asia Pacific (Hyderabad)', 'aws', true),
  region('ap-northeast-1', 'Asia Pacific (Tokyo)', 'aws'),
  region('ap-northeast-2', 'Asia Pacific (Seoul)', 'aws'),
  region('ap-northeast-3', 'Asia Pacific (Osaka)', 'aws'),
  region('ap-southeast-1', 'Asia Pacific (Singapore)', 'aws'),
  region('ap-southeast-2', 'Asia Pacific (Sydney)', 'aws'),
  region('ap-southeast-3', 'Asia Pacific (Jakarta)', 'aws', true),
  region('ap-southeast-4', 'Asia Pacific (Melbourne)', 'aws', true),
  region('ap-southeast-5', 'Asia Pacific (Malaysia)', 'aws', true),
  region('ap-southeast-6', 'Asia Pacific (New Zealand)', 'aws', true),
  region('ap-southeast-7', 'Asia Pacific (Thailand)', 'aws', true),
  region('ca-central-1', 'Canada (Central)', 'aws'),
  region('ca-west-1', 'Canada West (Calgary)', 'aws', true),
  region('eu-central-1', 'Europe (Frankfurt)', 'aws'),
  region('eu-central-2', 'Europe (Zurich)', 'aws', true),
  region('eu-north-1', 'Europe (Stockholm)', 'aws'),
  region('eu-south-1', 'Europe (Milan)', 'aws', true),
  region('eu-south-2', 'Europe (Spain)', 'aws', true),
  region('eu-west-1', 'Europe (Ireland)', 'aws'),
  region('eu-west-2', 'Europe (London)', 'aws'),
  region('eu-west-3', 'Europe (Paris)', 'aws'),
  region('il-central-1', 'Israel (Tel Aviv)', 'aws', true),
  region('me-central-1', 'Middle East (UAE)', 'aws', true),
  region('me-south-1', 'Middle East (Bahrain)', 'aws', true),
  region('me-west-1', 'Middle East (Saudi Arabia)', 'aws', true),
  region('mx-central-1', 'Mexico (Central)', 'aws', true),
  region('sa-east-1', 'South America (São Paulo)', 'aws'),
  region('sa-west-1', 'South America (Chile)', 'aws', true),
  // aws-cn
  region('cn-north-1', 'China (Beijing)', 'aws-cn'),
  region('cn-northwest-1', 'China (Ningxia)', 'aws-cn'),
  // aws-us-gov
  region('us-gov-east-1', 'AWS GovCloud (US-East)', 'aws-us-gov'),
  region('us-gov-west-1', 'AWS GovCloud (US-West)', 'aws-us-gov'),
  // isolated partitions
  region('us-iso-east-1', 'US ISO East', 'aws-iso'),
  region('us-iso-west-1', 'US ISO West', 'aws-iso'),
  region('us-isob-east-1', 'US ISOB East (Ohio)', 'aws-iso-b'),
  region('us-isob-west-1', 'US ISOB West', 'aws-iso-b'),
  region('eu-isoe-west-1', 'EU ISOE West', 'aws-iso-e'),
  region('us-isof-east-1', 'US ISOF East', 'aws-iso-f'),
  region('us-isof-south-1', 'US ISOF South', 'aws-iso-f'),
  // aws-eusc
  region('eusc-de-east-1', 'AWS European Sovereign Cloud (Germany)', 'aws-eusc'),
]);

// Longest prefixes first so 'us-isob-' wins over 'us-iso-'.
const PARTITION_PREFIXES: ReadonlyArray<readonly [string, Partition]> = [
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-iso-', 'aws-iso'],
  ['us-gov-', 'aws-us-gov'],
  ['eusc-', 'aws-eusc'],
  ['cn-', 'aws-cn'],
];

/**
 * The region used where a profile names none: for its STS client and identity call, and for the
 * partition Select Regions lists. US East (N. Virginia), where the commercial partition's global
 * endpoints are.
 */
export const FALLBACK_REGION = 'us-east-1';

/**
 * The key of one (profile, region) pair in a Map or a Set: the two names joined by a NUL, which
 * neither a profile name nor a region can hold, so no two pairs share a key.
 */
export function regionKey(profile: string, region: string): string {
  return `${profile}\u0000${region}`;
}

/** The profile of a `regionKey`; a key that is only a profile name is returned as it is. */
export function profileOfKey(key: string): string {
  const nul = key.indexOf('\u0000');
  return nul < 0 ? key : key.slice(0, nul);
}

/** The partition a region belongs to, by its prefix; anything unrecognised is commercial 'aws'. */
export function partitionOf(regionId: string): Partition {
  const id = typeof regionId === 'string' ? regionId.trim().toLowerCase() : '';
  for (const [prefix, partition] of PARTITION_PREFIXES) {
    if (id.startsWith(prefix)) return partition;
  }
  return 'aws';
}

export function isPartition(value: unknown): value is Partition {
  return typeof value === 'string' && (PARTITIONS as readonly string[]).includes(value);
}

export function regionsOfPartition(partition: Partition): RegionInfo[] {
  return REGIONS.filter((r) => r.partition === partition);
}

const BY_ID = new Map(REGIONS.map((r) => [r.id, r] as const));

export function regionInfo(regionId: string): RegionInfo | undefined {
  return typeof regionId === 'string' ? BY_ID.get(regionId) : undefined;
}

/** "Europe (Ireland)" for a known region, the id itself otherwise. */
export function regionName(regionId: string): string {
  return regionInfo(regionId)?.name ?? String(regionId ?? '');
}

/** One row of "Select Regions…". */
export interface RegionChoice {
  id: string;
  name: string;
  /** Why the region may not answer, when it may not. */
  note?: string;
  picked: boolean;
}

/**
 * The regions offered for a profile: every region of its partition, opt-in ones marked (not
 * hidden) with what DescribeRegions said of the account (`optIn`: region -> opt-in status), or, when
 * that is unknown, that they must be enabled; plus regions shown now that the table does not know.
 */
export function regionChoices(
  partition: Partition,
  current: ReadonlySet<string>,
  optIn?: ReadonlyMap<string, string | undefined>,
): RegionChoice[] {
  const known = regionsOfPartition(partition);
  const noteOf = (r: RegionInfo): string | undefined => {
    const status = optIn?.get(r.id);
    if (status === 'not-opted-in') return 'Not enabled for this account (opt-in region): enable it in the account settings first';
    if (status === 'opted-in') return 'Opt-in region, enabled for this account';
    // "Not listed" only when DescribeRegions really left it out, not for another status.
    if (r.optIn && optIn?.has(r.id)) return `Opt-in region (DescribeRegions says ${status ?? 'no status'})`;
    if (r.optIn) return optIn ? 'Opt-in region: not listed by DescribeRegions' : 'Opt-in region: answers only if enabled for the account';
    return undefined;
  };
  const choices: RegionChoice[] = known.map((r) => ({ id: r.id, name: r.name, note: noteOf(r), picked: current.has(r.id) }));
  // Regions DescribeRegions knows and the table does not (newer ones), and regions shown now.
  const extra = new Set([...(optIn?.keys() ?? []), ...current].filter((id) => !known.some((r) => r.id === id)));
  for (const id of extra) {
    const status = optIn?.get(id);
    choices.push({
      id,
      name: status ? 'listed by DescribeRegions' : 'not in the built-in region list',
      note: status === 'not-opted-in' ? 'Not enabled for this account (opt-in region)' : undefined,
      picked: current.has(id),
    });
  }
  return choices;
}
