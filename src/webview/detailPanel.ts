// The flow log detail panel: lifecycle, messages in and out, and the serializer that brings it
// back after a window reload. One "preview" panel is reused as the selection moves; a panel
// opened to the side (or one the user has pinned by moving it) keeps its flow log.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { FlowLogNode } from '../tree/flowLogNode';
import type { FlowLog } from '../aws/types';
import type { AwsProfile } from '../aws/profiles';
import { flowLogArn, isRegionId } from '../aws/arn';
import { isFlowLogId } from '../filters/filterDefinitions';
import { createNonce, renderFlowLogDetail, renderPlaceholder } from './render';
import { isTagValueOf, parseWebviewMessage, WebviewMessage, type CopyField } from './messages';
import { flowLogLabel } from '../tree/flowLogLabels';
import { errorOf } from '../aws/errors';

export const DETAIL_VIEW_TYPE = 'flowLogs.detail';

interface PanelState {
  profile: string;
  region: string;
  flowLogId: string;
}

class DetailPanel {
  node: FlowLogNode | undefined;
  lastHtml = '';

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly s: ExtensionServices,
    private readonly copy: CopyFlowLogValue,
    readonly preview: boolean,
    onDispose: (p: DetailPanel) => void,
  ) {
    panel.onDidDispose(() => onDispose(this));
    panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw));
  }

  async show(node: FlowLogNode): Promise<void> {
    this.node = node;
    this.panel.title = flowLogLabel(node.flowLog);
    let accountId: string | undefined;
    try {
      accountId = await this.s.service.accountId(node.profile);
    } catch {
      accountId = undefined; // the ARN is then shown as unknown; everything else still renders
    }
    if (this.node !== node) return; // the selection moved on while STS answered
    this.render(node.flowLog, node.profile, node.region, accountId);
  }

  private render(flowLog: FlowLog, profile: AwsProfile, region: string, accountId?: string): void {
    const webview = this.panel.webview;
    const media = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.s.context.extensionUri, 'media', f)).toString();
    this.lastHtml = renderFlowLogDetail({
      flowLog,
      context: { profile: profile.name, region, accountId },
      arn: flowLogArn(region, accountId, flowLog.FlowLogId),
      cspSource: webview.cspSource,
      nonce: createNonce(),
      styleUri: media('detail.css'),
      scriptUri: media('detail.js'),
      codiconsUri: media('codicons/codicon.css'),
      locale: vscode.env.language,
    });
    webview.html = this.lastHtml;
  }

  showMessage(message: string, kind: 'info' | 'error' = 'info'): void {
    const webview = this.panel.webview;
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.s.context.extensionUri, 'media', 'detail.css')).toString();
    this.lastHtml = renderPlaceholder(message, webview.cspSource, createNonce(), style, kind);
    webview.html = this.lastHtml;
  }

  /** Every message is checked: known commands with arguments of the expected shape only. */
  private async onMessage(raw: unknown): Promise<void> {
    const msg: WebviewMessage | undefined = parseWebviewMessage(raw);
    const node = this.node;
    if (!msg) {
      this.s.logger.warn('Ignored an unexpected message from the detail panel');
      return;
    }
    if (!node || msg.command === 'ready') return;
    switch (msg.command) {
      case 'copy':
        if (msg.field === 'tagValue') {
          // Only a value that really is a tag of this flow log: the webview's message is not trusted.
          if (!isTagValueOf(node.flowLog, msg.value)) {
            this.s.logger.warn('Ignored a copy request for a value that is not a tag of this flow log');
            void this.panel.webview.postMessage({ type: 'status', text: 'Nothing copied' });
            return;
          }
          await vscode.env.clipboard.writeText(msg.value);
          vscode.window.setStatusBarMessage('$(copy) Copied tag value', 3000);
          void this.panel.webview.postMessage({ type: 'status', text: 'Copied' });
        } else {
          const copied = await this.copy(node, msg.field);
          void this.panel.webview.postMessage({ type: 'status', text: copied ? 'Copied' : 'Nothing copied' });
        }
        return;
      case 'openConsole':
        await vscode.commands.executeCommand('flowLogs.openInConsole', node, msg.target);
        return;
      case 'filterByResource':
        await vscode.commands.executeCommand('flowLogs.filterByResource', node);
        return;
      case 'refresh':
        await this.refresh();
        return;
      case 'showRecords':
        await vscode.commands.executeCommand('flowLogs.showRecords', node);
        return;
    }
  }

  /** Re-fetches this flow log with FlowLogIds=[id]. */
  async refresh(): Promise<void> {
    const node = this.node;
    if (!node?.flowLog.FlowLogId) return;
    try {
      const fresh = await this.s.service.describeOne(node.profile, node.region, node.flowLog.FlowLogId);
      if (!fresh) {
        this.showMessage(`Flow log ${node.flowLog.FlowLogId} no longer exists in ${node.profile.name} · ${node.region}.`);
        return;
      }
      await this.show(new FlowLogNode(node.parent, node.profile, node.region, fresh));
    } catch (err) {
      // Keep the details on screen: a passing network error should not cost the user the view.
      void this.panel.webview.postMessage({ type: 'status', text: 'Refresh failed' });
      void vscode.window.showErrorMessage(`Could not refresh ${node.flowLog.FlowLogId}: ${errorOf(err).message}`);
    }
  }
}

