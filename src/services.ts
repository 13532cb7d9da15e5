// The composition root: the services the commands and views share, built once at activation.
// Building them loads no AWS SDK module: the AWS workers start, and load the SDK, on the first
// request.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SsoDirectory } from './explorer/ssoDirectory';
import { FlowLogService } from './aws/flowLogService';
import { AddressResolver } from './network/resolver';
import { AwsWorkerPool, type AwsWorkerPoolDeps } from './aws/awsWorkerPool';
import type { ClientSettings } from './shared/awsWorkerProtocol';
import { cleartextEndpointsOf } from './shared/endpoints';
import type { AwsProfile } from './shared/profiles';
import { FilterStore } from './filters/filterStore';
import { toQuery } from './filters/filterSet';
import { ExplorerModel } from './explorer/explorerModel';
import { sharedConfigLoader } from './explorer/profileStore';
import { FlowLogsTreeProvider } from './tree/flowLogsTreeProvider';
import { OutputLogger } from './outputLogger';
import { settings } from './settings';
import { ExpandedNodes } from './tree/expandedNodes';
import { queuedMfaPrompt } from './mfaPrompt';

export const VIEW_ID = 'flowLogs.explorer';

export interface ExtensionServices {
  context: vscode.ExtensionContext;
  logger: OutputLogger;
  service: FlowLogService;
  /** The worker threads that make every AWS call (the SDK never runs on this thread). */
  aws: AwsWorkerPool;
  filters: FilterStore;
  /** What the Flow Logs view shows, outside its nodes: profiles, regions, loaded flow logs (src/explorer/). */
  explorer: ExplorerModel;
  provider: FlowLogsTreeProvider;
  treeView: vscode.TreeView<unknown>;
  settings: typeof settings;
  /** Address and interface names (issue 27), batched and cached per (profile, region) through the workers. */
  names: AddressResolver;
  /** The SSO sessions of the config files and the accounts found through them. */
  sso: SsoDirectory;
}

/** @param onAnswer observes the AWS workers' answers (the extension's test API only). */
export function createServices(context: vscode.ExtensionContext, onAnswer?: AwsWorkerPoolDeps['onAnswer']): ExtensionServices {
  const logger = new OutputLogger();
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  // MFA codes are asked one at a time (src/mfaPrompt.ts).
  const mfaCodeProvider = queuedMfaPrompt();
  const clientSettings = (): ClientSettings => ({
    maxAttempts: settings.maxAttempts(),
    requestTimeoutMs: settings.requestTimeoutMs(),
    credentialProcessTimeoutMs: settings.credentialProcessTimeoutMs(),
    endpointUrl: settings.endpointUrl(),
    userAgent: `vpc-flow-logs-explorer/${version}`,
    s3ForcePathStyle: settings.s3ForcePathStyle(),
  });
  // AWS calls run in worker threads (dist/awsWorker.js, next to this bundle).
  const aws = new AwsWorkerPool(path.join(__dirname, 'awsWorker.js'), { logger, mfaCodeProvider, onAnswer });
  context.subscriptions.push({ dispose: () => aws.dispose() });
  // The workers are told the settings and the profiles when either changes (a call names its profile only).
  let profiles: readonly AwsProfile[] = [];
  const configure = () => aws.configure(clientSettings(), profiles);
  configure();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('flowLogs') && configure()),
    // Trust decides which settings are read (restrictedConfigurations).
    vscode.workspace.onDidGrantWorkspaceTrust(configure),
  );
  const service = new FlowLogService(aws, logger);
  const filters = new FilterStore(context.workspaceState);
  // The chosen regions are kept in the global state (the model sees it as a key-value storage).
  const explorer = new ExplorerModel({
    service,
    loader: sharedConfigLoader(process.env),
    storage: context.globalState,
    logger,
    settingRegions: settings.regions,
    shownProfileNames: settings.profiles,
    query: () => toQuery(filters.filters),
    pageSize: settings.pageSize,
    onProfilesRead: (list) => {
      profiles = list;
      configure();
    },
    onReload: () => sso?.reset(),
  });
  // The accounts of each SSO sign-in, listed by the AWS workers as the session's anchor profile.
  const sso: SsoDirectory = new SsoDirectory({
    store: explorer.profiles,
    listPage: (anchor, args, signal) =>
      aws.call('ssoAccountsPage', anchor.name, anchor.region ?? anchor.settings.sso_region?.toString() ?? 'us-east-1', args, signal),
    preferredRole: settings.ssoPreferredRoleName,
    logger,
  });
  context.subscriptions.push(
    { dispose: () => sso.dispose() },
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('flowLogs.sso.preferredRoleName') && sso.rebuild()),
  );
  context.subscriptions.push({ dispose: () => explorer.dispose() });

  const expanded = new ExpandedNodes(context.workspaceState);
  const provider = new FlowLogsTreeProvider({
    explorer,
    filters,
    wasExpanded: (id) => expanded.has(id),
    withViewProgress: (task) => Promise.resolve(vscode.window.withProgress({ location: { viewId: VIEW_ID } }, task)),
    sso,
    cleartextEndpoints: (profile) =>
      cleartextEndpointsOf(profile, explorer.profiles.profiles().config.services, process.env, settings.endpointUrl()),
  });
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
    explorer,
    provider,
    treeView: treeView as vscode.TreeView<unknown>,
    settings,
    names: new AddressResolver(aws),
    sso,
  };
}
