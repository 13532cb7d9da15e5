// Saved filter presets: delete and rename (presets from the flowLogs.filterPresets setting are
// edited in the settings, so only saved ones are offered), and the overwrite question that
// Save Filters as Preset asks before replacing one.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { stringArg } from './commandArgs';

export const PRESETS_KEY = 'flowLogs.filterPresets';

function saved(s: ExtensionServices): Record<string, string> {
  const raw = s.context.globalState.get<unknown>(PRESETS_KEY);
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Record<string, string>) } : {};
}

/** Asks before a saved preset of that name is replaced; true to go on. */
export async function confirmOverwrite(s: ExtensionServices, name: string): Promise<boolean> {
  if (!(name in saved(s))) return true;
  const answer = await vscode.window.showWarningMessage(`A filter preset named "${name}" exists. Replace it?`, { modal: true }, 'Replace');
  return answer === 'Replace';
}

async function pickSaved(s: ExtensionServices, title: string): Promise<string | undefined> {
  const names = Object.keys(saved(s));
  if (!names.length) {
    void vscode.window.showInformationMessage(
      'No saved filter presets (presets defined in the flowLogs.filterPresets setting are edited there).',
    );
    return undefined;
  }
  return (
    await vscode.window.showQuickPick(
      names.map((label) => ({ label })),
      { title },
    )
  )?.label;
}

export function registerPresetCommands(s: ExtensionServices): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('flowLogs.deleteFilterPreset', async (name?: unknown) => {
      const given = stringArg(name);
      const target =
        given !== undefined && given in saved(s)
          ? given
          : given === undefined
            ? await pickSaved(s, 'Delete a saved filter preset')
            : undefined;
      if (target === undefined) return false;
      const answer = await vscode.window.showWarningMessage(`Delete the filter preset "${target}"?`, { modal: true }, 'Delete');
      if (answer !== 'Delete') return false;
      const all = saved(s);
      delete all[target];
      await s.context.globalState.update(PRESETS_KEY, all);
      void vscode.window.setStatusBarMessage(`Filter preset "${target}" deleted`, 3000);
      return true;
    }),

    vscode.commands.registerCommand('flowLogs.renameFilterPreset', async (name?: unknown, newName?: unknown) => {
      const given = stringArg(name);
      const from =
        given !== undefined && given in saved(s)
          ? given
          : given === undefined
            ? await pickSaved(s, 'Rename a saved filter preset')
            : undefined;
      if (from === undefined) return false;
      const to = (
        stringArg(newName) ??
        (await vscode.window.showInputBox({
          title: `Rename the filter preset "${from}"`,
          value: from,
          validateInput: (v) => (v.trim() ? undefined : 'Enter a name'),
        }))
      )?.trim();
      if (!to || to === from) return false;
      if (!(await confirmOverwrite(s, to))) return false;
      const all = saved(s);
      all[to] = all[from];
      delete all[from];
      await s.context.globalState.update(PRESETS_KEY, all);
      void vscode.window.setStatusBarMessage(`Filter preset "${from}" renamed to "${to}"`, 3000);
      return true;
    }),
  ];
}