/** Copies a field of a flow log (an ARN, an ID…) to the clipboard; the value copied, if any. */
export type CopyFlowLogValue = (node: FlowLogNode, field: Exclude<CopyField, 'tagValue'>) => Promise<string | undefined>;

export class DetailPanels implements vscode.Disposable, vscode.WebviewPanelSerializer<PanelState> {
  private preview: DetailPanel | undefined;
  private readonly panels = new Set<DetailPanel>();

  /** `copy` is the copy action the tree's commands use (wired in extension.ts). */
  constructor(
    private readonly s: ExtensionServices,
    private readonly copy: CopyFlowLogValue,
  ) {}

  get all(): DetailPanel[] {
    return [...this.panels];
  }

  /** The selection moved (arrow keys, say): an open preview panel follows it, as a click does. */
  async follow(node: FlowLogNode): Promise<void> {
    if (this.preview && this.preview.node !== node) await this.preview.show(node);
  }

  /** Shows a flow log: reuses the preview panel, or opens a new one to the side. */
  async open(node: FlowLogNode, toSide = false): Promise<DetailPanel> {
    let target = toSide ? undefined : this.preview;
    if (!target) {
      const panel = vscode.window.createWebviewPanel(
        DETAIL_VIEW_TYPE,
        flowLogLabel(node.flowLog),
        { viewColumn: toSide ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active, preserveFocus: !toSide },
        this.webviewOptions(),
      );
      target = this.adopt(panel, !toSide);
    }
    target.panel.reveal(undefined, !toSide);
    await target.show(node);
    return target;
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      retainContextWhenHidden: false,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(this.s.context.extensionUri, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel, preview: boolean): DetailPanel {
    // The tab shows the extension's icon, not a generic one.
    panel.iconPath = vscode.Uri.joinPath(this.s.context.extensionUri, 'media', 'activity-bar.svg');
    const p = new DetailPanel(panel, this.s, this.copy, preview, (gone) => {
      this.panels.delete(gone);
      if (this.preview === gone) this.preview = undefined;
    });
    this.panels.add(p);
    if (preview) {
      this.preview = p;
      // Moving the preview to another editor group pins it, like an editor preview that was kept.
      const openedIn = panel.viewColumn;
      panel.onDidChangeViewState((e) => {
        const column = e.webviewPanel.viewColumn;
        if (this.preview === p && openedIn !== undefined && column !== undefined && column !== openedIn) this.preview = undefined;
      });
    }
    return p;
  }

  /** After a window reload: find the flow log again (FlowLogIds=[id]) and render it. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PanelState | undefined): Promise<void> {
    panel.webview.options = this.webviewOptions();
    const p = this.adopt(panel, !this.preview);
    // The state comes from the webview: trust nothing of its shape.
    const usable =
      !!state &&
      typeof state.profile === 'string' &&
      typeof state.region === 'string' &&
      isRegionId(state.region) &&
      typeof state.flowLogId === 'string' &&
      isFlowLogId(state.flowLogId);
    // Only a profile the view shows: a hidden one (flowLogs.profiles) must not resolve credentials at reload.
    const profile = usable ? this.s.provider.profileNodesShown.find((n) => n.profile.name === state.profile)?.profile : undefined;
    if (!state || !profile) {
      p.showMessage('Select a flow log in the Flow Logs view to see its details.');
      return;
    }
    p.showMessage(`Loading ${state.flowLogId}…`);
    try {
      const flowLog = await this.s.service.describeOne(profile, state.region, state.flowLogId);
      if (!flowLog) {
        p.showMessage(`Flow log ${state.flowLogId} was not found in ${state.profile} · ${state.region}.`);
        return;
      }
      const parent = this.s.provider.profileNodesShown.find((n) => n.profile.name === profile.name);
      await p.show(new FlowLogNode(parent ?? (undefined as never), profile, state.region, flowLog));
    } catch (err) {
      p.showMessage(`Could not load ${state.flowLogId}: ${errorOf(err).message}`, 'error');
    }
  }

  dispose(): void {
    for (const p of this.panels) p.panel.dispose();
  }
}
