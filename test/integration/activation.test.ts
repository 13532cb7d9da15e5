import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'flowlogs-dev.vpc-flow-logs-explorer';

describe('activation', () => {
  it('is not active before its view or a command is used', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'extension is installed');
    assert.equal(ext.isActive, false);
  });

  it('activates when the Flow Logs view opens', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.flowLogsExplorer');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    for (let i = 0; i < 100 && !ext.isActive; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(ext.isActive, true);
  });

  it('registers every command it declares', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const declared = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
    assert.ok(declared.length >= 20);
  });
});
