// Every console link is built by one helper (consoleEncode in src/aws/arn.ts, the detail panel's
// lone-surrogate fix): a name or query with a lone surrogate ("&#xD800;" from a server decodes to
// one) gets no link, never a URIError (issue 23, defect 7): the records panel's Console button
// and the Insights panel's console link.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { consoleEncode, logEventsConsoleUrl } from '../../src/aws/arn';
import { insightsConsoleUrl } from '../../src/insights/console';

const LONE = ['\uD800', '\uDFFF', 'a\uD800b', '\uDC00\uD800', '/aws/vpc/\uDBFF'];

describe('console links: one helper, no URIError (issue 23, defect 7)', () => {
  it('the records panel link (log events of a range): a lone surrogate gives no link', () => {
    for (const group of LONE) assert.equal(logEventsConsoleUrl('us-east-1', group, 0, 1000), undefined, JSON.stringify(group));
    assert.equal(
      logEventsConsoleUrl('us-east-1', '/aws/vpc/flow logs', 1000, 2000),
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Fvpc$252Fflow$2520logs/log-events$3Fstart$3D1000$26end$3D2000',
    );
    assert.equal(logEventsConsoleUrl('nowhere', '/g', 0, 1), undefined);
    // A well-formed pair (an emoji) is fine.
    assert.ok(logEventsConsoleUrl('us-east-1', '/g/\uD83D\uDE00', 0, 1)?.includes('$25F0$259F$2598$2580'));
  });

  it('the Insights link: a lone surrogate in a group or in the query gives no link', () => {
    for (const bad of LONE) {
      assert.equal(insightsConsoleUrl('us-east-1', [bad], 'fields @message', 0, 60), undefined);
      assert.equal(insightsConsoleUrl('us-east-1', ['/g'], `filter srcAddr = "${bad}"`, 0, 60), undefined);
    }
    assert.match(
      insightsConsoleUrl('us-east-1', ['/g'], 'fields @message', 0, 60)!,
      /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#logsV2:logs-insights\$3FqueryDetail/,
    );
  });

  it('consoleEncode: undefined for a lone surrogate, encodeURIComponent otherwise', () => {
    for (const bad of LONE) assert.equal(consoleEncode(bad), undefined);
    assert.equal(consoleEncode('a b/c'), 'a%20b%2Fc');
  });

  it('no other file URL-encodes: every console link goes through the helper', () => {
    const root = path.resolve(__dirname, '../../../src');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(root);
    assert.ok(files.length > 50);
    const offenders = files.filter(
      (f) => !f.endsWith(path.join('aws', 'arn.ts')) && /encodeURIComponent\(/.test(fs.readFileSync(f, 'utf8')),
    );
    assert.deepEqual(
      offenders.map((f) => path.relative(root, f)),
      [],
    );
  });
});
