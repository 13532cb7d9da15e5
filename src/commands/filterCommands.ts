// Filter builders: a multi-step quick pick (filter, [tag key], values), Filter by IDs, Edit,
// Clear, presets. Every path ends in the same `applyFilter`, which validates before anything is
// sent; tests call the commands with arguments and go through that same path.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import {
  enumValuesTyped,
  FILTER_DEFINITIONS,
  FilterDefinition,
  findFilterDefinition,
  tagFilterName,
  validateFilterValue,
  validateTagKey,
} from '../filters/filterDefinitions';
import {
  addFilter,
  describeFilter,
  describeFilterSet,
  EMPTY_FILTER_SET,
  FilterSet,
  FlowLogFilter,
  isEmpty,
  parsePresets,
  removeFilter,
  replaceFilter,
  serialize,
  deserialize,
  withFlowLogIds,
} from '../filters/filterSet';
import { parseFlowLogIdList } from '../filters/flowLogIds';
import { suggestionsForFilter, suggestTagValues, collectSuggestions } from '../filters/suggestions';
import { FlowLogNode, flowLogRefOf } from '../tree/flowLogNode';
import { filterArg, isOwnNode, stringArg } from './commandArgs';
import type { FlowLog } from '../shared/types';

import { confirmOverwrite, PRESETS_KEY } from './presetCommands';
const HELP = 'Values of one filter are OR-ed; different filters are AND-ed. * and ? are wildcards.';

class BackError extends Error {}

