// An immutable set of DescribeFlowLogs filters, and everything done with one: edit, validate,
// turn into an SDK query, describe for people, store as JSON, and read presets from settings.
// Filters are AND-ed; the values of one filter are OR-ed (EC2 semantics).

import type { Ec2Filter, FlowLogQuery } from '../shared/types';
import {
  findFilterDefinition,
  isFlowLogId,
  normalizeFilterName,
  normalizeFilterValue,
  validateFilterName,
  validateFilterValue,
} from './filterDefinitions';

/** One filter: an EC2 filter name (`traffic-type`, `tag:env`, ...) and its OR-ed values. */
export interface FlowLogFilter {
  readonly name: string;
  readonly values: readonly string[];
}

export interface FilterSet {
  readonly filters: readonly FlowLogFilter[];
  /** Exact flow log IDs (the FlowLogIds parameter); absent when none. */
  readonly flowLogIds?: readonly string[];
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface AddFilterOptions {
  /** When a filter of the same name exists, add the new values to it instead of failing. */
  readonly merge?: boolean;
}

export const EMPTY_FILTER_SET: FilterSet = freezeSet([], undefined);

/** Separator between the OR-ed values of one filter in descriptions. */
export const VALUE_SEPARATOR = '|';
/** Separator between AND-ed filters in descriptions. */
export const FILTER_SEPARATOR = ' · ';
const MAX_VALUES_DESCRIBED = 3;
const SERIALIZED_VERSION = 1;

function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}
function fail<T>(error: string): Outcome<T> {
  return { ok: false, error };
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

function freezeSet(filters: readonly FlowLogFilter[], flowLogIds: readonly string[] | undefined): FilterSet {
  const frozenFilters = Object.freeze(filters.map((f) => Object.freeze({ name: f.name, values: Object.freeze([...f.values]) })));
  return Object.freeze(
    flowLogIds && flowLogIds.length > 0
      ? { filters: frozenFilters, flowLogIds: Object.freeze([...flowLogIds]) }
      : { filters: frozenFilters },
  );
}

/** Trims the name and values, gives enum values their canonical case, drops empty and repeated values. */
export function normalizeFilter(filter: FlowLogFilter): FlowLogFilter {
  const name = normalizeFilterName(filter.name);
  const definition = findFilterDefinition(name);
  const values = unique(filter.values.map((v) => normalizeFilterValue(definition, v)).filter((v) => v !== ''));
  return { name, values };
}

/** Validates a filter (name and every value); returns the first problem as a message, or undefined. */
export function validateFilter(filter: FlowLogFilter): string | undefined {
  const nameProblem = validateFilterName(filter.name);
  if (nameProblem) return nameProblem;
  const name = normalizeFilterName(filter.name);
  if (filter.values.length === 0) return `Filter ${name} needs at least one value.`;
  for (const value of filter.values) {
    const problem = validateFilterValue(name, value);
    if (problem) return problem;
  }
  return undefined;
}

function findIndex(set: FilterSet, name: string): number {
  const normalized = normalizeFilterName(name);
  return set.filters.findIndex((f) => f.name === normalized);
}

/** Adds a filter. A second filter with the same name is an error, unless `merge` asks to add its values. */
export function addFilter(set: FilterSet, filter: FlowLogFilter, options: AddFilterOptions = {}): Outcome<FilterSet> {
  const problem = validateFilter(filter);
  if (problem) return fail(problem);
  const added = normalizeFilter(filter);
  const existing = findIndex(set, added.name);
  if (existing < 0) return ok(freezeSet([...set.filters, added], set.flowLogIds));
  if (!options.merge) {
    return fail(`There is already a ${added.name} filter: edit it, or add the values to it.`);
  }
  const filters = set.filters.map((f, i) => (i === existing ? { name: f.name, values: unique([...f.values, ...added.values]) } : f));
  return ok(freezeSet(filters, set.flowLogIds));
}

/** Replaces the filter named `name` by `filter` (in place; the name may change, but not to another filter's). */
export function replaceFilter(set: FilterSet, name: string, filter: FlowLogFilter): Outcome<FilterSet> {
  const index = findIndex(set, name);
  if (index < 0) return fail(`There is no ${normalizeFilterName(name)} filter to replace.`);
  const problem = validateFilter(filter);
  if (problem) return fail(problem);
  const replacement = normalizeFilter(filter);
  const clash = findIndex(set, replacement.name);
  if (clash >= 0 && clash !== index) return fail(`There is already a ${replacement.name} filter.`);
  return ok(
    freezeSet(
      set.filters.map((f, i) => (i === index ? replacement : f)),
      set.flowLogIds,
    ),
  );
}

/** Removes the filter with that name; the same set when there is none. */
export function removeFilter(set: FilterSet, name: string): FilterSet {
  const index = findIndex(set, name);
  return index < 0
    ? set
    : freezeSet(
        set.filters.filter((_, i) => i !== index),
        set.flowLogIds,
      );
}

/** Sets the exact flow log IDs (an empty list removes them); every ID must be `fl-` + 8 or 17 hex digits. */
export function withFlowLogIds(set: FilterSet, ids: readonly string[]): Outcome<FilterSet> {
  const trimmed = unique(ids.map((id) => id.trim()).filter((id) => id !== ''));
  const invalid = trimmed.filter((id) => !isFlowLogId(id));
  if (invalid.length > 0) {
    const shown = invalid
      .slice(0, 3)
      .map((id) => `"${id}"`)
      .join(', ');
    const more = invalid.length > 3 ? ` and ${invalid.length - 3} more` : '';
    return fail(`Not valid flow log IDs: ${shown}${more}. A flow log ID is fl- followed by 8 or 17 hex digits.`);
  }
  return ok(freezeSet(set.filters, trimmed));
}

export function isEmpty(set: FilterSet): boolean {
  return set.filters.length === 0 && (set.flowLogIds?.length ?? 0) === 0;
}

function canonical(set: FilterSet): string {
  const filters = set.filters
    .map(normalizeFilter)
    .map((f) => [f.name, [...f.values].sort()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([filters, unique(set.flowLogIds ?? []).sort()]);
}

/** Same meaning: the order of filters, of values and of IDs does not matter (AND and OR commute). */
export function equals(a: FilterSet, b: FilterSet): boolean {
  return canonical(a) === canonical(b);
}

/** The DescribeFlowLogs input: filters in set order, values de-duplicated in first-seen order. */
export function toQuery(set: FilterSet): FlowLogQuery {
  const filters: Ec2Filter[] = set.filters
    .map(normalizeFilter)
    .filter((f) => f.values.length > 0)
    .map((f) => ({ Name: f.name, Values: [...f.values] }));
  const ids = unique((set.flowLogIds ?? []).map((id) => id.trim()).filter((id) => id !== ''));
  return ids.length > 0 ? { filters, flowLogIds: ids } : { filters };
}

/** `tag:env=prod|staging`; beyond three values, `resource-id=a|b|c|+2 more`. */
export function describeFilter(filter: FlowLogFilter): string {
  const shown = filter.values.slice(0, MAX_VALUES_DESCRIBED);
  const hidden = filter.values.length - shown.length;
  const values = hidden > 0 ? [...shown, `+${hidden} more`] : shown;
  return `${filter.name}=${values.join(VALUE_SEPARATOR)}`;
}

/** `traffic-type=REJECT · tag:env=prod|staging · 3 IDs`, or `No filters`. */
export function describeFilterSet(set: FilterSet): string {
  const parts = set.filters.map(describeFilter);
  const idCount = set.flowLogIds?.length ?? 0;
  if (idCount > 0) parts.push(idCount === 1 ? '1 ID' : `${idCount} IDs`);
  return parts.length > 0 ? parts.join(FILTER_SEPARATOR) : 'No filters';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * Builds a validated set from plain data `{filters: {name, values}[], flowLogIds?: string[]}`
 * (`filters` may be left out). Never throws: problems come back as a message.
 */
export function filterSetFromJson(value: unknown): Outcome<FilterSet> {
  if (!isRecord(value)) return fail('Expected an object with "filters" and optionally "flowLogIds".');
  const rawFilters = value.filters ?? [];
  if (!Array.isArray(rawFilters)) return fail('"filters" must be a list of {name, values}.');
  let set = EMPTY_FILTER_SET;
  for (const [i, raw] of rawFilters.entries()) {
    const where = `Filter ${i + 1}`;
    if (!isRecord(raw) || typeof raw.name !== 'string') return fail(`${where} must be an object with a "name" string.`);
    if (!isStringArray(raw.values)) return fail(`${where} (${raw.name}) must have "values" as a list of strings.`);
    const added = addFilter(set, { name: raw.name, values: raw.values });
    if (!added.ok) return fail(`${where} (${raw.name}): ${added.error}`);
    set = added.value;
  }
  if (value.flowLogIds !== undefined) {
    if (!isStringArray(value.flowLogIds)) return fail('"flowLogIds" must be a list of strings.');
    return withFlowLogIds(set, value.flowLogIds);
  }
  return ok(set);
}

/** JSON for storage (workspace state): `{version: 1, filters, flowLogIds?}`. */
export function serialize(set: FilterSet): string {
  const body: { version: number; filters: FlowLogFilter[]; flowLogIds?: string[] } = {
    version: SERIALIZED_VERSION,
    filters: set.filters.map((f) => ({ name: f.name, values: [...f.values] })),
  };
  if (set.flowLogIds && set.flowLogIds.length > 0) body.flowLogIds = [...set.flowLogIds];
  return JSON.stringify(body);
}

/** Reads what `serialize` wrote; rejects anything else with a message instead of throwing. */
export function deserialize(text: string): Outcome<FilterSet> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('Saved filters are not valid JSON.');
  }
  if (!isRecord(parsed)) return fail('Saved filters must be a JSON object.');
  if (parsed.version !== SERIALIZED_VERSION) {
    return fail(`Saved filters have version ${JSON.stringify(parsed.version)}; expected ${SERIALIZED_VERSION}.`);
  }
  const set = filterSetFromJson(parsed);
  return set.ok ? set : fail(`Saved filters are not valid: ${set.error}`);
}

export interface FilterPreset {
  readonly name: string;
  readonly set: FilterSet;
}

export interface ParsedPresets {
  readonly presets: readonly FilterPreset[];
  /** One message per skipped entry. */
  readonly problems: readonly string[];
}

/**
 * Reads the `filterPresets` setting. Its shape is an object keyed by preset name:
 * `{"Rejected in prod": {"filters": [{"name": "traffic-type", "values": ["REJECT"]}], "flowLogIds": ["fl-..."]}}`.
 * Unset (undefined/null) means no presets. Invalid entries are skipped and reported; never throws.
 */
export function parsePresets(settingValue: unknown): ParsedPresets {
  if (settingValue === undefined || settingValue === null) return { presets: [], problems: [] };
  if (!isRecord(settingValue)) {
    const kind = Array.isArray(settingValue) ? 'a list' : `a ${typeof settingValue}`;
    return {
      presets: [],
      problems: [`filterPresets must be an object keyed by preset name, not ${kind}.`],
    };
  }
  const presets: FilterPreset[] = [];
  const problems: string[] = [];
  for (const [rawName, entry] of Object.entries(settingValue)) {
    const name = rawName.trim();
    if (name === '') {
      problems.push('A preset has an empty name; skipped.');
      continue;
    }
    if (presets.some((p) => p.name === name)) {
      problems.push(`Preset "${name}" appears twice; the second one is skipped.`);
      continue;
    }
    const set = filterSetFromJson(entry);
    if (set.ok) presets.push({ name, set: set.value });
    else problems.push(`Preset "${name}" skipped: ${set.error}`);
  }
  return { presets, problems };
}
