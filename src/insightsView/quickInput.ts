// The steps of a multi-step input (vscode): a quick pick or an input box that shows its step
// counter ("2/4") and its title, and the shared time-range step (the presets of
// webview/timeRanges.ts, then "Custom range…" for an absolute UTC range).
import * as vscode from 'vscode';
import { DEFAULT_RANGE_PRESET, parseAbsoluteRange, RANGE_PRESETS, rangeText, TIME_RANGE_PRESETS, utcMinute } from '../webview/timeRanges';

export interface StepInfo {
  title: string;
  step?: number;
  totalSteps?: number;
}

/** A quick pick with a step counter; the picked items, or undefined when dismissed. */
export function pickStep<T extends vscode.QuickPickItem>(
  items: readonly T[],
  info: StepInfo & { canPickMany?: boolean; placeholder?: string; selected?: readonly T[]; matchOnDetail?: boolean },
): Promise<T[] | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<T>();
    qp.title = info.title;
    qp.step = info.step;
    qp.totalSteps = info.totalSteps;
    qp.placeholder = info.placeholder;
    qp.canSelectMany = !!info.canPickMany;
    qp.matchOnDescription = true;
    qp.matchOnDetail = info.matchOnDetail ?? true;
    qp.ignoreFocusOut = true;
    qp.items = items;
    if (info.selected?.length) qp.selectedItems = info.selected;
    let settled = false;
    const finish = (value: T[] | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidAccept(() => {
      const chosen = qp.canSelectMany ? [...qp.selectedItems] : [...qp.activeItems.slice(0, 1)];
      if (chosen.length) finish(chosen);
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

/** An input box with a step counter; the text, or undefined when dismissed. */
export function inputStep(
  info: StepInfo & { prompt: string; value?: string; placeholder?: string; validate?: (v: string) => string | undefined },
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = info.title;
    box.step = info.step;
    box.totalSteps = info.totalSteps;
    box.prompt = info.prompt;
    box.value = info.value ?? '';
    box.placeholder = info.placeholder;
    box.ignoreFocusOut = true;
    let settled = false;
    const finish = (value: string | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      box.dispose();
    };
    box.onDidChangeValue((v) => (box.validationMessage = info.validate?.(v)));
    box.onDidAccept(() => {
      const problem = info.validate?.(box.value);
      if (problem) box.validationMessage = problem;
      else finish(box.value);
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

export interface PickedRange {
  startTime: number;
  endTime: number;
  /** How the range reads ("Last hour", "2026-12-01 10:00 – 12:00 UTC"). */
  label: string;
}

const CUSTOM = 'Custom range…';

/** The time-range step: the shared presets, or an absolute UTC range typed in a second box. */
export async function pickTimeRange(info: StepInfo, now: () => number = Date.now): Promise<PickedRange | undefined> {
  const items = [
    ...TIME_RANGE_PRESETS.map((p) => ({ label: p.label, minutes: p.minutes as number | undefined })),
    { label: CUSTOM, description: 'from – to, UTC', minutes: undefined },
  ];
  const picked = (await pickStep(items, { ...info, placeholder: 'The time range of the records to query' }))?.[0];
  if (!picked) return undefined;
  if (picked.minutes !== undefined) {
    const endTime = now();
    return { startTime: endTime - picked.minutes * 60_000, endTime, label: picked.label };
  }
  const end = now();
  const text = await inputStep({
    ...info,
    prompt: 'From and to, in UTC: YYYY-MM-DD HH:MM to YYYY-MM-DD HH:MM',
    value: `${utcMinute(end - RANGE_PRESETS[DEFAULT_RANGE_PRESET] * 60_000)} to ${utcMinute(end)}`,
    validate: (v) => {
      const r = parseAbsoluteRange(v, now());
      return typeof r === 'string' ? r : undefined;
    },
  });
  if (text === undefined) return undefined;
  const r = parseAbsoluteRange(text, now());
  if (typeof r === 'string') return undefined;
  return { startTime: r.startMs, endTime: r.endMs, label: rangeText(r.startMs, r.endMs) };
}
