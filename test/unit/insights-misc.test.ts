// Smaller pure parts of the Insights feature: the console link, columns of a written query's
// answer, the error classification, and the panel's HTML shell.
import * as assert from 'node:assert/strict';
import { insightsConsoleUrl } from '../../src/insights/console';
import { classifyInsightsError } from '../../src/aws/worker/insightsErrors';
import { renderAnalysisHtml } from '../../src/insights/panelHtml';
import { alignTable, inferColumns, mergeTables, readResults } from '../../src/shared/insightsResults';
import { summarize } from '../../src/insights/runAnalysis';

describe('insights: console link', () => {
  it('opens Logs Insights with the query, groups and range, in the partition of the region', () => {
    const url = insightsConsoleUrl('eu-west-1', ['/aws/vpc/a', 'b'], 'stats count(*) by srcAddr | limit 5', 1_700_000_000, 1_700_003_600)!;
    assert.ok(
      url.startsWith('https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:logs-insights$3FqueryDetail$3D'),
    );
    // Undo the two encodings: the state holds the query and both groups.
    const detail = decodeURIComponent(url.split('#logsV2:logs-insights')[1].replace(/\$/g, '%')).replace(/\*/g, '%');
    assert.ok(decodeURIComponent(detail).includes("editorString~'stats count(%2A) by srcAddr | limit 5".replace('%2A', '*')));
    assert.ok(decodeURIComponent(detail).includes("source~(~'/aws/vpc/a~'b)"));
    assert.ok(decodeURIComponent(detail).includes("start~'2023-11-14T22:13:20.000Z"));
    assert.ok(insightsConsoleUrl('cn-north-1', ['g'], 'q', 0, 1)!.startsWith('https://console.amazonaws.cn/'));
    assert.equal(insightsConsoleUrl('us-isob-east-1', ['g'], 'q', 0, 1), undefined);
    assert.equal(insightsConsoleUrl('not a region', ['g'], 'q', 0, 1), undefined);
    assert.equal(insightsConsoleUrl('us-east-1', [], 'q', 0, 1), undefined);
  });
});

describe("insights: a written query's columns", () => {
  it('types fields by their values; stats answers have keys, event listings none', () => {
    const stats = inferColumns([
      [
        { field: 'action', value: 'ACCEPT' },
        { field: 'n', value: '3' },
        { field: 'bin(5m)', value: '2026-12-01 10:00:00.000' },
      ],
    ]);
    assert.deepEqual(
      stats.map((c) => [c.field, c.type, !!c.key]),
      [
        ['action', 'text', true],
        ['n', 'number', false],
        ['bin(5m)', 'time', true],
      ],
    );
    const events = inferColumns([
      [
        { field: '@timestamp', value: '2026-12-01 10:00:00.000' },
        { field: 'bytes', value: '10' },
        { field: '@ptr', value: 'x' },
      ],
    ]);
    assert.deepEqual(
      events.map((c) => [c.field, !!c.key]),
      [
        ['@timestamp', false],
        ['bytes', false],
      ],
    );
    // Listings from two regions are concatenated, not added up.
    const q = { columns: events, limit: 10, binSeconds: undefined };
    const t = readResults(q, [
      [
        { field: '@timestamp', value: '2026-12-01 10:00:00.000' },
        { field: 'bytes', value: '10' },
      ],
    ]);
    assert.equal(mergeTables(q, [t, t]).rows.length, 2);
    assert.deepEqual(inferColumns('nope'), []);
  });

  it('aligns a table to other columns by field name', () => {
    const a = inferColumns([
      [
        { field: 'x', value: 'a' },
        { field: 'n', value: '1' },
      ],
    ]);
    const t = readResults({ columns: a }, [
      [
        { field: 'x', value: 'a' },
        { field: 'n', value: '1' },
      ],
    ]);
    assert.deepEqual(alignTable(t, [a[1], { field: 'zz', title: 'zz', type: 'text' }, a[0]]).rows, [[1, null, 'a']]);
  });
});

describe('insights: errors', () => {
  const err = (name: string, message: string, extra: object = {}) =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 }, ...extra });
  it('a malformed query keeps the server message and the position', () => {
    const e = classifyInsightsError(
      err('MalformedQueryException', 'x', {
        queryCompileError: { message: "unexpected symbol 'nope'", location: { startCharOffset: 11, endCharOffset: 15 } },
      }),
    );
    assert.equal(e.kind, 'malformed');
    assert.deepEqual(e.position, { start: 11, end: 15 });
    assert.equal(e.message, "Logs Insights could not read the query: unexpected symbol 'nope' (at character 12)");
    assert.equal(
      classifyInsightsError(err('MalformedQueryException', 'bad', { queryCompileError: { location: { startCharOffset: 'x' } } })).position,
      undefined,
    );
  });
  it('limits, permissions, throttling and the rest', () => {
    assert.equal(
      classifyInsightsError(err('LimitExceededException', 'Account maximum query concurrency limit of [30] reached.'), {
        region: 'us-east-1',
      }).kind,
      'limitExceeded',
    );
    const denied = classifyInsightsError(err('AccessDeniedException', 'User: x is not authorized'), {
      operation: 'logs:GetQueryResults',
      profile: 'p',
    });
    assert.equal(
      denied.message,
      'Not authorized for logs:GetQueryResults (profile "p"): ask for an IAM policy that allows logs:StartQuery, logs:GetQueryResults and logs:StopQuery',
    );
    assert.equal(classifyInsightsError(err('ResourceNotFoundException', 'Log group does not exist')).kind, 'notFound');
    assert.equal(classifyInsightsError(err('ThrottlingException', 'Rate exceeded')).kind, 'throttled');
    assert.equal(
      classifyInsightsError(err('InvalidParameterException', 'End time should not be before the start time')).kind,
      'invalidInput',
    );
    assert.equal(classifyInsightsError(null).kind, 'unknown');
    // A secret in the message of an unknown error is not the point here, but nothing throws.
    assert.doesNotThrow(() => classifyInsightsError(Object.create(null)));
  });
  it('summaries say what happened', () => {
    const part = (state: string, error?: string) =>
      ({
        profile: 'p',
        region: 'r',
        logGroupNames: ['g'],
        state,
        statistics: {},
        error: error ? { kind: 'denied', message: error } : undefined,
      }) as never;
    const table = { columns: [], rows: [[1]], skipped: 0 };
    assert.equal(summarize('complete', [part('Complete')], table), '1 row');
    assert.match(
      summarize('partial', [part('Complete'), part('error', 'Not authorized')], table),
      /from 1 of 2 queries; not answered: p\/r \(Not authorized\)/,
    );
    assert.equal(summarize('cancelled', [part('Cancelled')], table), 'Cancelled (StopQuery sent)');
  });
});

describe('insights: panel HTML', () => {
  it('strict CSP with the nonce on its one script (Chart.js is bundled into it); the title escaped', () => {
    const html = renderAnalysisHtml({
      cspSource: 'vscode-webview://x',
      nonce: 'abcdefghijklmnop1234',
      title: '<img src=x>',
      styleUri: 's.css',
      scriptUri: 'i.js',
    });
    assert.match(html, /content="default-src &#39;none&#39;; [^"]*script-src &#39;nonce-abcdefghijklmnop1234&#39;;"/);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(html));
    assert.deepEqual(html.match(/<script\b[^>]*>/g), ['<script nonce="abcdefghijklmnop1234" src="i.js">']);
    assert.ok(!html.includes('<img src=x>'));
    assert.ok(html.includes('&lt;img src=x&gt;'));
  });
});
