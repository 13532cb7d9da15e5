// DescribeFlowLogs input: the EC2 Query form fields, and the filter semantics EC2 applies to them
// (values of one filter OR'd, filters AND'd, `*` and `?` wildcards matching the whole value).
import type { Ec2Filter, FlowLog } from '../../src/shared/types';
import { FIELD_FILTERS, FILTER_DEFINITIONS } from '../../src/filters/filterDefinitions';
import { ApiError, invalidParameterValue } from './errors';

export interface DescribeFlowLogsParams {
  filters: Ec2Filter[];
  /** Undefined when the request named no IDs. */
  flowLogIds?: string[];
  /** Undefined = no paging: every match in one response, as an unpaginated EC2 call returns. */
  maxResults?: number;
  nextToken?: string;
  dryRun: boolean;
}

export const MAX_FLOW_LOG_IDS = 1000;
export const MIN_MAX_RESULTS = 5;
export const MAX_MAX_RESULTS = 1000;

/** The DescribeFlowLogs filter names, `tag:<key>` aside (the extension's filter definitions are EC2's). */
export const FILTER_NAMES: readonly string[] = FILTER_DEFINITIONS.filter((d) => !d.needsKey).map((d) => d.name);

/** Parameters any EC2 Query request may carry besides the action's own. */
const COMMON_PARAMS = new Set(['Action', 'Version']);

function unknownParameter(name: string): ApiError {
  return new ApiError(400, 'UnknownParameter', `The parameter ${name} is not recognized`);
}

function indexed<T>(map: Map<number, T>, index: string, make: () => T): T {
  const n = Number(index);
  let entry = map.get(n);
  if (entry === undefined) {
    entry = make();
    map.set(n, entry);
  }
  return entry;
}

function sortedValues<T>(map: Map<number, T>): T[] {
  return [...map.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

interface FilterParts {
  name?: string;
  values: Map<number, string>;
}
const newFilterParts = (): FilterParts => ({ values: new Map() });

/** Parses the form body of a DescribeFlowLogs request; throws ApiError for bad input. */
export function parseDescribeFlowLogsParams(form: URLSearchParams): DescribeFlowLogsParams {
  const filters = new Map<number, FilterParts>();
  const ids = new Map<number, string>();
  const params: DescribeFlowLogsParams = { filters: [], dryRun: false };
  let match: RegExpExecArray | null;
  for (const [key, value] of form) {
    if (COMMON_PARAMS.has(key)) continue;
    if ((match = /^Filter\.([1-9]\d{0,3})\.Name$/.exec(key))) {
      indexed(filters, match[1], newFilterParts).name = value;
    } else if ((match = /^Filter\.([1-9]\d{0,3})\.Value\.([1-9]\d{0,3})$/.exec(key))) {
      indexed(filters, match[1], newFilterParts).values.set(Number(match[2]), value);
    } else if ((match = /^FlowLogId\.([1-9]\d{0,5})$/.exec(key))) {
      ids.set(Number(match[1]), value);
    } else if (key === 'MaxResults') {
      if (!/^-?\d+$/.test(value)) throw invalidParameterValue(`Invalid value '${value}' for MaxResults: it must be an integer`);
      params.maxResults = Number(value);
    } else if (key === 'NextToken') {
      params.nextToken = value;
    } else if (key === 'DryRun') {
      if (value !== 'true' && value !== 'false') throw invalidParameterValue(`Invalid value '${value}' for DryRun: expected true or false`);
      params.dryRun = value === 'true';
    } else {
      throw unknownParameter(key);
    }
  }
  for (const [index, filter] of [...filters.entries()].sort((a, b) => a[0] - b[0])) {
    if (filter.name === undefined)
      throw new ApiError(400, 'MissingParameter', `The request must contain the parameter Filter.${index}.Name`);
    if (filter.values.size === 0) throw invalidParameterValue(`The filter '${filter.name}' must have at least one value`);
    params.filters.push({ Name: filter.name, Values: sortedValues(filter.values) });
  }
  if (ids.size > 0) params.flowLogIds = sortedValues(ids);
  validateParams(params);
  return params;
}

export function validateParams(params: DescribeFlowLogsParams): void {
  for (const filter of params.filters) {
    if (!isKnownFilterName(filter.Name)) throw invalidParameterValue(`The filter '${filter.Name}' is invalid`);
  }
  if (params.flowLogIds && params.flowLogIds.length > MAX_FLOW_LOG_IDS) {
    throw invalidParameterValue(`The request contains ${params.flowLogIds.length} flow log IDs; the maximum is ${MAX_FLOW_LOG_IDS}`);
  }
  const max = params.maxResults;
  if (max !== undefined && (!Number.isInteger(max) || max < MIN_MAX_RESULTS || max > MAX_MAX_RESULTS)) {
    throw invalidParameterValue(
      `Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between ${MIN_MAX_RESULTS} and ${MAX_MAX_RESULTS}.`,
    );
  }
}

function isKnownFilterName(name: string): boolean {
  return FILTER_NAMES.includes(name) || (name.startsWith('tag:') && name.length > 4);
}

/**
 * EC2's wildcard values: `*` is any run of characters, `?` exactly one, a backslash escapes the
 * next character. The whole value must match; case-sensitive.
 */
export function wildcardToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]);
    else if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 'u');
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

type Predicate = (log: FlowLog) => boolean;

function anyMatches(patterns: RegExp[], value: string | undefined): boolean {
  return value !== undefined && patterns.some((p) => p.test(value));
}

function compileFilter(filter: Ec2Filter): Predicate {
  const patterns = filter.Values.map(wildcardToRegExp);
  if (filter.Name === 'tag-key') return (log) => (log.Tags ?? []).some((t) => anyMatches(patterns, t.Key));
  if (filter.Name.startsWith('tag:')) {
    const key = filter.Name.slice(4);
    return (log) => (log.Tags ?? []).some((t) => t.Key === key && anyMatches(patterns, t.Value));
  }
  const field = FIELD_FILTERS.get(filter.Name)?.field;
  if (field === undefined) throw invalidParameterValue(`The filter '${filter.Name}' is invalid`);
  return (log) => anyMatches(patterns, log[field] as string | undefined);
}

/** One predicate for the whole query: every filter must match, and the ID list if given. */
export function compileQuery(filters: readonly Ec2Filter[], flowLogIds?: readonly string[]): Predicate {
  const predicates = filters.map(compileFilter);
  if (flowLogIds !== undefined) {
    const wanted = new Set(flowLogIds);
    predicates.push((log) => log.FlowLogId !== undefined && wanted.has(log.FlowLogId));
  }
  return (log) => predicates.every((p) => p(log));
}
