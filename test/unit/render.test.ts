import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FlowLog, FlowLogContext } from '../../src/shared/types';
import {
  DESTINATION_OPTION_LABELS,
  FIELD_LABELS,
  type DetailRenderInput,
  formatAggregationInterval,
  renderFlowLogDetail,
  renderPlaceholder,
  sortedTags,
} from '../../src/webview/render';
import { contentSecurityPolicy } from '../../src/webview/pageShell';
import { DEFAULT_LOG_FORMAT } from '../../src/shared/logFormat';

// ---- the API model: the list of FlowLog members comes from it, so a new field fails the test

const MODEL_NAME = 'ec2-describe-flow-logs.model.json';
function findModel(): string {
  const candidates = [
    process.env.EC2_FLOW_LOGS_MODEL,
    resolve(process.cwd(), 'test/fixtures', MODEL_NAME),
    resolve(__dirname, '../../../test/fixtures', MODEL_NAME),
  ].filter((p): p is string => typeof p === 'string');
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`API model not found; looked in: ${candidates.join(', ')} (set EC2_FLOW_LOGS_MODEL)`);
  return found;
}
interface ModelShape {
  members: Record<string, { shape: string; documentation?: string }>;
}
const model = JSON.parse(readFileSync(findModel(), 'utf8')) as { shapes: Record<string, ModelShape> };
const flowLogMembers = Object.keys(model.shapes.FlowLog.members);
const destinationOptionMembers = Object.keys(model.shapes[model.shapes.FlowLog.members.DestinationOptions.shape].members);

// ---- helpers

const NONCE = 'abcdefghijklmnopqrstuvwx';
const CSP_SOURCE = 'https://*.vscode-cdn.net';
const ACCOUNT = '123456789012';
const context: FlowLogContext = { profile: 'dev', region: 'us-east-1', accountId: ACCOUNT };

function render(flowLog: FlowLog, extra: Partial<DetailRenderInput> = {}): string {
  return renderFlowLogDetail({
    flowLog,
    context,
    cspSource: CSP_SOURCE,
    nonce: NONCE,
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/detail.css',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/dist/detailPage.js',
    codiconsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/codicons/codicon.css',
    locale: 'en-US',
    timeZone: 'UTC',
    now: new Date('2024-03-10T12:00:00Z'),
    ...extra,
  });
}

const fullFlowLog: FlowLog = {
  CreationTime: new Date('2024-03-01T08:30:00.000Z'),
  DeliverLogsErrorMessage: 'Access error',
  DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT}:role/flow-logs-role`,
  DeliverCrossAccountRole: `arn:aws:iam::${ACCOUNT}:role/cross`,
  DeliverLogsStatus: 'FAILED',
  FlowLogId: 'fl-0123456789abcdef0',
  FlowLogStatus: 'ACTIVE',
  LogGroupName: '/aws/vpc/flow-logs',
  ResourceId: 'vpc-0abc1234',
  TrafficType: 'ALL',
  LogDestinationType: 'cloud-watch-logs',
  LogDestination: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/vpc/flow-logs`,
  LogFormat: DEFAULT_LOG_FORMAT,
  Tags: [
    { Key: 'team', Value: 'network' },
    { Key: 'Name', Value: 'main-vpc-logs' },
    { Key: 'env', Value: 'prod' },
  ],
  MaxAggregationInterval: 600,
  DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: false },
};

/** Text content only: tags removed, entities decoded. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');
}

function csp(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'CSP meta missing');
  return m[1].replace(/&#39;/g, "'");
}

const ALLOWED_TAGS = new Set([
  'html',
  'head',
  'meta',
  'link',
  'title',
  'body',
  'header',
  'main',
  'section',
  'h1',
  'h2',
  'p',
  'div',
  'dl',
  'dt',
  'dd',
  'span',
  'code',
  'pre',
  'strong',
  'em',
  'bdi',
  'button',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'label',
  'input',
  'script',
]);
const ALLOWED_ATTRS =
  /^(class|id|type|rel|href|src|content|http-equiv|charset|name|lang|role|title|hidden|for|placeholder|autocomplete|spellcheck|nonce|scope|data-[a-z-]+|aria-[a-z]+)$/;

/**
 * Walks every tag of the document with a strict grammar: known tag names, known attribute names,
 * every attribute value double-quoted with no raw quote or angle bracket inside. A value that broke
 * out of its attribute would show up as an unknown attribute or a bad tag.
 */
