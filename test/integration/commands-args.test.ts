// Every contributed command (read from package.json), invoked every way VS Code or a caller may
// invoke it: nothing (the palette), each node kind, a node with the selection (context menus and
// view-title buttons pass both), a URI, a number, a string, a plain and a circular object.
// The window's prompts are replaced by recorders (the test and the extension share one vscode API
// object in the extension host), so what a command would show is compared, not guessed:
// - no command throws or shows an error message for any argument;
// - anything that is not a node or argument the command understands acts as from the palette:
//   the same prompts, the same result, the same state;
// - a view-title command acts as from the palette with the focused node too (VS Code passes it);
// - the right node does what the menu item says.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  fixture,
  Fixture,
  children,
  profileNode,
  regionNode,
  isError,
  isFlowLog,
  isLoadMore,
  setting,
  EXTENSION_ID,
  TreeNode,
  FlowLogNode,
  RegionNode,
} from './helpers';

interface Seen {
  kind: string;
  text: string;
}

const seen: Seen[] = [];
const restore: (() => void)[] = [];

function replace<T extends object>(obj: T, key: string, value: unknown): void {
  const original = Object.getOwnPropertyDescriptor(obj, key);
  Object.defineProperty(obj, key, { configurable: true, writable: true, value });
  restore.push(() => {
    if (original) Object.defineProperty(obj, key, original);
  });
}

/** Prompts are recorded and dismissed at once, as a user pressing Escape would. */
function installRecorders(): void {
  const w = vscode.window as unknown as Record<string, unknown>;
  const originalCreateQuickPick = vscode.window.createQuickPick.bind(vscode.window);
  const message = (kind: string) => async (text: string) => {
    seen.push({ kind, text: String(text) });
    return undefined;
  };
  replace(w, 'showErrorMessage', message('error'));
  replace(w, 'showWarningMessage', message('warning'));
  replace(w, 'showInformationMessage', message('info'));
  replace(w, 'showQuickPick', async (_items: unknown, options?: vscode.QuickPickOptions) => {
    seen.push({ kind: 'quickPick', text: options?.title ?? '' });
    return undefined;
  });
  replace(w, 'showInputBox', async (options?: vscode.InputBoxOptions) => {
    seen.push({ kind: 'inputBox', text: options?.title ?? '' });
    return undefined;
  });
  replace(w, 'createQuickPick', () => {
    const qp = originalCreateQuickPick();
    const show = qp.show.bind(qp);
    qp.show = () => {
      seen.push({ kind: 'quickPick', text: qp.title ?? '' });
      show();
      setTimeout(() => qp.hide(), 0);
    };
    return qp;
  });
  const originalCreateInputBox = vscode.window.createInputBox.bind(vscode.window);
  replace(w, 'createInputBox', () => {
    const box = originalCreateInputBox();
    const show = box.show.bind(box);
    box.show = () => {
      seen.push({ kind: 'inputBox', text: box.title ?? '' });
      show();
      setTimeout(() => box.hide(), 0);
    };
    return box;
  });
  replace(w, 'createTerminal', (options: vscode.TerminalOptions) => {
    seen.push({ kind: 'terminal', text: String(options?.name) });
    return {
      show() {
        /* recorded */
      },
      dispose() {
        /* recorded */
      },
    };
  });
  replace(w, 'setStatusBarMessage', (text: string) => {
    seen.push({ kind: 'status', text: String(text) });
    return {
      dispose() {
        /* nothing */
      },
    };
  });
  replace(vscode.env, 'openExternal', async (uri: vscode.Uri) => {
    seen.push({ kind: 'external', text: uri.toString(true) });
    return true;
  });
  const originalExecute = vscode.commands.executeCommand.bind(vscode.commands);
  replace(vscode.commands, 'executeCommand', (id: string, ...rest: unknown[]) => {
    if (id === 'workbench.action.openSettings') {
      seen.push({ kind: 'settings', text: String(rest[0]) });
      return Promise.resolve(undefined);
    }
    return originalExecute(id, ...rest);
  });
}

function circular(): unknown {
  const o: Record<string, unknown> = { kind: 'profile', id: 'x' };
  o.parent = o;
  o.self = o;
  o.loadMoreNode = o;
  return o;
}

