// Fault suite, hostile data from the server: tags with HTML and script, a right-to-left override,
// NUL characters, 256-character values, 50 tags, a 2,000-character LogFormat. Tree labels stay
// one readable line; the detail panel HTML carries no live markup but its own nonce'd script.
// (That no script actually runs in the webview is checked by the Chromium UI tests.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixture, Fixture, children, regionNode, ids, label, setting, isFlowLog, defaultAccounts, type FlowLogNode } from './helpers';
import type { FlowLog, Tag } from '../../src/shared/types';
import { registerSecret } from './faultHelpers';

const ACCT1 = '111111111111';
const REGION = 'eu-west-1';
const RLO = '\u202E';
const NUL = '\u0000';

function hostileFlowLogs(base: FlowLog[]): FlowLog[] {
  const fifty: Tag[] = Array.from({ length: 49 }, (_, i) => ({
    Key: `k${i}<b onmouseover=alert(${i})>`,
    Value: i % 2 ? `v${i}-${'Z'.repeat(250)}` : `<script>alert(${i})</script>${RLO}${NUL}`,
  }));
  const logFormat = Array.from({ length: 200 }, (_, i) => (i % 2 ? '${srcaddr}' : '${dstport}'))
    .join(' ')
    .padEnd(2000, ' ')
    .slice(0, 2000);
  return [
    {
      ...base[0],
      Tags: [{ Key: 'Name', Value: `<img src=x onerror=alert(1)>\n<script>alert("name")</script>\r\nsecond line` }, ...fifty],
    },
    {
      ...base[1],
      Tags: [
        { Key: 'Name', Value: `${RLO}exe.evil${NUL}${NUL}\u202Cinvoice ${'W'.repeat(240)}` },
        { Key: '<svg onload=alert(2)>', Value: `${NUL}` },
      ],
      LogFormat: logFormat,
    },
    {
      ...base[2],
      Tags: [
        { Key: 'Name', Value: 'N'.repeat(256) },
        { Key: 'script', Value: '</script><script>alert(3)</script>' },
      ],
      LogFormat: `\${srcaddr}<script>alert(4)</script>${'${dstaddr} '.repeat(180)}`.slice(0, 2000),
    },
    ...base.slice(3),
  ];
}

