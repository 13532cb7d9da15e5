// The shared AWS config and credentials files live outside the workspace: a watcher on each tells
// the tree to reload its profiles when one is edited, created or deleted (debounced: an editor's
// save can fire several events).
import * as vscode from 'vscode';
import { sharedConfigPaths } from '../shared/sharedConfig';

/** Watches the shared config and credentials files (which live outside the workspace). */
export function watchSharedConfigFiles(onChange: () => void): vscode.Disposable[] {
  const { configFile, credentialsFile } = sharedConfigPaths(process.env);
  let timer: NodeJS.Timeout | undefined;
  const debounced = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, 300);
  };
  const stopTimer = new vscode.Disposable(() => clearTimeout(timer));
  return [
    stopTimer,
    ...[configFile, credentialsFile].map((file) => {
      const uri = vscode.Uri.file(file);
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), uri.path.split('/').pop()!),
      );
      watcher.onDidChange(debounced);
      watcher.onDidCreate(debounced);
      watcher.onDidDelete(debounced);
      return watcher;
    }),
  ];
}