/** What an argument that no command understands looks like. */
const GARBAGE: [string, () => unknown[]][] = [
  ['a file URI', () => [vscode.Uri.file('/tmp/flowlogs-not-a-node.txt')]],
  ['a number', () => [42]],
  ['a string', () => ['not-a-node']],
  ['an empty object', () => [{}]],
  ['a plain object', () => [{ a: 1, kind: 'flowLog', flowLog: { FlowLogId: 'fl-0123456789abcdef0' } }]],
  ['a circular object', () => [circular()]],
  ['null', () => [null]],
  ['a selection of garbage', () => [undefined, [42, 'x', circular()]]],
];

/** Commands whose documented argument is a string (a string is a real argument for them). */
const STRING_API = new Set([
  'flowLogs.filterByIds',
  'flowLogs.saveFilterPreset',
  'flowLogs.applyFilterPreset',
  'flowLogs.deleteFilterPreset',
  'flowLogs.renameFilterPreset',
  'flowLogs.openConfigFile',
]);

describe('every contributed command accepts whatever it is given', function () {
  this.timeout(600_000);
  let fx: Fixture;
  let contributed: string[];
  let titleCommands: Set<string>;
  const nodes: Record<string, TreeNode> = {};
  const ACTIVE = { name: 'traffic-type', values: ['ACCEPT', 'REJECT', 'ALL'] };

  async function state(): Promise<string> {
    const s = fx.api.services;
    const editor = vscode.window.activeTextEditor;
    return JSON.stringify({
      filters: s.filters.filters,
      profiles: s.settings.profiles(),
      chosenRegions: s.context.globalState
        .keys()
        .filter((k) => k.startsWith('flowLogs.regions.'))
        .map((k) => [k, s.context.globalState.get(k)]),
      presets: s.context.globalState.get('flowLogs.filterPresets'),
      editor: editor ? [editor.document.uri.fsPath, editor.selection.active.line] : undefined,
      panels: fx.api.openDetailPanels().length,
    });
  }

  async function reset(): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const p of fx.api.openDetailPanels()) p.panel.dispose();
    await fx.api.services.filters.set({ filters: [ACTIVE] });
    await fx.api.services.context.globalState.update('flowLogs.filterPresets', undefined);
  }

  async function run(command: string, args: unknown[]): Promise<{ value: unknown; seen: Seen[]; state: string }> {
    seen.length = 0;
    let value: unknown;
    try {
      value = await vscode.commands.executeCommand(command, ...args);
    } catch (err) {
      assert.fail(`${command}(${describeArgs(args)}) threw: ${(err as Error).stack ?? err}`);
    }
    const errors = seen.filter((x) => x.kind === 'error');
    assert.deepEqual(errors, [], `${command}(${describeArgs(args)}) showed an error`);
    return { value: comparable(value), seen: [...seen], state: await state() };
  }

  before(async () => {
    fx = await fixture({
      profiles: (accounts) => [
        { name: 'acct1', account: accounts[0], region: 'us-east-1' },
        { name: 'acct2', account: accounts[1], region: 'us-east-1' },
      ],
    });
    await setting('pageSize', 5);
    await setting('regions', { acct2: ['ap-northeast-1'] });
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const pkg = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'package.json'), 'utf8'));
    contributed = pkg.contributes.commands.map((c: { command: string }) => c.command);
    titleCommands = new Set(pkg.contributes.menus['view/title'].map((m: { command: string }) => m.command));
    installRecorders();
    await reset();

    const p = await profileNode(fx.api, 'acct1');
    const r = await regionNode(fx.api, 'acct1', 'us-east-1');
    const kids = await children(fx.api, r);
    nodes.profile = p;
    nodes.region = r;
    nodes.flowLog = kids.find(isFlowLog)!;
    nodes.loadMore = kids.find(isLoadMore)!;
    const denied = await children(fx.api, await regionNode(fx.api, 'acct2', 'ap-northeast-1'));
    nodes.error = denied.find(isError)!;
    await fx.api.services.filters.set({ filters: [{ name: 'flow-log-id', values: ['fl-00000000000000000'] }] });
    nodes.message = (await children(fx.api, await regionNode(fx.api, 'acct1', 'us-east-1'))).find((n) => n.kind === 'message')!;
    await reset();
    await vscode.commands.executeCommand('flowLogs.searchAllRegions', { useActiveFilters: true });
    nodes.searchGroup = fx.api.searchResults.groups[0];
    for (const [k, n] of Object.entries(nodes)) assert.ok(n, `a ${k} node to pass`);
    assert.equal(nodes.searchGroup.kind, 'searchGroup');
  });

  after(async () => {
    while (restore.length) restore.pop()!();
    await setting('pageSize', undefined);
    await setting('regions', undefined);
    await setting('profiles', undefined);
    await vscode.commands.executeCommand('flowLogs.clearFilters');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fx?.stop();
  });

  it('package.json contributes commands, and each one is registered', async () => {
    assert.ok(contributed.length >= 25, `${contributed.length} commands`);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c)),
      [],
    );
  });

  it('garbage (a URI, a number, a string, objects, a circular object) acts as from the palette', async () => {
    for (const command of contributed) {
      await reset();
      const palette = await run(command, []);
      for (const [what, make] of GARBAGE) {
        if (what === 'a string' && STRING_API.has(command)) continue; // covered below
        await reset();
        const got = await run(command, make());
        assert.deepEqual(got, palette, `${command} with ${what} differs from the palette`);
      }
    }
  });

  it('view-title commands act as from the palette when VS Code passes the focused node (and the selection)', async () => {
    assert.ok(titleCommands.has('flowLogs.addFilter') && titleCommands.has('flowLogs.selectProfiles'));
    for (const command of titleCommands) {
      await reset();
      const palette = await run(command, []);
      for (const [kind, node] of Object.entries(nodes)) {
        // An error row's own Open Config File passes the row: it opens that profile's section.
        if (command === 'flowLogs.openConfigFile' && kind === 'error') continue;
        for (const args of [[node], [node, [node]]]) {
          await reset();
          const got = await run(command, args);
          assert.deepEqual(got, palette, `${command} with a focused ${kind} node (${args.length} argument(s)) differs from the palette`);
        }
      }
    }
    // The two the newcomer hit: the wizard and the profile picker opened, nothing else.
    await reset();
    const add = await run('flowLogs.addFilter', [nodes.loadMore, [nodes.loadMore]]);
    assert.deepEqual(
      add.seen.map((x) => x.kind),
      ['quickPick'],
    );
    const pick = await run('flowLogs.selectProfiles', [nodes.loadMore, [nodes.loadMore]]);
    assert.deepEqual(pick.seen, [{ kind: 'quickPick', text: 'Profiles to show in the Flow Logs view' }]);
  });

  it('every command takes every node kind (alone and with the selection) without an error', async () => {
    for (const command of contributed) {
      for (const [kind, node] of Object.entries(nodes)) {
        for (const args of [[node], [node, [node, nodes.flowLog]]]) {
          await reset();
          try {
            await run(command, args);
          } catch (err) {
            throw new Error(`${command} with a ${kind} node: ${(err as Error).message}`);
          }
        }
      }
    }
  });

  it('string-taking commands turn a stray string into a clear outcome, never an error', async () => {
    await reset();
    seen.length = 0;
    // filterByIds takes pasted text: a stray string is reported as what it is, and nothing applies.
    assert.equal(await vscode.commands.executeCommand('flowLogs.filterByIds', 'not-a-node'), false);
    assert.deepEqual(seen, [{ kind: 'error', text: 'Filter not applied: not flow log IDs: not-a-node' }]);
    assert.deepEqual(fx.api.services.filters.filters.filters, [ACTIVE]);
    await reset();
    const preset = await run('flowLogs.applyFilterPreset', ['not-a-node']);
    assert.equal(preset.value, false);
    await reset();
    const open = await run('flowLogs.openConfigFile', ['not-a-node']);
    assert.equal(JSON.parse(open.state).editor[0], process.env.AWS_CONFIG_FILE, 'a stray string never becomes a file to open or create');
  });

  it('the right node does what its menu item says', async () => {
    const fl = nodes.flowLog as FlowLogNode;
    const region = nodes.region as RegionNode;
    await fx.api.services.filters.set({ filters: [] });
    const first = await children(fx.api, await regionNode(fx.api, 'acct1', 'us-east-1'));
    const r = await regionNode(fx.api, 'acct1', 'us-east-1');
    const flow = first.find(isFlowLog)!;
    const more = first.find(isLoadMore)!;
    assert.ok(more && flow);
    // Load more on the row: one more page.
    await vscode.commands.executeCommand('flowLogs.loadMore', more);
    assert.equal(r.loadedFlowLogs.length, 10);
    await vscode.commands.executeCommand('flowLogs.loadAll', r);
    assert.equal(r.hasMore, false);
    assert.equal(r.loadedFlowLogs.length, fx.emulator.flowLogs('111111111111', 'us-east-1').length);
    await vscode.commands.executeCommand('flowLogs.refreshNode', r);
    assert.equal(r.loadedFlowLogs.length, 0, 'Refresh This Node forgets the pages');
    // Copy and open on a flow log.
    seen.length = 0;
    assert.equal(await vscode.commands.executeCommand('flowLogs.copyId', flow), (flow as FlowLogNode).flowLog.FlowLogId);
    assert.equal(await vscode.env.clipboard.readText(), (flow as FlowLogNode).flowLog.FlowLogId);
    const url = await vscode.commands.executeCommand<string>('flowLogs.openInConsole', flow, [flow]);
    assert.deepEqual(
      seen.filter((x) => x.kind === 'external').map((x) => x.text),
      [url],
      'the selection as second argument is not a console target',
    );
    await vscode.commands.executeCommand('flowLogs.showDetails', flow);
    assert.equal(fx.api.openDetailPanels()[0]?.ref?.flowLog.FlowLogId, (flow as FlowLogNode).flowLog.FlowLogId);
    // Filter by this resource.
    assert.equal(await vscode.commands.executeCommand('flowLogs.filterByResource', fl), true);
    assert.deepEqual(fx.api.services.filters.filters.filters, [{ name: 'resource-id', values: [fl.flowLog.ResourceId] }]);
    await fx.api.services.filters.set({ filters: [] });
    // Sign In on a node under a profile: that profile, no picker.
    seen.length = 0;
    await vscode.commands.executeCommand('flowLogs.signIn', nodes.error, [nodes.error]);
    assert.deepEqual(seen, [{ kind: 'terminal', text: 'aws sso login (acct2)' }]);
    // Select Regions on a profile with the selection second: that profile's region list, not a pick of nodes.
    seen.length = 0;
    await vscode.commands.executeCommand('flowLogs.selectRegions', nodes.profile, [nodes.profile]);
    assert.deepEqual(
      seen.filter((x) => x.kind === 'quickPick').map((x) => x.text),
      ['Regions of acct1'],
    );
    assert.equal(fx.api.services.context.globalState.get('flowLogs.regions.acct1'), undefined, 'nothing chosen');
    // Retry on the error node asks EC2 again (a fresh node: one detached by a Refresh never loads).
    const deniedNow = await children(fx.api, await regionNode(fx.api, 'acct2', 'ap-northeast-1'));
    fx.emulator.resetRequests();
    await vscode.commands.executeCommand('flowLogs.retry', deniedNow.find(isError)!);
    const asked = () => fx.emulator.requests.filter((q) => q.action === 'DescribeFlowLogs' && q.region === 'ap-northeast-1');
    for (let i = 0; i < 100 && asked().length === 0; i++) await new Promise((res) => setTimeout(res, 50));
    assert.ok(asked().length >= 1, 'Retry sent DescribeFlowLogs again');
    assert.equal(region.kind, 'region');
  });
});

function describeArgs(args: unknown[]): string {
  return args
    .map((a) =>
      a === null ? 'null' : typeof a === 'object' ? ((a as { kind?: string }).kind ?? (Array.isArray(a) ? 'array' : 'object')) : typeof a,
    )
    .join(', ');
}

/** Results compared across invocations: nodes and panels by identity-free summaries. */
function comparable(value: unknown): unknown {
  if (value === undefined || value === null || typeof value !== 'object') return value;
  try {
    // Durations differ from run to run; everything else must match.
    return JSON.parse(JSON.stringify(value), (k, v) => (k === 'ms' ? undefined : v));
  } catch {
    return '[unserialisable]';
  }
}
