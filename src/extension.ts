import * as vscode from 'vscode';
export function activate(context: vscode.ExtensionContext) {
  const pkg = context.extension.packageJSON as { contributes: { commands: { command: string }[] } };
  for (const c of pkg.contributes.commands) context.subscriptions.push(vscode.commands.registerCommand(c.command, () => undefined));
  const tree: vscode.TreeDataProvider<string> = { getTreeItem: (s) => new vscode.TreeItem(s), getChildren: () => ['hello'] };
  context.subscriptions.push(vscode.window.createTreeView('flowLogs.explorer', { treeDataProvider: tree }));
  return {};
}
