// Issue 13, defect 9: the renderer never throws, whatever strings the server sends. A LogGroupName
// of "&#xD800;" reaches it as a lone surrogate, which encodeURIComponent refuses (URIError).
import * as assert from 'node:assert/strict';
import type { FlowLog } from '../../src/shared/types';
import { renderFlowLogDetail } from '../../src/webview/render';
import { isWellFormed, logGroupConsoleUrl, s3ConsoleUrl } from '../../src/aws/arn';

const LONE = ['\uD800', '\uDFFF', 'a\uD800b', '\uDC00\uD800', '/aws/vpc/\uDBFF'];

function render(flowLog: FlowLog): string {
  return renderFlowLogDetail({
    flowLog,
    context: { profile: 'dev', region: 'us-east-1', accountId: '123456789012' },
    cspSource: 'https://*.vscode-cdn.net',
    nonce: 'abcdefghijklmnopqrstuvwx',
    styleUri: 'https://x/detail.css',
    scriptUri: 'https://x/detail.js',
    locale: 'en-US',
    timeZone: 'UTC',
  });
}

describe('renderer and lone surrogates (issue 13, defect 9)', () => {
  for (const bad of LONE) {
    it(`renders a flow log whose every string field is ${JSON.stringify(bad)}`, () => {
      const html = render({
        FlowLogId: 'fl-0123456789abcdef0',
        ResourceId: 'vpc-0123456789abcdef0',
        LogGroupName: bad,
        LogDestinationType: 'cloud-watch-logs',
        LogDestination: `arn:aws:logs:us-east-1:123456789012:log-group:${bad}`,
        DeliverLogsPermissionArn: `arn:aws:iam::123456789012:role/${bad}`,
        DeliverLogsErrorMessage: bad,
        LogFormat: `\${version} ${bad}`,
        Tags: [
          { Key: bad, Value: bad },
          { Key: 'Name', Value: bad },
        ],
      } as FlowLog);
      assert.match(html, /fl-0123456789abcdef0/);
      assert.match(html, /<\/html>\s*$/);
    });
  }

  it('renders an S3 destination whose key prefix has a lone surrogate', () => {
    const html = render({
      FlowLogId: 'fl-0123456789abcdef0',
      LogDestinationType: 's3',
      LogDestination: 'arn:aws:s3:::my-bucket/logs/\uD800/',
    } as FlowLog);
    assert.match(html, /my-bucket/);
  });

  it('console links: no link for a name that cannot be URL-encoded, the bucket page for a bad prefix', () => {
    assert.equal(logGroupConsoleUrl('us-east-1', '\uD800'), undefined);
    assert.match(logGroupConsoleUrl('us-east-1', '/aws/vpc/\u{1F600}') ?? '', /log-group/);
    assert.equal(s3ConsoleUrl('arn:aws:s3:::my-bucket/\uD800'), 'https://s3.console.aws.amazon.com/s3/buckets/my-bucket');
    assert.equal(isWellFormed('a\u{1F600}b'), true);
    for (const bad of LONE) assert.equal(isWellFormed(bad), false);
  });
});
