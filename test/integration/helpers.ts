// Helpers for the integration tests, which run inside VS Code's extension host: the extension's
// API, a local EC2 endpoint with AWS config files pointing at it, and tree walking.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FlowLogsApi } from '../../src/extension';
import type { RecordsPanel } from '../../src/recordsView/recordsPanel';
import type { PanelLog } from '../../src/recordsView/recordsLog';
import type { WindowRow } from '../../src/shared/resultSet';
// Types only: the extension's classes live in its bundle, so nodes are told apart by `kind`.
import type { TreeNode } from '../../src/tree/treeNode';
import type { FlowLogNode } from '../../src/tree/flowLogNode';
import type { ProfileNode } from '../../src/tree/profileNode';
import type { RegionNode } from '../../src/tree/regionNode';
import type { ErrorNode } from '../../src/tree/messageNode';
import { startEmulator, awsConfigFor, defaultAccounts, Emulator, EmulatorOptions, ProfileSpec, EmulatorAccount } from '../emulator/server';

export const EXTENSION_ID = 'flowlogs-dev.vpc-flow-logs-explorer';
export { defaultAccounts };
export type { TreeNode, FlowLogNode, ProfileNode, RegionNode, ErrorNode };

export const isFlowLog = (n: TreeNode): n is FlowLogNode => n.kind === 'flowLog';
export const isError = (n: TreeNode): n is ErrorNode => n.kind === 'error';
export const isLoadMore = (n: TreeNode): boolean => n.kind === 'loadMore';
export type { Emulator, EmulatorAccount, ProfileSpec };

export async function api(): Promise<FlowLogsApi> {
  const ext = vscode.extensions.getExtension<FlowLogsApi>(EXTENSION_ID);
  if (!ext) throw new Error('extension not found');
  if (!ext.isActive) await vscode.commands.executeCommand('workbench.view.extension.flowLogsExplorer');
  for (let i = 0; i < 100 && !ext.isActive; i++) await sleep(100);
  return ext.exports;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Fixture {
  emulator: Emulator;
  dir: string;
  api: FlowLogsApi;
  writeConfig(config: string, credentials: string): void;
  stop(): Promise<void>;
}

/** Starts an emulator and points the extension (through AWS_CONFIG_FILE...) at profiles for it. */
export async function fixture(
  opts: Partial<EmulatorOptions> & {
    profiles?: (accounts: EmulatorAccount[]) => ProfileSpec[];
    extraConfig?: string;
    extraCredentials?: string;
  } = {},
): Promise<Fixture> {
  const accounts = opts.accounts ?? defaultAccounts(40);
  const emulator = await startEmulator({ seed: 7, ...opts, accounts });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlogs-it-'));
  const a = await api();
  const writeConfig = (config: string, credentials: string) => {
    fs.writeFileSync(path.join(dir, 'config'), config);
    fs.writeFileSync(path.join(dir, 'credentials'), credentials);
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
  };
  const specs = opts.profiles
    ? opts.profiles(accounts)
    : accounts.map((account, i) => ({ name: `acct${i + 1}`, account, region: account.regions[0] }));
  const files = awsConfigFor(emulator, specs);
  writeConfig(files.config + (opts.extraConfig ?? ''), files.credentials + (opts.extraCredentials ?? ''));
  await vscode.commands.executeCommand('flowLogs.clearFilters');
  await vscode.commands.executeCommand('flowLogs.refresh');
  return {
    emulator,
    dir,
    api: a,
    writeConfig,
    stop: async () => {
      await emulator.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('flowLogs').update(key, value, vscode.ConfigurationTarget.Global);
}

export async function children(a: FlowLogsApi, node?: TreeNode): Promise<TreeNode[]> {
  return a.services.provider.getChildren(node);
}

export async function profileNode(a: FlowLogsApi, name: string): Promise<ProfileNode> {
  const roots = await children(a);
  const p = roots.find((n): n is ProfileNode => n.kind === 'profile' && (n as ProfileNode).profile.name === name);
  if (!p) throw new Error(`profile ${name} not in tree: ${roots.map((r) => r.getTreeItem().label).join(', ')}`);
  return p;
}

export async function regionNode(a: FlowLogsApi, profile: string, region: string): Promise<RegionNode> {
  const p = await profileNode(a, profile);
  const kids = await children(a, p);
  const r = kids.find((n): n is RegionNode => n.kind === 'region' && (n as RegionNode).region === region);
  if (!r) throw new Error(`region ${region} not under ${profile}: ${kids.map((k) => k.getTreeItem().label).join(', ')}`);
  return r;
}

export function ids(nodes: TreeNode[]): string[] {
  return nodes.filter(isFlowLog).map((n) => n.flowLog.FlowLogId!);
}

/** Clicks "Load more…" until it is gone or an error node appears; returns the final children. */
export async function loadToEnd(a: FlowLogsApi, region: RegionNode, maxClicks = 10_000): Promise<TreeNode[]> {
  let kids = await children(a, region);
  for (let i = 0; i < maxClicks; i++) {
    const more = kids.find(isLoadMore);
    if (!more) return kids;
    await vscode.commands.executeCommand('flowLogs.loadMore', more);
    kids = await children(a, region);
  }
  throw new Error('Load more did not end');
}

export function label(node: TreeNode): string {
  const l = node.getTreeItem().label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

export function description(node: TreeNode): string {
  const d = node.getTreeItem().description;
  return typeof d === 'string' ? d : '';
}

/** A records panel's log (what it posted to its page, names, Explain outcomes), from the extension's test-only API. */
export function panelLog(fx: { api: FlowLogsApi }, p: RecordsPanel): PanelLog {
  const log = fx.api.recordsLog;
  if (!log) throw new Error('the extension keeps no records log (not running under tests?)');
  return log.of(p);
}

/** Every loaded row of a records panel in the shown order, read through its result set. */
export function loadedRows(fx: { api: FlowLogsApi }, p: RecordsPanel): Promise<WindowRow[]> {
  const log = fx.api.recordsLog;
  if (!log) throw new Error('the extension keeps no records log (not running under tests?)');
  return log.rows(p);
}

/** A record as its event time, stream and values (what a row of the result set carries). */
export const recordKey = (r: { t: number; s?: string; v: readonly string[] }): string => `${r.t} ${r.s ?? ''} ${r.v.join(' ')}`;