describe('faults: hostile flow log data (tags, LogFormat)', function () {
  this.timeout(60_000);
  let fx: Fixture;
  let logs: FlowLog[];
  let nodes: FlowLogNode[];

  before(async () => {
    await setting('pageSize', 50);
    await setting('regions', { acct1: [REGION] });
    fx = await fixture({ accounts: defaultAccounts(8) });
    for (const a of defaultAccounts()) registerSecret(a.secretAccessKey);
    logs = hostileFlowLogs(fx.emulator.flowLogs(ACCT1, REGION));
    fx.emulator.setFlowLogs(ACCT1, REGION, logs);
    assert.equal(logs[0].Tags!.length, 50);
    assert.equal(logs[1].LogFormat!.length, 2000);
    const kids = await children(fx.api, await regionNode(fx.api, 'acct1', REGION));
    nodes = kids.filter(isFlowLog);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setting('pageSize', undefined);
    await setting('regions', undefined);
    await fx.stop();
  });

  it('the hostile flow logs come through the SDK intact (HTML, U+202E, NUL, 50 tags, 2,000-character LogFormat)', () => {
    assert.deepEqual(
      ids(nodes),
      logs.map((f) => f.FlowLogId),
    );
    const n0 = nodes[0].flowLog;
    assert.equal(n0.Tags?.length, 50);
    assert.equal(n0.Tags?.[0].Value, logs[0].Tags![0].Value, 'the Name with HTML and line breaks');
    assert.ok(nodes[1].flowLog.Tags?.[0].Value?.includes(RLO));
    assert.ok(nodes[1].flowLog.Tags?.[0].Value?.includes(NUL), 'NUL characters survived the XML');
    assert.equal(nodes[1].flowLog.LogFormat, logs[1].LogFormat);
  });

  it('tree labels stay one readable line: no newline, no U+202E, no NUL, at most 80 characters', () => {
    for (const n of nodes) {
      const item = n.getTreeItem();
      for (const [what, text] of [
        ['label', label(n)],
        ['description', String(item.description ?? '')],
        ['accessibility label', item.accessibilityInformation?.label ?? ''],
      ] as const) {
        assert.doesNotMatch(text, /[\r\n\u0000\u202A-\u202E\u2066-\u2069]/, `${what} of ${n.flowLog.FlowLogId}: ${JSON.stringify(text)}`);
        assert.ok(text.trim().length > 0, `${what} is not empty`);
      }
      assert.ok(label(n).length <= 80, `label of ${label(n).length} characters`);
    }
    assert.match(label(nodes[0]), /^<img src=x onerror=alert\(1\)> <script>alert\("name"\)<\/script> second line$/);
    assert.match(label(nodes[1]), /^exe\.evil invoice W+…$/);
    assert.equal(label(nodes[2]), `${'N'.repeat(79)}…`);
  });

  it('tooltips are Markdown without HTML, with the markup escaped', () => {
    for (const n of nodes.slice(0, 3)) {
      const tip = n.getTreeItem().tooltip as vscode.MarkdownString;
      assert.equal(typeof tip.value, 'string');
      assert.equal(tip.supportHtml, false);
      assert.equal(tip.isTrusted, false);
      // Every '<' is backslash-escaped: Markdown shows it as text.
      assert.doesNotMatch(tip.value, /(^|[^\\])<(img|script|svg)\b/i, tip.value);
    }
  });

  for (const i of [0, 1, 2]) {
    it(`detail panel of hostile flow log #${i + 1}: no raw <img>/<script>/<svg>, only the panel's own nonce'd script`, async () => {
      await vscode.commands.executeCommand('flowLogs.showDetails', nodes[i]);
      const panels = fx.api.openDetailPanels();
      assert.equal(panels.length, 1, 'the preview panel is reused');
      const html = panels[0].panel.webview.html;
      assert.ok(html.includes(logs[i].FlowLogId!), 'the panel shows this flow log');
      assert.doesNotMatch(html, /<img\b/i);
      assert.doesNotMatch(html, /<svg\b/i);
      assert.doesNotMatch(html, /<b onmouseover/i);
      const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
      assert.equal(scripts.length, 1, scripts.join('\n'));
      const nonce = /nonce="([^"]+)"/.exec(scripts[0])?.[1];
      assert.ok(nonce && nonce.length >= 16, `the script has a nonce: ${scripts[0]}`);
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1]?.replace(/&#39;/g, "'") ?? '';
      assert.ok(csp.includes(`script-src 'nonce-${nonce}';`), `the CSP allows that nonce only: ${csp}`);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.doesNotMatch(html, /\u0000/, 'no raw NUL in the HTML');
      // The hostile text is shown (escaped), not dropped.
      if (i === 0) {
        assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
        assert.ok(html.includes('&lt;script&gt;alert(0)&lt;/script&gt;'));
        assert.ok(html.includes('Z'.repeat(250)), 'a 256-character tag value in full');
        assert.equal((html.match(/data-field="Tags"/g) ?? []).length >= 1, true);
      }
      if (i === 1) {
        assert.ok(html.includes('\u27E6U+202E\u27E7'), 'the right-to-left override is shown as a visible marker');
        assert.ok(html.includes('\u2400'), 'NUL is shown as ␀');
        assert.ok(html.includes('&lt;svg onload=alert(2)&gt;'));
      }
      if (i === 2) assert.ok(html.includes('&lt;script&gt;alert(4)&lt;/script&gt;'), 'the LogFormat is shown, escaped');
    });
  }
});
