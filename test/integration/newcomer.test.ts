// What a newcomer trying every feature hit (issue "As a newcomer finds it"): Open Config File on a
// credentials error, filter presets (delete, rename, no silent overwrite), active filters in the
// view's title, expanded nodes kept for the next window.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fixture, Fixture, children, profileNode, regionNode, isError, setting, ProfileNode } from './helpers';

const WRONG_SECRET = 'thisIsNotTheRightSecretKeyEXAMPLE000000000';

/** Replaces a window function for one test (the test and the extension share the vscode API). */
function stub(key: 'showWarningMessage' | 'showInputBox' | 'showQuickPick', value: unknown): () => void {
  const w = vscode.window as unknown as Record<string, unknown>;
  const original = Object.getOwnPropertyDescriptor(w, key);
  Object.defineProperty(w, key, { configurable: true, writable: true, value });
  return () => {
    if (original) Object.defineProperty(w, key, original);
  };
}

describe('newcomer: rough edges', function () {
  this.timeout(120_000);
  let fx: Fixture;

  before(async () => {
    fx = await fixture({
      profiles: (accounts) => [
        { name: 'good', account: accounts[0], region: 'us-east-1' },
        { name: 'other', account: accounts[1], region: 'us-east-1' },
        { name: 'wrong-secret', account: accounts[0], region: 'us-east-1', secretAccessKey: WRONG_SECRET },
      ],
    });
  });

  after(async () => {
    await vscode.commands.executeCommand('flowLogs.clearFilters');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fx?.stop();
  });

  it("Open Config File on a credentials error opens the credentials file at that profile's section", async () => {
    const p = await profileNode(fx.api, 'wrong-secret');
    const err = (await children(fx.api, p)).find(isError);
    assert.ok(err, 'a credentials error under the profile');
    assert.equal(err.error.kind, 'credentials');
    assert.ok(err.error.actions.includes('openConfig'));
    // The inline action passes the error row itself.
    await vscode.commands.executeCommand('flowLogs.openConfigFile', err, [err]);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor opened');
    const credentials = path.join(fx.dir, 'credentials');
    assert.equal(editor.document.uri.fsPath, credentials);
    const lines = fs.readFileSync(credentials, 'utf8').split('\n');
    const expected = lines.indexOf('[wrong-secret]');
    assert.ok(expected > 0, 'the profile is not the first section, so line 1 would be wrong');
    assert.equal(editor.selection.active.line, expected, `the cursor is on [wrong-secret] (line ${expected + 1})`);
    // From the palette (nothing passed): the config file, as before.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('flowLogs.openConfigFile');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(fx.dir, 'config'));
  });

  it('saving a preset under an existing name asks first; presets can be renamed and deleted', async () => {
    const state = () => fx.api.services.context.globalState.get<Record<string, string>>('flowLogs.filterPresets') ?? {};
    await fx.api.services.context.globalState.update('flowLogs.filterPresets', undefined);
    const asked: string[] = [];
    let answer: string | undefined;
    const restore = stub('showWarningMessage', async (text: string) => {
      asked.push(text);
      return answer;
    });
    try {
      await vscode.commands.executeCommand('flowLogs.addFilter', { name: 'traffic-type', values: ['REJECT'] });
      assert.equal(await vscode.commands.executeCommand('flowLogs.saveFilterPreset', 'mine'), true);
      assert.deepEqual(asked, [], 'a new name is saved without a question');
      const first = state().mine;
      await vscode.commands.executeCommand('flowLogs.clearFilters');
      await vscode.commands.executeCommand('flowLogs.addFilter', { name: 'traffic-type', values: ['ACCEPT'] });
      answer = undefined; // the user closes the question
      assert.equal(await vscode.commands.executeCommand('flowLogs.saveFilterPreset', 'mine'), false);
      assert.match(asked[0], /"mine" exists/);
      assert.equal(state().mine, first, 'not overwritten without a yes');
      answer = 'Replace';
      assert.equal(await vscode.commands.executeCommand('flowLogs.saveFilterPreset', 'mine'), true);
      assert.notEqual(state().mine, first, 'replaced after a yes');
      // Rename, then delete.
      assert.equal(await vscode.commands.executeCommand('flowLogs.renameFilterPreset', 'mine', 'accepted'), true);
      assert.deepEqual(Object.keys(state()), ['accepted']);
      answer = 'Delete';
      assert.equal(await vscode.commands.executeCommand('flowLogs.deleteFilterPreset', 'accepted'), true);
      assert.deepEqual(state(), {});
    } finally {
      restore();
      await vscode.commands.executeCommand('flowLogs.clearFilters');
    }
  });

  it('active filters are in the view title (the one header shown with a single view), and written as typed in its message', async () => {
    const view = fx.api.services.treeView;
    assert.equal(view.title, 'Flow Logs');
    await vscode.commands.executeCommand('flowLogs.addFilter', { name: 'traffic-type', values: ['REJECT'] });
    // The header is title-cased by VS Code's CSS: it says how many filters, not their (case-sensitive) text.
    assert.equal(view.title, 'Flow Logs (1 filter)');
    assert.equal(view.message, 'Filtered on the server: traffic-type=REJECT');
    await vscode.commands.executeCommand('flowLogs.addFilter', { name: 'resource-id', values: ['vpc-*'] });
    assert.equal(view.title, 'Flow Logs (2 filters)');
    await vscode.commands.executeCommand('flowLogs.clearFilters');
    assert.equal(view.title, 'Flow Logs');
    assert.equal(view.message, undefined);
  });

  it('Search Results: true counts, errors first, one error per failed profile, collapsed groups, fresh rows per search, re-run and clear', async () => {
    await setting('regions', { '*': ['eu-west-1', 'ap-southeast-2'] });
    try {
      await vscode.commands.executeCommand('flowLogs.clearFilters');
      const groups = await vscode.commands.executeCommand<{ profileName: string; region: string; error?: { kind: string } }[]>(
        'flowLogs.searchAllRegions',
        { resourceId: 'vpc-*' },
      );
      // 3 profiles x 3 regions were all searched; wrong-secret failed in each.
      assert.equal(groups.length, 9);
      const failed = groups.filter((g) => g.error);
      assert.ok(
        failed.length >= 3 && failed.filter((g) => g.profileName === 'wrong-secret').length === 3,
        JSON.stringify(failed.map((g) => `${g.profileName}/${g.region}`)),
      );
      const rows = await fx.api.searchResults.getChildren();
      const summary = rows[0];
      const summaryText = String(summary.getTreeItem().label);
      const found = groups.reduce((n, g) => n + (g as unknown as { flowLogs: unknown[] }).flowLogs.length, 0);
      assert.equal(summaryText, `9 regions searched: ${found} flow logs, ${failed.length} failed`);
      const groupRows = rows.slice(1);
      const labels = groupRows.map((r) => String(r.getTreeItem().label));
      const wrong = labels.filter((l) => l.startsWith('wrong-secret'));
      assert.deepEqual(wrong, ['wrong-secret · all 3 regions'], 'one row for the profile whose credentials failed everywhere');
      const firstOk = groupRows.findIndex((r) => !/error/.test(String(r.getTreeItem().description)));
      const lastError = groupRows.map((r) => /error/.test(String(r.getTreeItem().description))).lastIndexOf(true);
      assert.ok(lastError < firstOk, `errors first: ${labels.join(' | ')}`);
      for (const r of groupRows)
        assert.equal(r.getTreeItem().collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, `${labels} collapsed`);
      const wrongRow = groupRows.find((r) => String(r.getTreeItem().label).startsWith('wrong-secret'))!;
      const wrongKids = await fx.api.searchResults.getChildren(wrongRow);
      assert.equal(wrongKids.filter(isError).length, 1, 'one error under it');
      // A new search gets new row ids, so VS Code does not carry the last one's expanded rows over.
      const before = new Set(groupRows.map((r) => r.id));
      await vscode.commands.executeCommand('flowLogs.rerunSearch');
      const again = (await fx.api.searchResults.getChildren()).slice(1);
      assert.equal(again.length, groupRows.length, 'Search Again ran the same search');
      assert.ok(
        again.every((r) => !before.has(r.id)),
        'fresh ids',
      );
      await vscode.commands.executeCommand('flowLogs.clearSearchResults');
      assert.deepEqual(await fx.api.searchResults.getChildren(), []);
    } finally {
      await setting('regions', undefined);
    }
  });

  it('expanded profiles and regions are remembered for the next window, collapsed ones forgotten', async () => {
    const view = fx.api.services.treeView;
    const p = await profileNode(fx.api, 'good');
    const r = await regionNode(fx.api, 'good', 'us-east-1');
    await vscode.commands.executeCommand('workbench.view.extension.flowLogsExplorer');
    await view.reveal(r, { expand: true, select: false, focus: false });
    const saved = () => fx.api.services.context.workspaceState.get<string[]>('flowLogs.expandedNodes') ?? [];
    for (let i = 0; i < 100 && !saved().includes(r.id); i++) await new Promise((res) => setTimeout(res, 50));
    assert.ok(saved().includes(p.id) && saved().includes(r.id), `saved: ${saved().join(', ')}`);
    // A new window builds new nodes: they start expanded (and so load their first page).
    await vscode.commands.executeCommand('flowLogs.refresh');
    const again = (await profileNode(fx.api, 'good')) as ProfileNode;
    assert.notEqual(again, p, 'a new node');
    assert.equal(again.getTreeItem().collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    const region = await regionNode(fx.api, 'good', 'us-east-1');
    assert.equal(region.getTreeItem().collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    const other = await profileNode(fx.api, 'other');
    assert.equal(other.getTreeItem().collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, 'never expanded: collapsed');
    // The next window (a later run) starts with nothing expanded.
    await fx.api.services.context.workspaceState.update('flowLogs.expandedNodes', undefined);
  });
});
