import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixture, Fixture, defaultAccounts } from './helpers';

// What VS Code does after a window reload: it hands the serializer a new panel and the state the
// webview saved (src/webviews/detail/main.ts: flowLogId, profile, region). The panel must find the flow log
// again (DescribeFlowLogs with FlowLogIds=[id]) and render it.
describe('detail panel restored after a window reload (webview serializer)', () => {
  let fx: Fixture;
  before(async () => {
    fx = await fixture({ accounts: defaultAccounts(20) });
  });
  after(async () => {
    for (const p of fx.api.openDetailPanels()) p.panel.dispose();
    await fx.stop();
  });

  const restore = async (state: unknown) => {
    const panel = vscode.window.createWebviewPanel('flowLogs.detail', 'restored', vscode.ViewColumn.Active, {});
    await fx.api.detailPanels.deserializeWebviewPanel(panel, state as never);
    const restored = fx.api.openDetailPanels().find((p) => p.panel === panel);
    assert.ok(restored, 'the panel is managed again');
    return restored;
  };

  it('re-fetches the flow log by ID and renders it', async () => {
    const target = fx.emulator.flowLogs('111111111111', 'us-east-1')[5];
    fx.emulator.resetRequests();
    const p = await restore({ profile: 'acct1', region: 'us-east-1', flowLogId: target.FlowLogId });
    assert.ok(p.panel.webview.html.includes(target.FlowLogId!));
    assert.ok(p.panel.webview.html.includes(target.ResourceId!));
    const asked = fx.emulator.requests.filter((r) => r.action === 'DescribeFlowLogs');
    assert.equal(asked.length, 1);
    assert.equal(asked[0].params?.flowLogIds, 1);
  });

  it('says so, without a crash, when the flow log is gone or the state is unusable', async () => {
    const gone = await restore({ profile: 'acct1', region: 'us-east-1', flowLogId: 'fl-00000000000000000' });
    assert.match(gone.panel.webview.html, /was not found/);
    fx.emulator.resetRequests();
    for (const state of [
      { profile: 42, flowLogId: '<script>' },
      { profile: 'acct1', region: 'us-east-1', flowLogId: '<script>alert(1)</script>' },
      { profile: 'acct1', region: 'x; y', flowLogId: 'fl-00000000000000000' },
      null,
    ]) {
      const garbage = await restore(state);
      assert.match(garbage.panel.webview.html, /Select a flow log/);
      assert.ok(!garbage.panel.webview.html.includes('<script>alert'));
    }
    assert.equal(fx.emulator.requests.length, 0, 'nothing is sent for a state that is not a flow log');
  });
});
