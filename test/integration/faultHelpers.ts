// Helpers for the fault and abuse suite (faults-*.test.ts): slices of the output channel, a
// registry of the secrets the tests configure (scanned by the last file), a settle guard, and
// small tree-walking shortcuts. Types only from src/, like helpers.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FlowLogsApi } from '../../src/extension';
import { children, isError, label, regionNode, type ErrorNode, type RegionNode, type TreeNode, type Emulator } from './helpers';

/** Every secret access key and session token a fault test wrote into an AWS file. */
export const configuredSecrets = new Set<string>();

export function registerSecret(...secrets: (string | undefined)[]): void {
  for (const s of secrets) if (s) configuredSecrets.add(s);
}

let markers = 0;

/**
 * Writes a marker line into the output channel and returns a function that gives the lines
 * logged after it (robust against the channel's 2,000-line window moving).
 */
export function logMark(a: FlowLogsApi, name: string): () => string[] {
  const marker = `[fault-test ${++markers}] ${name}`;
  a.services.logger.info(marker);
  return () => {
    const lines = a.outputLines();
    const i = lines.lastIndexOf(marker);
    assert.ok(i >= 0, `marker "${marker}" scrolled out of the output channel window`);
    return lines.slice(i + 1);
  };
}

/**
 * Awaits a promise that must settle; fails with `what` if it has not after `limitMs`. This is a
 * liveness guard (an endless spinner would never settle), not a speed assertion: the limit is
 * several times what the operation needs on a loaded machine.
 */
export async function settles<T>(p: Promise<T>, what: string, limitMs = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${limitMs / 1000} s`)), limitMs);
  });
  try {
    return await Promise.race([p, guard]);
  } finally {
    clearTimeout(timer);
  }
}

export function errorNodes(nodes: TreeNode[]): ErrorNode[] {
  return nodes.filter(isError);
}

export function contextValue(node: TreeNode): string {
  return String(node.getTreeItem().contextValue ?? '');
}

/** A fresh region node (Refresh This Node), so a test starts with no page loaded. */
export async function freshRegion(a: FlowLogsApi, profile: string, region: string): Promise<RegionNode> {
  const r = await regionNode(a, profile, region);
  await vscode.commands.executeCommand('flowLogs.refreshNode', r);
  return r;
}

/** Clicks the error node's Retry (the flowLogs.retry command) and waits for the resumed load. */
export async function retryAndWait(a: FlowLogsApi, region: RegionNode, err: ErrorNode): Promise<TreeNode[]> {
  await vscode.commands.executeCommand('flowLogs.retry', err);
  // Retry starts the load without awaiting it; getChildren joins the load in flight.
  return children(a, region);
}

export function dfl(emulator: Emulator, since = 0) {
  return emulator.requests.filter((q) => q.action === 'DescribeFlowLogs' && q.seq > since);
}

export function lastSeq(emulator: Emulator): number {
  const r = emulator.requests;
  return r.length ? r[r.length - 1].seq : 0;
}

export function labels(nodes: TreeNode[]): string[] {
  return nodes.map(label);
}

export function assertUnique(ids: string[], what = 'flow log IDs'): void {
  const dups = ids.filter((id, i) => ids.indexOf(id) !== i);
  assert.deepEqual(dups, [], `duplicate ${what}`);
}
