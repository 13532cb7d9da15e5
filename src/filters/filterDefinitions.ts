// The eight DescribeFlowLogs filters (EC2 API 2016-11-15) and how to validate their values.
// Pure: no 'vscode' import, so the tree, the pickers and the tests share one source of truth.

import type { FlowLog } from '../shared/types';
import { FLOW_LOG_ID_PREFIX, ID_HEX_LENGTHS, WATCHED_RESOURCE_ID_PREFIXES } from '../aws/resourceIds';
import { hasControlChars } from '../shared/text';
import { patternCanMatchShape } from './wildcard';

// The ID shapes are the AWS side's (one definition for the filters, the ARNs and the console links).
export { FLOW_LOG_ID_PATTERN, isFlowLogId } from '../aws/resourceIds';

export type FilterKind =
  'deliver-log-status' | 'log-destination-type' | 'flow-log-id' | 'log-group-name' | 'resource-id' | 'traffic-type' | 'tag' | 'tag-key';

/** The members of a flow log that hold one string: the ones a filter can match. */
export type FlowLogTextField = { [K in keyof FlowLog]-?: NonNullable<FlowLog[K]> extends string ? K : never }[keyof FlowLog];

export interface EnumValue {
  readonly value: string;
  readonly description: string;
}

export interface FilterDefinition {
  readonly kind: FilterKind;
  /** The EC2 filter name; for `tag` it is the prefix `tag:` that the tag key follows. */
  readonly name: string;
  readonly label: string;
  /** One line, from the API documentation. */
  readonly description: string;
  /**
   * The flow log member the filter matches (EC2 compares each value with it); absent for the tag
   * filters, which match the Tags list. The pickers' suggestions and the local endpoint use it.
   */
  readonly field?: FlowLogTextField;
  /** True only for `tag:<key>`: the filter name carries a tag key. */
  readonly needsKey: boolean;
  /** Present for the enum filters: the only accepted values. */
  readonly enumValues?: readonly EnumValue[];
  /** Whether `*` and `?` are accepted (free-text filters only). */
  readonly allowsWildcards: boolean;
  /** An example value, for input-box placeholders. */
  readonly example: string;
  /** Checks one already-trimmed, non-empty value; returns a message or undefined. */
  readonly checkValue: (value: string) => string | undefined;
}

export const TAG_FILTER_PREFIX = 'tag:';
export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;
export const LOG_GROUP_NAME_MAX_LENGTH = 512;

const HEX = '0123456789abcdef';

/** Every literal ID shape for the given prefixes: prefix then 8 or 17 lowercase hex digits. */
function idShapes(prefixes: readonly string[]): string[][] {
  return prefixes.flatMap((prefix) => ID_HEX_LENGTHS.map((length) => [...Array.from(prefix), ...Array<string>(length).fill(HEX)]));
}

/** Checks an ID-like value that may use wildcards, against every allowed shape. */
function idChecker(what: string, prefixes: readonly string[]): (value: string) => string | undefined {
  const shapes = idShapes(prefixes);
  const expected = `${prefixes.join(' or ')} followed by 8 or 17 lowercase hex digits`;
  return (value) =>
    shapes.some((shape) => patternCanMatchShape(value, shape))
      ? undefined
      : `"${value}" is not a valid ${what}: expected ${expected} (wildcards * and ? allowed).`;
}