export function registerFilterCommands(s: ExtensionServices): vscode.Disposable[] {
  const loaded = (): FlowLog[] => s.explorer.loadedFlowLogs().map((r) => r.flowLog);

  /** Validates and applies one filter; returns the error message instead of sending a bad request. */
  async function applyFilter(filter: FlowLogFilter, replacing?: string): Promise<string | undefined> {
    const current = s.filters.filters;
    const result = replacing ? replaceFilter(current, replacing, filter) : addFilter(current, filter);
    if (!result.ok) return result.error;
    await s.filters.set(result.value);
    return undefined;
  }

  async function report(error: string | undefined): Promise<boolean> {
    if (error) void vscode.window.showErrorMessage(`Filter not applied: ${error}`);
    return !error;
  }

  return [
    vscode.commands.registerCommand('flowLogs.addFilter', async (arg?: unknown) => {
      // A `{ name, values }` filter is applied; anything else (the title bar passes the focused
      // node) opens the wizard, as from the palette.
      const given = filterArg(arg);
      if (given) return report(await applyFilter(given));
      const filter = await runFilterWizard(loaded());
      if (!filter) return false;
      return report(await applyFilter(filter));
    }),

    vscode.commands.registerCommand('flowLogs.filterByIds', async (text?: unknown) => {
      let input = typeof text === 'string' ? text : undefined;
      if (input === undefined) {
        input = await vscode.window.showInputBox({
          title: 'Filter by flow log IDs',
          prompt: 'Paste flow log IDs separated by commas, spaces or new lines (more than 1000 are sent in several requests)',
          placeHolder: 'fl-0123456789abcdef0, fl-…',
          ignoreFocusOut: true,
          validateInput: (v) => {
            const parsed = parseFlowLogIdList(v);
            if (!v.trim()) return 'Enter at least one flow log ID';
            if (parsed.invalid.length)
              return `Not a flow log ID: ${parsed.invalid.slice(0, 3).join(', ')}${parsed.invalid.length > 3 ? ` and ${parsed.invalid.length - 3} more` : ''}`;
            return undefined;
          },
        });
        if (input === undefined) return false;
      }
      const parsed = parseFlowLogIdList(input);
      if (parsed.invalid.length || parsed.ids.length === 0) {
        return report(parsed.invalid.length ? `not flow log IDs: ${parsed.invalid.slice(0, 5).join(', ')}` : 'no flow log ID given');
      }
      const result = withFlowLogIds(s.filters.filters, parsed.ids);
      if (!result.ok) return report(result.error);
      await s.filters.set(result.value);
      if (parsed.duplicates) void vscode.window.setStatusBarMessage(`${parsed.duplicates} duplicate ID(s) ignored`, 3000);
      return true;
    }),

    vscode.commands.registerCommand('flowLogs.editFilters', async (arg?: unknown) => {
      const current = s.filters.filters;
      const edit =
        typeof arg === 'object' && arg !== null && !isOwnNode(arg) ? (arg as { remove?: unknown; replace?: unknown; with?: unknown }) : {};
      const remove = stringArg(edit.remove);
      if (remove) {
        await s.filters.set(remove === 'FlowLogIds' ? withIds(current, []) : removeFilter(current, remove));
        return true;
      }
      const replace = stringArg(edit.replace);
      const replacement = filterArg(edit.with);
      if (replace && replacement) return report(await applyFilter(replacement, replace));
      if (isEmpty(current)) {
        void vscode.window.showInformationMessage('No active filters. Use "Flow Logs: Add Filter…".');
        return false;
      }
      type Item = vscode.QuickPickItem & { filter?: FlowLogFilter; ids?: boolean };
      const items: Item[] = current.filters.map((f) => ({
        label: describeFilter(f),
        description: findFilterDefinition(f.name)?.label,
        filter: f,
        buttons: [{ iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Remove' }],
      }));
      if (current.flowLogIds?.length)
        items.push({
          label: `FlowLogIds: ${current.flowLogIds.length} ID(s)`,
          ids: true,
          buttons: [{ iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Remove' }],
        });
      const qp = vscode.window.createQuickPick<Item>();
      qp.title = 'Active filters: pick one to change it, or its trash button to remove it';
      qp.placeholder = HELP;
      qp.items = items;
      const picked = await runQuickPick<Item, { item: Item; remove: boolean }>(qp, (done) => {
        qp.onDidTriggerItemButton((e) => done({ item: e.item, remove: true }));
        qp.onDidAccept(() => done(qp.selectedItems[0] ? { item: qp.selectedItems[0], remove: false } : undefined));
      });
      if (!picked) return false;
      if (picked.item.ids) {
        if (picked.remove) await s.filters.set(withIds(current, []));
        else await vscode.commands.executeCommand('flowLogs.filterByIds');
        return true;
      }
      const f = picked.item.filter!;
      if (picked.remove) {
        await s.filters.set(removeFilter(current, f.name));
        return true;
      }
      const def = findFilterDefinition(f.name)!;
      const values = await pickValues(def, f.name, loaded(), f.values, 0, 0, 'Edit Filter');
      if (!values) return false;
      return report(await applyFilter({ name: f.name, values }, f.name));
    }),

    vscode.commands.registerCommand('flowLogs.clearFilters', async () => {
      await s.filters.set(EMPTY_FILTER_SET);
    }),

    vscode.commands.registerCommand('flowLogs.saveFilterPreset', async (name?: unknown) => {
      if (isEmpty(s.filters.filters)) return false;
      const presetName =
        typeof name === 'string'
          ? name
          : await vscode.window.showInputBox({
              title: 'Save filters as a preset',
              prompt: describeFilterSet(s.filters.filters),
              validateInput: (v) => (v.trim() ? undefined : 'Enter a name'),
            });
      if (!presetName?.trim()) return false;
      if (!(await confirmOverwrite(s, presetName.trim()))) return false;
      const saved = { ...(s.context.globalState.get<Record<string, string>>(PRESETS_KEY) ?? {}) };
      saved[presetName.trim()] = serialize(s.filters.filters);
      await s.context.globalState.update(PRESETS_KEY, saved);
      void vscode.window.setStatusBarMessage(`Filter preset "${presetName.trim()}" saved`, 3000);
      return true;
    }),

    vscode.commands.registerCommand('flowLogs.applyFilterPreset', async (name?: unknown) => {
      const presets = allPresets(s);
      if (!presets.size) {
        void vscode.window.showInformationMessage(
          'No filter presets yet: add filters, then "Save Filters as Preset…", or define flowLogs.filterPresets in your settings.',
        );
        return false;
      }
      let chosen = typeof name === 'string' ? name : undefined;
      if (chosen === undefined) {
        const picked = await vscode.window.showQuickPick(
          [...presets].map(([label, p]) => ({ label, description: p.source, detail: describeFilterSet(p.set) })),
          { title: 'Apply a filter preset' },
        );
        chosen = picked?.label;
      }
      const preset = chosen !== undefined ? presets.get(chosen) : undefined;
      if (!preset) return false;
      await s.filters.set(preset.set);
      return true;
    }),

    vscode.commands.registerCommand('flowLogs.filterByResource', filterByValueOf('resource-id', 'ResourceId')),
    vscode.commands.registerCommand('flowLogs.filterByLogGroup', filterByValueOf('log-group-name', 'LogGroupName')),
  ];

  /**
   * Filter by Resource / Filter by Log Group: a filter on the flow log's own value (the node
   * given, else the selected one), replacing an active filter of that name.
   */
  function filterByValueOf(name: 'resource-id' | 'log-group-name', field: 'ResourceId' | 'LogGroupName') {
    return async (node?: unknown) => {
      const value = (flowLogRefOf(node)?.flowLog ?? selectedFlowLog(s))?.[field];
      if (typeof value !== 'string' || !value) return false;
      return report(
        await applyFilter({ name, values: [value] }, s.filters.filters.filters.some((x) => x.name === name) ? name : undefined),
      );
    };
  }
}

/** The flow log selected in the tree (a keybinding passes no node). */
function selectedFlowLog(s: ExtensionServices): FlowLog | undefined {
  return s.treeView.selection.find((n): n is FlowLogNode => n instanceof FlowLogNode)?.flowLog;
}

function withIds(set: FilterSet, ids: string[]): FilterSet {
  const r = withFlowLogIds(set, ids);
  return r.ok ? r.value : set;
}

/** Presets from global state (saved with the command) and from the `flowLogs.filterPresets` setting. */
function allPresets(s: ExtensionServices): Map<string, { set: FilterSet; source: string }> {
  const out = new Map<string, { set: FilterSet; source: string }>();
  const parsed = parsePresets(s.settings.filterPresets());
  for (const p of parsed.problems) s.logger.warn(`flowLogs.filterPresets: ${p}`);
  for (const p of parsed.presets) out.set(p.name, { set: p.set, source: 'settings' });
  for (const [name, text] of Object.entries(s.context.globalState.get<Record<string, string>>(PRESETS_KEY) ?? {})) {
    const r = deserialize(text);
    if (r.ok) out.set(name, { set: r.value, source: 'saved' });
  }
  return out;
}

/** Step 1: which filter; step 2 (tag:<key> only): the key; last step: the values. Back goes back. */
async function runFilterWizard(loaded: FlowLog[]): Promise<FlowLogFilter | undefined> {
  let step = 1;
  let def: FilterDefinition | undefined;
  let key: string | undefined;
  for (;;) {
    try {
      if (step === 1) {
        def = await pickFilterKind();
        if (!def) return undefined;
        step = 2;
      } else if (step === 2 && def!.needsKey) {
        key = await pickTagKey(loaded);
        if (key === undefined) return undefined;
        step = 3;
      } else {
        const total = def!.needsKey ? 3 : 2;
        const name = def!.needsKey ? tagFilterName(key!) : def!.name;
        const values = await pickValues(def!, name, loaded, [], total, total);
        if (!values) return undefined;
        return { name, values };
      }
    } catch (err) {
      if (!(err instanceof BackError)) throw err;
      step = step === 3 ? 2 : 1;
    }
  }
}

function pickFilterKind(): Promise<FilterDefinition | undefined> {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { def: FilterDefinition }>();
  qp.title = 'Add Filter';
  // How many steps follow depends on the pick (a tag filter asks for its key): no total yet.
  qp.step = 1;
  qp.placeholder = `Filter by… (${HELP})`;
  qp.matchOnDetail = true;
  qp.items = FILTER_DEFINITIONS.map((d) => ({
    label: d.needsKey ? `${d.name}<key>` : d.name,
    description: d.label,
    detail: d.description,
    def: d,
  }));
  return runQuickPick(qp, (done) => qp.onDidAccept(() => done(qp.selectedItems[0]?.def)));
}

function pickTagKey(loaded: FlowLog[]): Promise<string | undefined> {
  const keys = collectSuggestions(loaded).tagKeys;
  return freeTextPick({
    title: 'Add Filter: tag key',
    step: 2,
    totalSteps: 3,
    placeholder: 'Tag key (for example env or Name)',
    suggestions: keys.map((k) => ({ value: k.value, detail: `${k.count} loaded flow log(s)` })),
    validate: (v) => validateTagKey(v.trim()),
    many: false,
  }).then((r) => r?.[0]);
}

/** Values: a multi-select list for enums; free text with suggestions for the others. */
async function pickValues(
  def: FilterDefinition,
  name: string,
  loaded: FlowLog[],
  current: readonly string[],
  step: number,
  totalSteps: number,
  verb = 'Add Filter',
): Promise<string[] | undefined> {
  // step 0: a single step (Edit Filters), shown without a counter.
  const steps = step > 0 ? { step, totalSteps } : { step: undefined, totalSteps: undefined };
  if (def.enumValues) {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
    qp.title = `${verb}: ${name}`;
    qp.step = steps.step;
    qp.totalSteps = steps.totalSteps;
    qp.canSelectMany = true;
    qp.placeholder = 'Pick one or more values (OR-ed)';
    qp.buttons = step > 1 ? [vscode.QuickInputButtons.Back] : [];
    qp.items = def.enumValues.map((e) => ({ label: e.value, detail: e.description }));
    qp.selectedItems = qp.items.filter((i) => current.includes(i.label));
    const title = qp.title;
    const check = (values: string[]) =>
      (qp.selectedItems = qp.items.filter((i) => values.includes(i.label) || qp.selectedItems.includes(i)));
    // Typed text is taken (issue 24.4): a value followed by a space or a comma is checked at once
    // (the filter box keeps the Space key, so this is what Space does here), and Enter takes every
    // value typed (any case, or the start of one: "rej") with the checked ones.
    qp.onDidChangeValue((text) => {
      qp.title = title;
      if (!/[\s,]$/.test(text)) return;
      const typed = enumValuesTyped(def, text);
      if (!typed.values.length || typed.unknown.length) return;
      check(typed.values);
      qp.value = '';
    });
    return runQuickPick(qp, (done) =>
      qp.onDidAccept(() => {
        const typed = enumValuesTyped(def, qp.value);
        if (typed.unknown.length) {
          qp.title = `${title}: "${typed.unknown.join('", "')}" is not one of ${def.enumValues!.map((e) => e.value).join(', ')}`;
          return; // stay open, the problem named
        } else check(typed.values);
        if (!qp.selectedItems.length) return; // nothing picked or typed: stay open
        done(qp.selectedItems.map((i) => i.label));
      }),
    );
  }
  const tagKey = name.startsWith('tag:') ? name.slice(4) : undefined;
  const suggestions = tagKey !== undefined ? suggestTagValues(loaded, tagKey) : suggestionsForFilter(loaded, name);
  return freeTextPick({
    title: `${verb}: ${name}`,
    step: steps.step,
    totalSteps: steps.totalSteps,
    placeholder: `Type values separated by commas, or pick suggestions (${def.example ? `e.g. ${def.example}; ` : ''}* and ? are wildcards)`,
    suggestions: suggestions.map((x) => ({ value: x.value, detail: `${x.count} loaded flow log(s)` })),
    validate: (v) => validateFilterValue(name, v),
    many: true,
    initial: current.join(', '),
  });
}

/**
 * A quick pick that accepts typed values (validated as you type, the message shown as the first
 * row) and/or picked suggestions. Nothing invalid can be accepted.
 */
function freeTextPick(o: {
  title: string;
  step: number | undefined;
  totalSteps: number | undefined;
  placeholder: string;
  suggestions: { value: string; detail: string }[];
  validate: (v: string) => string | undefined;
  many: boolean;
  initial?: string;
}): Promise<string[] | undefined> {
  type Item = vscode.QuickPickItem & { value?: string; typed?: boolean };
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = o.title;
  qp.step = o.step;
  qp.totalSteps = o.totalSteps;
  qp.placeholder = o.placeholder;
  qp.buttons = (o.step ?? 0) > 1 ? [vscode.QuickInputButtons.Back] : [];
  qp.value = o.initial ?? '';
  const suggestionItems: Item[] = o.suggestions.map((x) => ({ label: x.value, description: x.detail, value: x.value }));
  const typedValues = () =>
    qp.value
      .split(o.many ? ',' : /$^/)
      .map((v) => v.trim())
      .filter((v) => v.length > 0 || qp.value.trim() === '');
  const update = () => {
    const typed = qp.value.trim() ? typedValues() : [];
    const problems = typed.map(o.validate).filter((m): m is string => !!m);
    const head: Item[] = [];
    if (typed.length) {
      head.push(
        problems.length
          ? { label: `$(error) ${problems[0]}`, typed: true, alwaysShow: true }
          : {
              label: `$(check) Use ${typed.map((t) => `"${t}"`).join(', ')}`,
              description: typed.length > 1 ? 'OR-ed' : undefined,
              typed: true,
              alwaysShow: true,
            },
      );
    }
    qp.items = [
      ...head,
      ...(head.length ? [{ label: 'Suggestions from loaded flow logs', kind: vscode.QuickPickItemKind.Separator } as Item] : []),
      ...suggestionItems,
    ];
  };
  update();
  qp.onDidChangeValue(update);
  return runQuickPick(qp, (done) =>
    qp.onDidAccept(() => {
      const picked = qp.selectedItems[0] ?? qp.activeItems[0];
      if (picked && !picked.typed && picked.value !== undefined) return done([picked.value]);
      const typed = typedValues();
      if (!qp.value.trim() || typed.some((t) => o.validate(t))) return; // invalid: stay open, message shown
      done(typed);
    }),
  );
}

/**
 * Shows a quick pick and settles once. `wire` hooks its accept (or item button) to `done`, which
 * settles with a value and hides the pick; the Back button (shown by the steps after the first)
 * rejects with a BackError; hiding it otherwise (Escape, focus elsewhere) settles with undefined.
 */
function runQuickPick<I extends vscode.QuickPickItem, T>(
  qp: vscode.QuickPick<I>,
  wire: (done: (value: T | undefined) => void) => void,
): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    wire((value) => {
      resolve(value);
      qp.hide();
    });
    qp.onDidTriggerButton(() => {
      reject(new BackError());
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}
