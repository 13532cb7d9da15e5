// The composition root: the services the commands and views share, built once at activation.
// Building them loads no AWS SDK module: the AWS workers start, and load the SDK, on the first
// request.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FlowLogService } from './aws/flowLogService';
import { AwsWorkerPool } from './aws/awsWorkerPool';
import { cleartextEndpointsOf } from './aws/endpoints';
import { AwsProfile, regionsForProfile } from './aws/profiles';
import { FilterStore } from './filters/filterStore';
import { FlowLogsTreeProvider } from './tree/flowLogsTreeProvider';
import { OutputLogger } from './outputLogger';
import { settings } from './settings';
import { ExpandedNodes } from './tree/expandedNodes';
import { queuedMfaPrompt } from './mfaPrompt';

export const VIEW_ID = 'flowLogs.explorer';
const REGIONS_KEY = (profile: string) => `flowLogs.regions.${profile}`;

export interface ExtensionServices {
  context: vscode.ExtensionContext;
  logger: OutputLogger;
  service: FlowLogService;
  /** The worker threads that make every AWS call (the SDK never runs on this thread). */
  aws: AwsWorkerPool;
  filters: FilterStore;
  provider: FlowLogsTreeProvider;
  treeView: vscode.TreeView<unknown>;
  settings: typeof settings;
  regionsFor(profile: AwsProfile): string[];
  setChosenRegions(profile: string, regions: string[]): Promise<void>;
}

export function createServices(context: vscode.ExtensionContext): ExtensionServices {
  const logger = new OutputLogger();
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  // MFA codes are asked one at a time (src/mfaPrompt.ts).
  const mfaCodeProvider = queuedMfaPrompt();
  const clientSettings = () => ({
    maxAttempts: settings.maxAttempts(),
    requestTimeoutMs: settings.requestTimeoutMs(),
    credentialProcessTimeoutMs: settings.credentialProcessTimeoutMs(),
    endpointUrl: settings.endpointUrl(),
    userAgent: `vpc-flow-logs-explorer/${version}`,
    s3ForcePathStyle: settings.s3ForcePathStyle(),
  });
  // AWS calls run in worker threads (dist/awsWorker.js, next to this bundle).
  const aws = new AwsWorkerPool(path.join(__dirname, 'awsWorker.js'), { settings: clientSettings, logger, mfaCodeProvider });
  context.subscriptions.push({ dispose: () => aws.dispose() });
  const service = new FlowLogService(aws, logger);
  const filters = new FilterStore(context.workspaceState);
  const regionsFor = (profile: AwsProfile) =>
    regionsForProfile(profile, settings.regions(), context.globalState.get<string[]>(REGIONS_KEY(profile.name)));

  const expanded = new ExpandedNodes(context.workspaceState);
  const provider: FlowLogsTreeProvider = new FlowLogsTreeProvider(
    {
      service,
      filters,
      logger,
      pageSize: settings.pageSize,
      regionsFor,
      changed: (node) => provider.changed(node),
      wasExpanded: (id) => expanded.has(id),
      withViewProgress: (task) => Promise.resolve(vscode.window.withProgress({ location: { viewId: VIEW_ID } }, task)),
      cleartextEndpoints: (profile) =>
        cleartextEndpointsOf(profile, provider.profiles().config.services, process.env, settings.endpointUrl()),
    },
    settings.profiles,
  );
  const treeView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true, canSelectMany: true });
  // canSelectMany: Analyze… runs on several flow logs at once.
  // Expanded profiles and regions come back after a window reload.
  const remember = (e: vscode.TreeViewExpansionEvent<unknown>, open: boolean) => {
    const node = e.element as { kind?: string; id?: string };
    if ((node.kind === 'profile' || node.kind === 'region') && node.id) expanded.set(node.id, open);
  };
  context.subscriptions.push(
    treeView.onDidExpandElement((e) => remember(e, true)),
    treeView.onDidCollapseElement((e) => remember(e, false)),
  );

  return {
    context,
    logger,
    service,
    aws,
    filters,
    provider,
    treeView: treeView as vscode.TreeView<unknown>,
    settings,
    regionsFor,
    setChosenRegions: async (profile, regions) => {
      await context.globalState.update(REGIONS_KEY(profile), regions.length ? regions : undefined);
    },
  };
}