const LOG_GROUP_NAME_CHARS = /^[.\-_/#A-Za-z0-9*?]+$/;

function checkLogGroupName(value: string): string | undefined {
  if (value.length > LOG_GROUP_NAME_MAX_LENGTH) {
    return `Log group name is ${value.length} characters long; the maximum is ${LOG_GROUP_NAME_MAX_LENGTH}.`;
  }
  if (!LOG_GROUP_NAME_CHARS.test(value)) {
    return `"${value}" is not a valid log group name: use letters, digits and . - _ / # (wildcards * and ? allowed).`;
  }
  return undefined;
}

function checkText(what: string, value: string, maxLength: number): string | undefined {
  const length = Array.from(value).length;
  if (length > maxLength) return `${what} is ${length} characters long; the maximum is ${maxLength}.`;
  // Control characters never appear in tags and usually mean a bad paste.
  if (hasControlChars(value)) return `${what} "${value}" contains control characters.`;
  return undefined;
}

/** Validates a tag key (the `<key>` in `tag:<key>`, or a `tag-key` value). */
export function validateTagKey(key: string): string | undefined {
  if (key.trim() === '') return 'A tag key cannot be empty or only spaces.';
  return checkText('Tag key', key.trim(), TAG_KEY_MAX_LENGTH);
}

function enumChecker(label: string, values: readonly EnumValue[]): (value: string) => string | undefined {
  const allowed = values.map((v) => v.value);
  return (value) => (allowed.includes(value) ? undefined : `"${value}" is not a valid ${label}: use one of ${allowed.join(', ')}.`);
}

const DELIVER_LOG_STATUS_VALUES: readonly EnumValue[] = [
  { value: 'SUCCESS', description: 'Logs are being delivered' },
  { value: 'FAILED', description: 'Log delivery is failing' },
];
const LOG_DESTINATION_TYPE_VALUES: readonly EnumValue[] = [
  { value: 'cloud-watch-logs', description: 'CloudWatch Logs log group' },
  { value: 's3', description: 'Amazon S3 bucket' },
  { value: 'kinesis-data-firehose', description: 'Kinesis Data Firehose delivery stream' },
];
const TRAFFIC_TYPE_VALUES: readonly EnumValue[] = [
  { value: 'ACCEPT', description: 'Accepted traffic only' },
  { value: 'REJECT', description: 'Rejected traffic only' },
  { value: 'ALL', description: 'Accepted and rejected traffic' },
];

export const FILTER_DEFINITIONS: readonly FilterDefinition[] = [
  {
    kind: 'deliver-log-status',
    name: 'deliver-log-status',
    field: 'DeliverLogsStatus',
    label: 'Delivery status',
    description: 'The status of the logs delivery (SUCCESS | FAILED).',
    needsKey: false,
    enumValues: DELIVER_LOG_STATUS_VALUES,
    allowsWildcards: false,
    example: 'FAILED',
    checkValue: enumChecker('delivery status', DELIVER_LOG_STATUS_VALUES),
  },
  {
    kind: 'log-destination-type',
    name: 'log-destination-type',
    field: 'LogDestinationType',
    label: 'Destination type',
    description: 'The type of destination for the flow log data (cloud-watch-logs | s3 | kinesis-data-firehose).',
    needsKey: false,
    enumValues: LOG_DESTINATION_TYPE_VALUES,
    allowsWildcards: false,
    example: 's3',
    checkValue: enumChecker('destination type', LOG_DESTINATION_TYPE_VALUES),
  },
  {
    kind: 'flow-log-id',
    name: 'flow-log-id',
    field: 'FlowLogId',
    label: 'Flow log ID',
    description: 'The ID of the flow log.',
    needsKey: false,
    allowsWildcards: true,
    example: 'fl-0123456789abcdef0',
    checkValue: idChecker('flow log ID', [FLOW_LOG_ID_PREFIX]),
  },
  {
    kind: 'log-group-name',
    name: 'log-group-name',
    field: 'LogGroupName',
    label: 'Log group name',
    description: 'The name of the log group.',
    needsKey: false,
    allowsWildcards: true,
    example: '/vpc/flow-logs/*',
    checkValue: checkLogGroupName,
  },
  {
    kind: 'resource-id',
    name: 'resource-id',
    field: 'ResourceId',
    label: 'Resource ID',
    description: 'The ID of the VPC, subnet, or network interface.',
    needsKey: false,
    allowsWildcards: true,
    example: 'vpc-0123456789abcdef0',
    // Transit gateways and their attachments have flow logs too (Filter by This Resource offers them).
    checkValue: idChecker('resource ID', WATCHED_RESOURCE_ID_PREFIXES),
  },
  {
    kind: 'traffic-type',
    name: 'traffic-type',
    field: 'TrafficType',
    label: 'Traffic type',
    description: 'The type of traffic (ACCEPT | REJECT | ALL).',
    needsKey: false,
    enumValues: TRAFFIC_TYPE_VALUES,
    allowsWildcards: false,
    example: 'REJECT',
    checkValue: enumChecker('traffic type', TRAFFIC_TYPE_VALUES),
  },
  {
    kind: 'tag',
    name: TAG_FILTER_PREFIX,
    label: 'Tag (key = value)',
    description: 'The key/value combination of a tag assigned to the resource: tag:<key> with the tag value as the value.',
    needsKey: true,
    allowsWildcards: true,
    example: 'prod',
    checkValue: (value) => checkText('Tag value', value, TAG_VALUE_MAX_LENGTH),
  },
  {
    kind: 'tag-key',
    name: 'tag-key',
    label: 'Tag key',
    description: 'The key of a tag assigned to the resource, regardless of the tag value.',
    needsKey: false,
    allowsWildcards: true,
    example: 'Owner',
    checkValue: (value) => checkText('Tag key', value, TAG_KEY_MAX_LENGTH),
  },
];

export const FILTER_NAMES: readonly string[] = FILTER_DEFINITIONS.map((d) => (d.needsKey ? `${d.name}<key>` : d.name));

/** The definition of each filter that matches one flow log member, by filter name. */
export const FIELD_FILTERS: ReadonlyMap<string, FilterDefinition & { readonly field: FlowLogTextField }> = new Map(
  FILTER_DEFINITIONS.flatMap((d) => (d.field ? [[d.name, { ...d, field: d.field }] as const] : [])),
);

/** `tag:<key>` for a key (trimmed). */
export function tagFilterName(key: string): string {
  return `${TAG_FILTER_PREFIX}${key.trim()}`;
}

/** The tag key of a `tag:<key>` filter name, or undefined for any other name. */
export function tagKeyOf(filterName: string): string | undefined {
  return filterName.startsWith(TAG_FILTER_PREFIX) ? filterName.slice(TAG_FILTER_PREFIX.length) : undefined;
}

/** The definition for a filter name (`tag:env` finds the tag definition); names are case-sensitive, as in EC2. */
export function findFilterDefinition(filterName: string): FilterDefinition | undefined {
  if (tagKeyOf(filterName) !== undefined) return FILTER_DEFINITIONS.find((d) => d.kind === 'tag');
  return FILTER_DEFINITIONS.find((d) => d.name === filterName);
}

/** Trims the name; for `tag:` names, trims the key too (`tag: env ` becomes `tag:env`). */
export function normalizeFilterName(filterName: string): string {
  const name = filterName.trim();
  const key = tagKeyOf(name);
  return key === undefined ? name : tagFilterName(key);
}

/** Validates a filter name: known, and for `tag:<key>` a valid key. */
export function validateFilterName(filterName: string): string | undefined {
  const name = normalizeFilterName(filterName);
  if (name === '') return 'A filter needs a name.';
  const key = tagKeyOf(name);
  if (key !== undefined) {
    const problem = validateTagKey(key);
    return problem && `Filter "${name}" needs a tag key after "tag:". ${problem}`;
  }
  if (!findFilterDefinition(name)) {
    return `Unknown filter "${name}". Known filters: ${FILTER_NAMES.join(', ')}.`;
  }
  return undefined;
}

/** Trims a value; enum values are matched case-insensitively and given their canonical spelling. */
export function normalizeFilterValue(definition: FilterDefinition | undefined, value: string): string {
  const trimmed = value.trim();
  const canonical = definition?.enumValues?.find((e) => e.value.toLowerCase() === trimmed.toLowerCase());
  return canonical ? canonical.value : trimmed;
}

/** Validates one value for a filter name (the value is trimmed first); returns a message or undefined. */
export function validateFilterValue(filterName: string, value: string): string | undefined {
  const name = normalizeFilterName(filterName);
  const definition = findFilterDefinition(name);
  if (!definition) return validateFilterName(name) ?? `Unknown filter "${name}".`;
  if (value.trim() === '') return `A value for ${name} cannot be empty or only spaces.`;
  return definition.checkValue(normalizeFilterValue(definition, value));
}

/**
 * Text typed in a multi-select list of enum values (the Add Filter value step), read as VS Code's
 * own multi-select quick picks read Enter: every word (spaces or commas between them) that names a
 * value, or begins exactly one, in any case, is that value; `unknown` holds the words that name none.
 */
export function enumValuesTyped(definition: Pick<FilterDefinition, 'enumValues'>, typed: string): { values: string[]; unknown: string[] } {
  const values: string[] = [];
  const unknown: string[] = [];
  for (const word of typed.split(/[\s,]+/).filter(Boolean)) {
    const w = word.toLowerCase();
    const prefixed = definition.enumValues?.filter((e) => e.value.toLowerCase().startsWith(w)) ?? [];
    // The whole value, or the start of exactly one value ("rej" is REJECT; "a" is ambiguous: ACCEPT or ALL).
    const match = prefixed.find((e) => e.value.toLowerCase() === w) ?? (prefixed.length === 1 ? prefixed[0] : undefined);
    if (!match) unknown.push(word);
    else if (!values.includes(match.value)) values.push(match.value);
  }
  return { values, unknown };
}
