// Explain this record and the address names (issue 27): the command flowLogs.explainRecord and the
// API the records page calls (resolveAddresses for the addresses in view, explainRecord for one
// record). The resolver (src/network/resolver.ts) makes its calls through the AWS workers.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import type { AddressResolver, ExplainResult, ResolveResult } from '../network/resolver';
import { explainMarkdown, explainSummary, parseExplainArg, type ExplainRequest } from '../network/explainView';
import { AwsCallError } from '../shared/errors';

export interface NamesApi {
  /** Names the addresses (and eni- IDs) in view, batched and cached per (profile, region). */
  resolveAddresses(profile: string, region: string, addresses: readonly string[], signal?: AbortSignal): Promise<ResolveResult>;
  /** Evaluates one record's security groups and network ACL and names both ends. */
  explainRecord(request: ExplainRequest, signal?: AbortSignal): Promise<ExplainResult>;
  resolver: AddressResolver;
}

/** What the command returns (the integration tests read it). */
export type ExplainOutcome = { ok: true; summary: string; markdown: string; result: ExplainResult } | { ok: false; message: string };

export function registerExplainCommands(s: ExtensionServices): { disposables: vscode.Disposable[]; api: NamesApi } {
  const resolver = s.names;
  const api: NamesApi = {
    resolver,
    resolveAddresses: (profile, region, addresses, signal) => resolver.resolveAddresses(profile, region, addresses, { signal }),
    explainRecord: (req, signal) => resolver.explainRecord(req.profile, req.region, req.record, signal),
  };
  const explain = async (arg?: unknown): Promise<ExplainOutcome> => {
    const parsed = parseExplainArg(arg);
    if (!parsed.ok) {
      void vscode.window.showWarningMessage(parsed.message);
      return parsed;
    }
    const req = parsed.request;
    let result: ExplainResult;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Explaining the record of ${req.record.interfaceId}…`, cancellable: true },
        (_progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          return api.explainRecord(req, abort.signal);
        },
      );
    } catch (err) {
      // A cancel or a worker that died: said once, not thrown at VS Code.
      const message = err instanceof AwsCallError ? err.error.message : err instanceof Error ? err.message : String(err);
      s.logger.warn(`Explain this record: ${message}`);
      return { ok: false, message };
    }
    const markdown = explainMarkdown(req, result);
    const summary = explainSummary(result);
    s.logger.info(
      `Explain ${req.record.interfaceId} ${req.record.srcaddr} -> ${req.record.dstaddr}: ${summary} (${result.requests} requests)`,
    );
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => vscode.window.showTextDocument(doc));
    return { ok: true, summary, markdown, result };
  };
  return { disposables: [vscode.commands.registerCommand('flowLogs.explainRecord', explain)], api };
}