function assertWellFormedTags(html: string): void {
  const body = html.replace(/^<!DOCTYPE html>/, '');
  const tagRe = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>"'/]+(?:="[^"<>]*")?)*)\s*>/g;
  const attrRe = /\s+([^\s=>"'/]+)(?:="([^"<>]*)")?/g;
  let consumed = 0;
  for (let m = tagRe.exec(body); m; m = tagRe.exec(body)) {
    const between = body.slice(consumed, m.index);
    assert.ok(!/[<>]/.test(between), `raw angle bracket in text near: ${between.slice(0, 80)}`);
    consumed = m.index + m[0].length;
    const name = m[2].toLowerCase();
    assert.ok(ALLOWED_TAGS.has(name), `unexpected tag <${name}>`);
    for (let a = attrRe.exec(m[3]); a; a = attrRe.exec(m[3])) {
      assert.match(a[1], ALLOWED_ATTRS, `unexpected attribute ${a[1]} on <${name}>`);
      if ((a[1] === 'href' || a[1] === 'src') && a[2] !== undefined)
        assert.match(a[2], /^https:\/\/file\+\.vscode-resource/, `${a[1]}=${a[2]}`);
    }
  }
  assert.ok(!/[<>]/.test(body.slice(consumed)), 'raw angle bracket after last tag');
}

// ---- tests

describe('renderFlowLogDetail: every field', () => {
  it('has a label for every FlowLog member of the API model', () => {
    assert.ok(flowLogMembers.length >= 16);
    for (const member of flowLogMembers) {
      assert.ok(Object.prototype.hasOwnProperty.call(FIELD_LABELS, member), `no label for ${member}`);
    }
    for (const member of destinationOptionMembers) {
      assert.ok(Object.prototype.hasOwnProperty.call(DESTINATION_OPTION_LABELS, member), `no label for DestinationOptions.${member}`);
    }
  });

  for (const [name, flowLog] of [
    ['a full flow log', fullFlowLog],
    ['an empty flow log', {}],
  ] as const) {
    it(`shows every member with its label for ${name}`, () => {
      const html = render(flowLog);
      const text = textOf(html);
      for (const member of flowLogMembers) {
        assert.ok(html.includes(`data-field="${member}"`), `no row for ${member}`);
        assert.ok(text.includes(FIELD_LABELS[member as keyof FlowLog]), `no label for ${member}`);
      }
      for (const member of destinationOptionMembers) {
        assert.ok(html.includes(`data-field="DestinationOptions.${member}"`), `no row for DestinationOptions.${member}`);
        assert.ok(text.includes(DESTINATION_OPTION_LABELS[member as keyof typeof DESTINATION_OPTION_LABELS]));
      }
    });
  }

  it('shows the values of a full flow log', () => {
    const text = textOf(render(fullFlowLog));
    for (const v of [
      'fl-0123456789abcdef0',
      'ACTIVE',
      'vpc-0abc',
      'ALL',
      '/aws/vpc/flow-logs',
      'flow-logs-role',
      'role/cross',
      'parquet',
      'main-vpc-logs',
      `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-flow-log/fl-0123456789abcdef0`,
      'US East (N. Virginia)',
      'Profile dev',
    ]) {
      assert.ok(text.includes(v), `missing ${v}`);
    }
    assert.match(text, /Hive-compatible S3 prefixes\s+Yes/);
    assert.match(text, /Partition per hour\s+No/);
  });

  it('shows "—" for absent fields', () => {
    const html = render({});
    const dashes = html.match(/<span class="absent"[^>]*>—<\/span>/g) ?? [];
    // every row but Tags (which has its own empty state) and the Name row is a dash
    assert.ok(dashes.length >= flowLogMembers.length - 1 + destinationOptionMembers.length, `only ${dashes.length} dashes`);
  });
});

describe('renderFlowLogDetail: formatting', () => {
  it('shows creation time in the given locale and zone, with ISO 8601 on hover', () => {
    const html = render(fullFlowLog);
    assert.ok(html.includes('title="2024-03-01T08:30:00.000Z"'));
    assert.match(textOf(html), /Mar 1, 2024, 8:30:00\sAM UTC/);
    assert.match(textOf(html), /9 days ago/);
    const tokyo = textOf(render(fullFlowLog, { timeZone: 'Asia/Tokyo' }));
    assert.match(tokyo, /5:30:00\sPM GMT\+9/);
  });

  it('survives a bad locale, a bad time zone and a bad date', () => {
    const html = render({ ...fullFlowLog, CreationTime: new Date('nope') }, { locale: 'xx-invalid-@@', timeZone: 'Mars/Olympus' });
    assert.ok(html.includes('data-field="CreationTime"'));
    assert.doesNotThrow(() => render(fullFlowLog, { locale: '!!', timeZone: 'Nowhere/None' }));
    assert.match(textOf(render({ CreationTime: '2024-01-02T03:04:05Z' as unknown as Date })), /Jan 2, 2024/);
  });

  it('words the aggregation interval', () => {
    assert.equal(formatAggregationInterval(60), '60 seconds (1 minute)');
    assert.equal(formatAggregationInterval(600), '600 seconds (10 minutes)');
    assert.equal(formatAggregationInterval(45), '45 seconds');
    assert.equal(formatAggregationInterval(NaN), undefined);
    assert.equal(formatAggregationInterval('60'), undefined);
    assert.ok(textOf(render({ MaxAggregationInterval: 60 })).includes('60 seconds (1 minute)'));
    assert.ok(textOf(render({ MaxAggregationInterval: 600 })).includes('600 seconds (10 minutes)'));
  });

  const meanings: Array<[string, RegExp]> = [
    ['Rate limited', /CloudWatch Logs throttling has been applied/],
    ['Access error', /does not have sufficient permissions to publish to CloudWatch Logs/],
    ['Unknown error', /internal error/],
  ];
  for (const [message, meaning] of meanings) {
    it(`explains the delivery error "${message}" and highlights it`, () => {
      const html = render({ DeliverLogsStatus: 'FAILED', DeliverLogsErrorMessage: message });
      assert.match(textOf(html), meaning);
      assert.match(html, /<div class="callout error"[^>]*><strong><bdi>[^<]+<\/bdi><\/strong><p class="meaning">/);
      assert.ok(html.includes('class="status-failed"'));
    });
  }

  it('shows an unrecognised delivery error without a meaning', () => {
    const html = render({ DeliverLogsErrorMessage: 'Something new' });
    assert.ok(textOf(html).includes('Something new'));
    assert.ok(!html.includes('class="meaning"'));
  });

  it('recognises the default record format and splits custom ones', () => {
    assert.ok(textOf(render({ LogFormat: DEFAULT_LOG_FORMAT })).includes('AWS default format'));
    const custom = render({ LogFormat: '${vpc-id} ${srcaddr} ${bogus}' });
    assert.ok(!textOf(custom).includes('AWS default format'));
    assert.ok(textOf(custom).includes('Custom format'));
    assert.equal((custom.match(/<tr class="field">/g) ?? []).length, 2);
    assert.equal((custom.match(/<tr class="unknown">/g) ?? []).length, 1);
    assert.ok(textOf(custom).includes('Unknown field'));
    assert.ok(textOf(custom).includes('Record version 3'));
  });
});

describe('renderFlowLogDetail: tags', () => {
  it('sorts tags by key', () => {
    const html = render(fullFlowLog);
    const keys = [...html.matchAll(/<tr class="tag"><th scope="row"><bdi>([^<]*)<\/bdi>/g)].map((m) => m[1]);
    assert.deepEqual(keys, ['Name', 'env', 'team']);
    assert.ok(html.includes('3 of 3 tags'));
    assert.equal((html.match(/data-field="tagValue"/g) ?? []).length, 3);
    assert.ok(html.includes('id="tag-filter"'));
  });

  it('has an empty state and no filter without tags', () => {
    for (const tags of [undefined, [], 'not an array', [null, 5, { Value: 'no key' }]]) {
      const html = render({ FlowLogId: 'fl-1', Tags: tags as FlowLog['Tags'] });
      assert.ok(textOf(html).includes('No tags'), JSON.stringify(tags));
      assert.ok(!html.includes('id="tag-filter"'));
    }
  });

  it('sortedTags keeps tags without values and drops garbage', () => {
    assert.deepEqual(sortedTags([{ Key: 'b' }, { Key: 'a', Value: '1' }, 3, null, { Value: 'x' }]), [
      { key: 'a', value: '1' },
      { key: 'b', value: '' },
    ]);
  });
});

describe('renderFlowLogDetail: actions', () => {
  function actions(html: string): string[] {
    return [...html.matchAll(/<button type="button" class="action[^"]*" data-action="([^"]*)"(?: data-(?:field|target)="([^"]*)")?/g)]
      .map((m) => (m[2] ? `${m[1]}:${m[2]}` : m[1]))
      .filter((a) => a !== 'copy:tagValue');
  }

  it('offers every action a full flow log supports, as buttons', () => {
    assert.deepEqual(actions(render(fullFlowLog)), [
      'copy:arn',
      'copy:id',
      'copy:destination',
      'copy:role',
      'copy:crossAccountRole',
      'openConsole:resource',
      'openConsole:destination',
      'filterByResource',
      'showRecords',
      'refresh',
    ]);
    assert.ok(!/<a\s/i.test(render(fullFlowLog)), 'no links to the network');
  });

  it('hides actions whose value is absent', () => {
    assert.deepEqual(actions(render({})), ['refresh']);
    assert.deepEqual(actions(render({ FlowLogId: 'fl-1' }, { context: { profile: 'p', region: 'us-east-1' } })), ['copy:id', 'refresh']);
  });

  it('has no console buttons where there is no public console', () => {
    const html = render(fullFlowLog, { context: { profile: 'p', region: 'us-iso-east-1', accountId: ACCOUNT } });
    assert.ok(!actions(html).some((a) => a.startsWith('openConsole')));
    assert.ok(textOf(html).includes(`arn:aws-iso:ec2:us-iso-east-1:${ACCOUNT}:vpc-flow-log/fl-0123456789abcdef0`));
  });

  it('prefers the ARN it is given', () => {
    assert.ok(textOf(render(fullFlowLog, { arn: 'arn:aws:ec2:us-east-1:999999999999:vpc-flow-log/fl-x' })).includes('999999999999'));
  });
});

describe('renderFlowLogDetail: security', () => {
  it('has a strict Content-Security-Policy', () => {
    const policy = csp(render(fullFlowLog));
    assert.equal(
      policy,
      `default-src 'none'; img-src ${CSP_SOURCE}; style-src ${CSP_SOURCE}; font-src ${CSP_SOURCE}; script-src 'nonce-${NONCE}';`,
    );
    assert.ok(!/unsafe-inline|unsafe-eval|\*\s*;|data:|http:/.test(policy));
  });

  it('has exactly one script, with the nonce and the script URI', () => {
    const html = render(fullFlowLog);
    const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
    assert.deepEqual(scripts, [
      `<script nonce="${NONCE}" src="https://file+.vscode-resource.vscode-cdn.net/ext/media/dist/detailPage.js">`,
    ]);
    assert.ok(html.includes('<link rel="stylesheet" href="https://file+.vscode-resource.vscode-cdn.net/ext/media/detail.css">'));
    assert.ok(html.includes('codicon.css">'));
  });

  it('refuses a nonce or CSP source that could change the policy', () => {
    const html = render({}, { nonce: "x'; script-src *", cspSource: "https://a; script-src 'unsafe-inline'" });
    const policy = csp(html);
    assert.ok(!policy.includes('unsafe-inline'));
    assert.ok(!policy.includes('script-src *'));
    const nonce = /script-src 'nonce-([^']+)';$/.exec(policy)?.[1];
    assert.ok(nonce && nonce.length >= 16);
    assert.ok(html.includes(`<script nonce="${nonce}"`), 'script carries the same, generated nonce');
  });

  const hostile = [
    '<img src=x onerror=alert(1)>',
    '</script><script>alert(1)</script>',
    '"><svg onload=alert(1)>',
    "' onmouseover='x",
    'javascript:alert(1)',
    'abc\u202Egpj.exe',
    'nul\u0000byte\u0007bell\u009Bcsi',
    '&lt;already-escaped&gt; & <b>bold</b>',
    'x'.repeat(256),
    '<!-- comment --> <![CDATA[ x ]]> <style>*{}</style> `backtick`',
  ];

  function hostileFlowLog(v: string, i: number): FlowLog {
    return {
      CreationTime: new Date(0),
      DeliverLogsErrorMessage: v,
      DeliverLogsPermissionArn: v,
      DeliverCrossAccountRole: v,
      DeliverLogsStatus: v,
      FlowLogId: v,
      FlowLogStatus: v,
      LogGroupName: v,
      ResourceId: v,
      TrafficType: v,
      LogDestinationType: v,
      LogDestination: v,
      LogFormat: `\${srcaddr} ${v} \${${v}} ` + '${dstaddr} '.repeat(200).slice(0, 2000),
      Tags: [
        { Key: 'Name', Value: v },
        { Key: v, Value: v },
        ...Array.from({ length: 48 }, (_, n) => ({ Key: `k${n}-${v.slice(0, 20)}`, Value: `${v}-${n}` })),
      ],
      MaxAggregationInterval: i,
      DestinationOptions: { FileFormat: v },
    };
  }

  hostile.forEach((v, i) => {
    it(`renders hostile value #${i} as text: ${JSON.stringify(v).slice(0, 40)}`, () => {
      const html = render(hostileFlowLog(v, i), { arn: v, context: { profile: v, region: 'us-east-1', accountId: v } });
      assertWellFormedTags(html);
      assert.equal((html.match(/<script/gi) ?? []).length, 1, 'one script tag only');
      assert.ok(!/<img|<svg|<style|<!--|<!\[CDATA/i.test(html), 'no injected markup');
      const tagsOnly = (html.match(/<[^>]*>/g) ?? []).join(' ').replace(/"[^"]*"/g, '""');
      assert.ok(!/\son[a-z]+=/i.test(tagsOnly), 'no event handler attributes');
      assert.ok(!html.includes('\u0000') && !html.includes('\u0007') && !html.includes('\u009B'), 'control characters replaced');
      assert.ok(!textOf(html.replace(/\s[a-z-]+="[^"]*"/g, '')).includes('\u202E'), 'no raw RTL override in text');
      if (v.includes('\u202E')) assert.ok(textOf(html).includes('U+202E'), 'RTL override shown visibly');
      if (v.includes('\u0000')) assert.ok(html.includes('\u2400'), 'NUL shown as ␀');
      // the value is shown, as text, somewhere in the page (control characters made visible)
      const shown = v
        .replace(/\u0000/g, '\u2400')
        .replace(/\u0007/g, '\u2407')
        .replace(/\u009B/g, '\uFFFD')
        .replace(/\u202E/g, '\u27E6U+202E\u27E7');
      assert.ok(textOf(html).includes(shown), 'value visible as text');
      assert.ok(textOf(html).includes('50 of 50 tags'));
      assert.equal(
        csp(html),
        `default-src 'none'; img-src ${CSP_SOURCE}; style-src ${CSP_SOURCE}; font-src ${CSP_SOURCE}; script-src 'nonce-${NONCE}';`,
      );
    });
  });

  it('wraps values from AWS in <bdi> so right-to-left text stays in its box', () => {
    const html = render({ FlowLogId: 'fl-1', LogGroupName: 'abc\u202Edef', Tags: [{ Key: '\u202Ek', Value: 'v\u202E' }] });
    assert.match(html, /<bdi>abc\u27E6U\+202E\u27E7def<\/bdi>/);
    assert.match(html, /<bdi>\u27E6U\+202E\u27E7k<\/bdi>/);
  });

  it('copes with garbage input without throwing', () => {
    const garbage: unknown[] = [
      null,
      undefined,
      5,
      'x',
      [],
      { Tags: {} },
      { CreationTime: {} },
      { DestinationOptions: 'x' },
      { MaxAggregationInterval: Infinity },
    ];
    for (const g of garbage) {
      const html = renderFlowLogDetail({
        flowLog: g as FlowLog,
        context: g as FlowLogContext,
        cspSource: CSP_SOURCE,
        nonce: NONCE,
        styleUri: 's',
        scriptUri: 'j',
        codiconsUri: '',
      });
      assert.ok(html.startsWith('<!DOCTYPE html>'));
      for (const member of flowLogMembers) assert.ok(html.includes(`data-field="${member}"`), `${JSON.stringify(g)}: ${member}`);
    }
  });
});

describe('renderPlaceholder', () => {
  it('escapes its message and carries the same CSP', () => {
    const html = renderPlaceholder(
      '<img src=x onerror=alert(1)> failed',
      CSP_SOURCE,
      NONCE,
      'https://file+.vscode-resource.vscode-cdn.net/detail.css',
      'error',
    );
    assertWellFormedTags(html);
    assert.ok(!/<img|<script/i.test(html));
    assert.ok(textOf(html).includes('<img src=x onerror=alert(1)> failed'));
    assert.equal(
      csp(html),
      `default-src 'none'; img-src ${CSP_SOURCE}; style-src ${CSP_SOURCE}; font-src ${CSP_SOURCE}; script-src 'nonce-${NONCE}';`,
    );
    assert.ok(html.includes('role="alert"'));
  });
});

describe('contentSecurityPolicy: the cspSource VS Code really passes', () => {
  it("keeps 'self' https://*.vscode-cdn.net for styles and fonts (else the panel loads unstyled)", () => {
    const csp = contentSecurityPolicy("'self' https://*.vscode-cdn.net", 'abc123');
    assert.match(csp, /style-src 'self' https:\/\/\*\.vscode-cdn\.net;/);
    assert.match(csp, /font-src 'self' https:\/\/\*\.vscode-cdn\.net;/);
    assert.match(csp, /default-src 'none'/);
  });

  it('replaces a source that would add a directive or unsafe-inline', () => {
    for (const bad of ['x; script-src *', "'unsafe-inline'", "https://a.example 'unsafe-eval'"]) {
      const csp = contentSecurityPolicy(bad, 'abc123');
      assert.ok(!csp.includes('unsafe-'), csp);
      assert.ok(!/script-src \*/.test(csp), csp);
    }
  });
});

describe('detail panel: wording of destination, delivery errors and the record format (issue 14 item 16)', () => {
  it('explains "Rate limited" and "Access error" for the flow log\'s own destination type', () => {
    const firehose = textOf(
      render({ LogDestinationType: 'kinesis-data-firehose', DeliverLogsStatus: 'FAILED', DeliverLogsErrorMessage: 'Rate limited' }),
    );
    assert.match(firehose, /Firehose throttled the delivery/);
    assert.doesNotMatch(firehose, /CloudWatch Logs throttling/);
    const s3 = textOf(render({ LogDestinationType: 's3', DeliverLogsStatus: 'FAILED', DeliverLogsErrorMessage: 'Access error' }));
    assert.match(s3, /bucket policy must allow delivery\.logs\.amazonaws\.com/);
    assert.doesNotMatch(s3, /publish to CloudWatch Logs/);
    const cwl = textOf(
      render({ LogDestinationType: 'cloud-watch-logs', DeliverLogsStatus: 'FAILED', DeliverLogsErrorMessage: 'Rate limited' }),
    );
    assert.match(cwl, /CloudWatch Logs throttling has been applied/);
  });

  it('destination options are summed up in words (no "Set (below)"), each also in its own row', () => {
    const set = render({
      LogDestinationType: 's3',
      DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: false },
    });
    assert.doesNotMatch(textOf(set), /Set \(below\)/);
    assert.match(
      set,
      /data-field="DestinationOptions"><dt>Destination options<\/dt><dd>Parquet files, Hive-compatible prefixes, partitioned per day</,
    );
    assert.ok(set.includes('data-field="DestinationOptions.FileFormat"'));
    const none = render({ LogDestinationType: 'cloud-watch-logs' });
    assert.ok(none.includes('data-field="DestinationOptions"'));
  });

  it('"Record format" is the section heading only; its row is the format string', () => {
    const html = render({ LogFormat: DEFAULT_LOG_FORMAT });
    assert.equal(html.match(/>Record format</g)?.length, 1, 'one "Record format" (the heading)');
    assert.match(html, /<h2 id="record-format-title">Record format<\/h2>/);
    assert.match(html, /<div class="row" data-field="LogFormat"><dt>Format string<\/dt>/);
  });
});
