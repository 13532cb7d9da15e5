// The flow log detail panel: lifecycle, messages in and out, and the serializer that brings it
// back after a window reload. One "preview" panel is reused as the selection moves; a panel
// opened to the side (or one the user has pinned by moving it) keeps its flow log.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { restoredPanelTarget } from '../explorer/panelRestore';
import { renderFlowLogDetail, renderPlaceholder } from './render';
import { createNonce } from './pageShell';
import { parseFromPanel, type FromPanel, type ToPanel } from '../webviews/detail/protocol';
import { flowLogLabel } from '../explorer/flowLogName';
import { errorOf } from '../shared/errors';
import { flowLogRef, sameRef, type FlowLogRef } from '../explorer/flowLogRef';
import { arnOf, isTagValueOf, type CopyKind } from '../explorer/copyValues';

export const DETAIL_VIEW_TYPE = 'flowLogs.detail';

interface PanelState {
  profile: string;
  region: string;
  flowLogId: string;
}

export class DetailPanel {
  /** The flow log shown (undefined while a placeholder is shown). */
  ref: FlowLogRef | undefined;

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

  async show(ref: FlowLogRef): Promise<void> {
    this.ref = ref;
    this.panel.title = flowLogLabel(ref.flowLog);
    let accountId: string | undefined;
    try {
      accountId = await this.s.service.accountId(ref.profile);
    } catch {
      accountId = undefined; // the ARN is then shown as unknown; everything else still renders
    }
    if (this.ref !== ref) return; // the selection moved on while STS answered
    this.render(ref, accountId);
  }

  private render(ref: FlowLogRef, accountId?: string): void {
    const webview = this.panel.webview;
    const media = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.s.context.extensionUri, 'media', f)).toString();
    webview.html = renderFlowLogDetail({
      flowLog: ref.flowLog,
      context: { profile: ref.profile.name, region: ref.region, accountId },
      arn: arnOf(ref, accountId),
      cspSource: webview.cspSource,
      nonce: createNonce(),
      styleUri: media('detail.css'),
      scriptUri: media('dist/detailPage.js'),
      codiconsUri: media('codicons/codicon.css'),
      locale: vscode.env.language,
    });
  }

  showMessage(message: string, kind: 'info' | 'error' = 'info'): void {
    const webview = this.panel.webview;
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.s.context.extensionUri, 'media', 'detail.css')).toString();
    webview.html = renderPlaceholder(message, webview.cspSource, createNonce(), style, kind);
  }

  /** The one way a message reaches the page. */
  private post(m: ToPanel): void {
    void this.panel.webview.postMessage(m);
  }

  /** Every message is checked (parseFromPanel): known types with fields of the expected shape only. */
  private async onMessage(raw: unknown): Promise<void> {
    const msg: FromPanel | undefined = parseFromPanel(raw);
    const ref = this.ref;
    if (!msg) {
      this.s.logger.warn('Ignored an unexpected message from the detail panel');
      return;
    }
    if (!ref || msg.type === 'ready') return;
    switch (msg.type) {
      case 'copy':
        if (msg.field === 'tagValue') {
          // Only a value that really is a tag of this flow log: the webview's message is not trusted.
          if (!isTagValueOf(ref.flowLog, msg.value)) {
            this.s.logger.warn('Ignored a copy request for a value that is not a tag of this flow log');
            this.post({ type: 'status', text: 'Nothing copied' });
            return;
          }
          await vscode.env.clipboard.writeText(msg.value);
          vscode.window.setStatusBarMessage('$(copy) Copied tag value', 3000);
          this.post({ type: 'status', text: 'Copied' });
        } else {
          const copied = await this.copy(ref, msg.field);
          this.post({ type: 'status', text: copied ? 'Copied' : 'Nothing copied' });
        }
        return;
      case 'openConsole':
        await vscode.commands.executeCommand('flowLogs.openInConsole', ref, msg.target);
        return;
      case 'filterByResource':
        await vscode.commands.executeCommand('flowLogs.filterByResource', ref);
        return;
      case 'refresh':
        await this.refresh();
        return;
      case 'showRecords':
        await vscode.commands.executeCommand('flowLogs.showRecords', ref);
        return;
    }
  }

  /** Re-fetches this flow log with FlowLogIds=[id]. */
  async refresh(): Promise<void> {
    const ref = this.ref;
    if (!ref?.flowLog.FlowLogId) return;
    try {
      const fresh = await this.s.service.describeOne(ref.profile, ref.region, ref.flowLog.FlowLogId);
      if (!fresh) {
        this.showMessage(`Flow log ${ref.flowLog.FlowLogId} no longer exists in ${ref.profile.name} · ${ref.region}.`);
        return;
      }
      await this.show(flowLogRef(ref.profile, ref.region, fresh));
    } catch (err) {
      // Keep the details on screen: a passing network error should not cost the user the view.
      this.post({ type: 'status', text: 'Refresh failed' });
      void vscode.window.showErrorMessage(`Could not refresh ${ref.flowLog.FlowLogId}: ${errorOf(err).message}`);
    }
  }
}

/** Copies a field of a flow log (an ARN, an ID…) to the clipboard; the value copied, if any. */
export type CopyFlowLogValue = (ref: FlowLogRef, field: CopyKind) => Promise<string | undefined>;

/** Told when a panel opens and closes (the extension's test API lists the open panels with it). */
export type DetailPanelObserver = (panel: DetailPanel, open: boolean) => void;

export class DetailPanels implements vscode.Disposable, vscode.WebviewPanelSerializer<PanelState> {
  private preview: DetailPanel | undefined;
  private readonly panels = new Set<DetailPanel>();

  /** `copy` is the copy action the tree's commands use (wired in extension.ts). */
  constructor(
    private readonly s: ExtensionServices,
    private readonly copy: CopyFlowLogValue,
    private readonly observer?: DetailPanelObserver,
  ) {}

  /** The selection moved (arrow keys, say): an open preview panel follows it, as a click does. */
  async follow(ref: FlowLogRef): Promise<void> {
    if (this.preview && !sameRef(this.preview.ref, ref)) await this.preview.show(ref);
  }

  /** Shows a flow log: reuses the preview panel, or opens a new one to the side. */
  async open(ref: FlowLogRef, toSide = false): Promise<DetailPanel> {
    let target = toSide ? undefined : this.preview;
    if (!target) {
      const panel = vscode.window.createWebviewPanel(
        DETAIL_VIEW_TYPE,
        flowLogLabel(ref.flowLog),
        { viewColumn: toSide ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active, preserveFocus: !toSide },
        this.webviewOptions(),
      );
      target = this.adopt(panel, !toSide);
    }
    target.panel.reveal(undefined, !toSide);
    await target.show(ref);
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
      this.observer?.(gone, false);
    });
    this.panels.add(p);
    this.observer?.(p, true);
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
    // The state comes from the webview; only a profile the view shows (explorer/panelRestore.ts, one rule for every panel).
    const target = restoredPanelTarget(state, this.s.explorer.profiles.shown());
    const profile = target?.profile;
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
      await p.show(flowLogRef(profile, state.region, flowLog));
    } catch (err) {
      p.showMessage(`Could not load ${state.flowLogId}: ${errorOf(err).message}`, 'error');
    }
  }

  dispose(): void {
    for (const p of this.panels) p.panel.dispose();
  }
}
