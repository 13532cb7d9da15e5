// The detail panel (a real webview in VS Code) and the copy / console actions on flow log nodes.
// Expected values come from the emulator's ground truth, and ARNs are built here independently.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FlowLog } from '../../src/shared/types';
import { fixture, Fixture, children, regionNode, setting, isFlowLog, defaultAccounts, sleep, FlowLogNode } from './helpers';

const A1 = '111111111111';
const A2 = '222222222222';
const SENTINEL = 'clipboard-sentinel-before-copy';

/** HTML escaping written independently of src/webview/escape.ts (for values without control characters). */
const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/`/g, '&#96;');
const decodeAttr = (s: string) =>
  s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const HOSTILE_VALUE = '<img src=x onerror=alert(1)>';
const HOSTILE_KEY = '"><script>alert(2)</script>';
/** A flow log put into the emulator with hostile tags. */
const crafted: FlowLog = {
  FlowLogId: 'fl-0123456789abcdef0',
  FlowLogStatus: 'ACTIVE',
  DeliverLogsStatus: 'SUCCESS',
  ResourceId: 'subnet-0fedcba9876543210',
  TrafficType: 'REJECT',
  LogDestinationType: 's3',
  LogDestination: 'arn:aws:s3:::crafted-bucket/prefix/',
  LogFormat: '${version} ${srcaddr} ${dstaddr}',
  MaxAggregationInterval: 60,
  CreationTime: new Date(Date.UTC(2021, 4, 6, 7, 8, 9)),
  DestinationOptions: { FileFormat: 'plain-text', HiveCompatiblePartitions: false, PerHourPartition: true },
  Tags: [
    { Key: 'Name', Value: 'crafted <b>bold</b> name' },
    { Key: 'evil', Value: HOSTILE_VALUE },
    { Key: HOSTILE_KEY, Value: 'key is hostile' },
    { Key: 'team', Value: 'security' },
  ],
};

describe('detail panel, copy and console actions', function () {
  let fx: Fixture;
  let nodes: FlowLogNode[];
  let truthById: Map<string, FlowLog>;

  const disposePanels = async () => {
    for (const p of fx.api.openDetailPanels()) p.panel.dispose();
    for (let i = 0; i < 50 && fx.api.openDetailPanels().length; i++) await sleep(20);
  };

  before(async () => {
    await setting('pageSize', 100);
    await setting('regions', { acct2: ['eu-central-1'] });
    fx = await fixture({ accounts: defaultAccounts(30) });
    // The crafted flow log goes first in acct1 / us-east-1, followed by the generated ones.
    const generated = fx.emulator.flowLogs(A1, 'us-east-1');
    fx.emulator.setFlowLogs(A1, 'us-east-1', [crafted, ...generated]);
    await sleep(300); // let the configuration change events settle
    await vscode.commands.executeCommand('flowLogs.refresh');
    const kids = await children(fx.api, await regionNode(fx.api, 'acct1', 'us-east-1'));
    nodes = kids.filter(isFlowLog);
    truthById = new Map(fx.emulator.flowLogs(A1, 'us-east-1').map((f) => [f.FlowLogId!, f]));
    assert.equal(nodes.length, 31, 'fixture sanity: all flow logs on one page');
  });
  after(async () => {
    await disposePanels();
    await setting('pageSize', undefined);
    await setting('regions', undefined);
    await fx.stop();
  });

  const truthOf = (n: FlowLogNode) => {
    const f = truthById.get(n.flowLog.FlowLogId!);
    assert.ok(f, `flow log ${n.flowLog.FlowLogId} is in the ground truth`);
    return f;
  };
  const find = (pred: (f: FlowLog) => boolean, what: string) => {
    const n = nodes.find((x) => pred(truthOf(x)));
    assert.ok(n, `fixture sanity: a flow log with ${what}`);
    return n;
  };

  async function copy(command: string, node: unknown): Promise<{ result: unknown; clipboard: string }> {
    await vscode.env.clipboard.writeText(SENTINEL);
    assert.equal(await vscode.env.clipboard.readText(), SENTINEL, 'clipboard works in this host');
    const result = await vscode.commands.executeCommand(command, node);
    return { result, clipboard: await vscode.env.clipboard.readText() };
  }

  describe('copy actions', () => {
    it('Copy ARN copies arn:aws:ec2:<region>:<account>:vpc-flow-log/<id>', async () => {
      for (const n of nodes.slice(0, 4)) {
        const expected = `arn:aws:ec2:us-east-1:${A1}:vpc-flow-log/${truthOf(n).FlowLogId}`;
        const { result, clipboard } = await copy('flowLogs.copyArn', n);
        assert.equal(clipboard, expected);
        assert.equal(result, expected);
      }
    });

    it('Copy ARN uses the account and region of the node (account 2, eu-central-1)', async () => {
      const kids = await children(fx.api, await regionNode(fx.api, 'acct2', 'eu-central-1'));
      const n = kids.filter(isFlowLog)[2];
      const f = fx.emulator.flowLogs(A2, 'eu-central-1').find((x) => x.FlowLogId === n.flowLog.FlowLogId);
      assert.ok(f);
      const { clipboard } = await copy('flowLogs.copyArn', n);
      assert.equal(clipboard, `arn:aws:ec2:eu-central-1:${A2}:vpc-flow-log/${f.FlowLogId}`);
    });

    it('Copy ID, Resource ID and Destination ARN copy the exact values', async () => {
      for (const n of [nodes[0], ...nodes.slice(5, 9)]) {
        const f = truthOf(n);
        assert.equal((await copy('flowLogs.copyId', n)).clipboard, f.FlowLogId);
        assert.equal((await copy('flowLogs.copyResourceId', n)).clipboard, f.ResourceId);
        assert.ok(f.LogDestination);
        assert.equal((await copy('flowLogs.copyDestinationArn', n)).clipboard, f.LogDestination);
      }
    });

    it('Copy Role ARN copies the delivery role', async () => {
      const cw = find((f) => f.LogDestinationType === 'cloud-watch-logs' && !!f.DeliverLogsPermissionArn, 'a CloudWatch Logs role');
      const { result, clipboard } = await copy('flowLogs.copyRoleArn', cw);
      assert.equal(clipboard, truthOf(cw).DeliverLogsPermissionArn);
      assert.equal(result, truthOf(cw).DeliverLogsPermissionArn);
      assert.match(clipboard, /^arn:aws:iam::111111111111:role\//);
    });

    it('a flow log without a role gets nothing copied', async () => {
      const noRole = find((f) => f.LogDestinationType === 's3' && !f.DeliverLogsPermissionArn && !f.DeliverCrossAccountRole, 'no role');
      const { result, clipboard } = await copy('flowLogs.copyRoleArn', noRole);
      assert.equal(result, undefined);
      assert.equal(clipboard, SENTINEL, 'clipboard unchanged');
    });
  });

  describe('details webview', () => {
    beforeEach(disposePanels);

    it('Show Details opens a panel titled with the Name tag, with every field and tag, and the CSP', async () => {
      const n = find(
        (f) =>
          f.FlowLogId !== crafted.FlowLogId &&
          !!f.Tags?.some((t) => t.Key === 'Name') &&
          (f.Tags?.length ?? 0) >= 3 &&
          !f.Tags!.some((t) => /[<>&"'`]/.test(`${t.Key}${t.Value}`)),
        'a Name tag and plain tags',
      );
      const f = truthOf(n);
      await vscode.commands.executeCommand('flowLogs.showDetails', n);
      const panels = fx.api.openDetailPanels();
      assert.equal(panels.length, 1);
      const p = panels[0];
      assert.equal(p.panel.title, f.Tags!.find((t) => t.Key === 'Name')!.Value);
      assert.equal(p.ref?.flowLog.FlowLogId, f.FlowLogId);
      const html = p.panel.webview.html;
      assert.ok(html.includes(f.FlowLogId!), 'ID');
      assert.ok(html.includes(f.ResourceId!), 'resource');
      assert.ok(html.includes(esc(f.LogDestination!)), 'destination');
      assert.ok(html.includes(`arn:aws:ec2:us-east-1:${A1}:vpc-flow-log/${f.FlowLogId}`), 'ARN');
      for (const t of f.Tags!) {
        assert.ok(html.includes(esc(t.Key!)), `tag key ${t.Key}`);
        assert.ok(html.includes(esc(t.Value!)), `tag value ${t.Value}`);
      }
      const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
      assert.ok(meta, 'a CSP meta tag');
      const csp = decodeAttr(meta[1]);
      assert.match(csp, /(^|;)\s*default-src 'none'\s*(;|$)/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    });

    it('a flow log without a Name tag is titled with its ID', async () => {
      const n = find((f) => !f.Tags?.some((t) => t.Key === 'Name'), 'no Name tag');
      await vscode.commands.executeCommand('flowLogs.showDetails', n);
      assert.equal(fx.api.openDetailPanels().length, 1);
      assert.equal(fx.api.openDetailPanels()[0].panel.title, truthOf(n).FlowLogId);
    });

    it('hostile tag keys and values are escaped, never raw', async () => {
      const n = nodes.find((x) => x.flowLog.FlowLogId === crafted.FlowLogId);
      assert.ok(n, 'the crafted flow log is in the tree');
      await vscode.commands.executeCommand('flowLogs.showDetails', n);
      const p = fx.api.openDetailPanels()[0];
      assert.equal(p.panel.title, 'crafted <b>bold</b> name', 'a plain-text title');
      const html = p.panel.webview.html;
      assert.ok(html.includes(crafted.FlowLogId!));
      assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'hostile value escaped');
      assert.ok(!html.includes(HOSTILE_VALUE), 'hostile value never raw');
      assert.ok(!/<img\b/i.test(html), 'no img element at all');
      assert.ok(html.includes(esc(HOSTILE_KEY)), 'hostile key escaped');
      assert.ok(!html.includes('<script>alert(2)'), 'hostile key never raw');
      assert.ok(!html.includes('<b>bold</b>'), 'hostile name never raw');
      assert.ok(html.includes(esc('crafted <b>bold</b> name')));
      // Every <script> the page has carries the CSP nonce.
      const nonce = /script-src 'nonce-([^']+)'/.exec(decodeAttr(/content="([^"]*)"/.exec(html)![1]))?.[1];
      assert.ok(nonce);
      const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
      assert.ok(scripts.length >= 1);
      for (const s of scripts) assert.ok(s.includes(`nonce="${nonce}"`), s);
      // The page's one script is the bundled TypeScript page (src/webviews/detail/).
      assert.deepEqual(
        scripts.map((s) => /\/media\/[^"]*\.js/.exec(s)?.[0]),
        ['/media/dist/detailPage.js'],
      );
    });

    it('selecting another flow log reuses the preview panel; Show Details to the Side opens a second one', async () => {
      const [a, b, c] = nodes.slice(1, 4);
      await vscode.commands.executeCommand('flowLogs.showDetails', a);
      assert.equal(fx.api.openDetailPanels().length, 1);
      const preview = fx.api.openDetailPanels()[0];
      assert.ok(preview.panel.webview.html.includes(a.flowLog.FlowLogId!));

      await vscode.commands.executeCommand('flowLogs.showDetails', b);
      assert.equal(fx.api.openDetailPanels().length, 1, 'the same panel');
      assert.equal(fx.api.openDetailPanels()[0], preview);
      assert.equal(preview.ref?.flowLog.FlowLogId, b.flowLog.FlowLogId);
      assert.ok(preview.panel.webview.html.includes(b.flowLog.FlowLogId!));
      assert.ok(!preview.panel.webview.html.includes(a.flowLog.FlowLogId!), 'the previous flow log is gone');

      await vscode.commands.executeCommand('flowLogs.showDetailsToSide', c);
      const all = fx.api.openDetailPanels();
      assert.equal(all.length, 2, 'a second panel');
      const side = all.find((p) => p !== preview)!;
      assert.equal(side.ref?.flowLog.FlowLogId, c.flowLog.FlowLogId);
      assert.ok(side.panel.webview.html.includes(c.flowLog.FlowLogId!));
      assert.equal(preview.ref?.flowLog.FlowLogId, b.flowLog.FlowLogId, 'the preview keeps its flow log');
    });

    it('Show Details without a flow log node offers a picker; a crafted object never opens a panel', async () => {
      // From the palette: a picker of the loaded flow logs; dismissing it opens nothing.
      for (const arg of [undefined, { kind: 'flowLog', flowLog: crafted }]) {
        const running = vscode.commands.executeCommand('flowLogs.showDetails', arg);
        await new Promise((r) => setTimeout(r, 500));
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        await running;
      }
      assert.equal(fx.api.openDetailPanels().length, 0);
    });
  });

  describe('Open in AWS Console', () => {
    // The test host refuses the "open external website?" dialog, so openExternal is replaced by a
    // recorder (the test and the extension share one vscode API object inside the extension host).
    const opened: string[] = [];
    let original: PropertyDescriptor | undefined;
    before(() => {
      original = Object.getOwnPropertyDescriptor(vscode.env, 'openExternal');
      Object.defineProperty(vscode.env, 'openExternal', {
        configurable: true,
        writable: true,
        value: async (uri: vscode.Uri) => {
          opened.push(uri.toString(true));
          return true;
        },
      });
    });
    after(() => {
      if (original) Object.defineProperty(vscode.env, 'openExternal', original);
    });

    it('returns the https console URL of the watched resource, and opens it', async () => {
      const cases = [find((f) => /^vpc-/.test(f.ResourceId ?? ''), 'a VPC'), find((f) => /^subnet-/.test(f.ResourceId ?? ''), 'a subnet')];
      for (const n of cases) {
        opened.length = 0;
        const url = await vscode.commands.executeCommand<string>('flowLogs.openInConsole', n);
        assert.equal(typeof url, 'string');
        const u = new URL(url);
        assert.equal(u.protocol, 'https:');
        assert.ok(url.startsWith('https://us-east-1.console.aws.amazon.com/'), url);
        assert.ok(url.includes(truthOf(n).ResourceId!), url);
        assert.equal(u.searchParams.get('region'), 'us-east-1');
        assert.deepEqual(opened, [url], 'the same URL was opened');
      }
    });
  });
});
