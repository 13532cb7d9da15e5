// How a flow log is drawn: labels are one safe line (no bidi overrides, NULs or new lines, bounded
// length), descriptions and context values carry the right parts, tooltips escape Markdown/HTML.
import assert from 'node:assert/strict';
import {
  flowLogContextValue,
  flowLogDescription,
  flowLogIcon,
  flowLogLabel,
  flowLogTooltip,
  nameTag,
  oneLineLabel,
  regionDescription,
  regionErrorPresentation,
  regionTooltipCount,
} from '../../src/tree/nodeLabels';
import type { FlowLog } from '../../src/shared/types';

const ID = 'fl-0123456789abcdef0';
const withName = (name: string, extra: Partial<FlowLog> = {}): FlowLog => ({
  FlowLogId: ID,
  Tags: [
    { Key: 'env', Value: 'x' },
    { Key: 'Name', Value: name },
  ],
  ...extra,
});

/** No C0/C1 controls, bidi controls, zero-width characters, BOM; no line breaks. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

describe('nodeLabels (the words of the tree rows)', () => {
  describe('oneLineLabel / flowLogLabel', () => {
    it('removes a bidi override (U+202E) that would reverse the text', () => {
      const label = flowLogLabel(withName('invoice\u202Etxt.exe'));
      assert.equal(label, 'invoice txt.exe');
      assert.ok(!UNSAFE.test(label));
    });

    it('removes NUL and other control characters', () => {
      assert.equal(flowLogLabel(withName('a\u0000b\u0007c\u009bd\u200be\ufeff')), 'a b c d e');
    });

    it('folds new lines and tabs into single spaces and trims', () => {
      const label = flowLogLabel(withName('  line one\r\nline two\n\n\tline three\u2028end  '));
      assert.ok(!/[\r\n\t]/.test(label));
      assert.equal(label, 'line one line two line three end');
    });

    it('bounds a 300-character Name tag to 80 characters ending in …', () => {
      const label = flowLogLabel(withName('N'.repeat(300)));
      assert.equal(label.length, 80);
      assert.ok(label.endsWith('…'));
      assert.equal(label, `${'N'.repeat(79)}…`);
    });

    it('keeps a label of exactly the maximum length as it is', () => {
      assert.equal(oneLineLabel('x'.repeat(80)), 'x'.repeat(80));
      assert.equal(oneLineLabel('x'.repeat(10), 5), 'xxxx…');
    });

    it('uses the Name tag, else the ID, else "(no ID)"', () => {
      assert.equal(flowLogLabel(withName('web tier')), 'web tier');
      assert.equal(flowLogLabel({ FlowLogId: ID, Tags: [{ Key: 'name', Value: 'lower-case key is not Name' }] }), ID);
      assert.equal(flowLogLabel({ FlowLogId: ID, Tags: [{ Key: 'Name', Value: '   ' }] }), ID);
      assert.equal(flowLogLabel({ FlowLogId: ID }), ID);
      assert.equal(flowLogLabel({}), '(no ID)');
    });

    it('falls back to the ID when the Name tag is nothing but invisible characters', () => {
      assert.equal(flowLogLabel(withName('\u202E\u200B\u0000')), ID);
    });

    it('nameTag ignores a Name tag without a value', () => {
      assert.equal(nameTag({ Tags: [{ Key: 'Name' }] }), undefined);
      assert.equal(nameTag({ Tags: [{ Key: 'Name', Value: ' x ' }] }), ' x ');
    });
  });

  describe('flowLogDescription', () => {
    it('puts the destination first (log group, s3://bucket/prefix, firehose/stream), then resource and traffic type', () => {
      assert.equal(
        flowLogDescription({
          ResourceId: 'vpc-1',
          TrafficType: 'ALL',
          LogDestinationType: 's3',
          LogDestination: 'arn:aws:s3:::flow-bucket/prod/',
        }),
        's3://flow-bucket/prod/ · vpc-1 · ALL',
      );
      assert.equal(
        flowLogDescription({
          ResourceId: 'eni-1',
          TrafficType: 'REJECT',
          LogDestinationType: 'cloud-watch-logs',
          LogGroupName: '/vpc/flow',
          LogDestination: 'arn:aws:logs:us-east-1:111111111111:log-group:/vpc/flow',
        }),
        '/vpc/flow · eni-1 · REJECT',
      );
      assert.equal(
        flowLogDescription({
          ResourceId: 'subnet-1',
          TrafficType: 'ACCEPT',
          LogDestinationType: 'kinesis-data-firehose',
          LogDestination: 'arn:aws:firehose:us-east-1:111111111111:deliverystream/flows',
        }),
        'firehose/flows · subnet-1 · ACCEPT',
      );
      // The log group from the ARN when the name is missing.
      assert.equal(
        flowLogDescription({ LogDestinationType: 'cloud-watch-logs', LogDestination: 'arn:aws:logs:eu-west-1:111111111111:log-group:g:*' }),
        'g',
      );
    });

    it('skips what is missing; a destination without an ARN is its type', () => {
      assert.equal(flowLogDescription({ ResourceId: 'eni-1', LogDestinationType: 'cloud-watch-logs' }), 'cloud-watch-logs · eni-1');
      assert.equal(flowLogDescription({ ResourceId: 'eni-1', LogDestinationType: 's3', LogDestination: 'not-an-arn' }), 's3 · eni-1');
      assert.equal(flowLogDescription({}), '');
    });

    it('makes each part one bounded, safe line', () => {
      const d = flowLogDescription({ ResourceId: `vpc-\u202E${'a'.repeat(100)}`, TrafficType: 'ACC\nEPT' });
      assert.ok(!UNSAFE.test(d));
      const [res, traffic] = d.split(' · ');
      assert.equal(res.length, 40);
      assert.ok(res.endsWith('…'));
      assert.equal(traffic, 'ACC EPT');
      const hostile = flowLogDescription({ LogDestinationType: 'cloud-watch-logs', LogGroupName: `/g\u202E\n${'x'.repeat(100)}` });
      assert.ok(!UNSAFE.test(hostile));
      assert.equal(hostile.length, 40);
    });
  });

  describe('flowLogIcon', () => {
    it('one codicon per destination type; failing delivery and inactive flow logs first', () => {
      assert.deepEqual(flowLogIcon({ LogDestinationType: 'cloud-watch-logs' }), { id: 'output' });
      assert.deepEqual(flowLogIcon({ LogGroupName: 'g' }), { id: 'output' });
      assert.deepEqual(flowLogIcon({ LogDestinationType: 's3' }), { id: 'archive' });
      assert.deepEqual(flowLogIcon({ LogDestinationType: 'kinesis-data-firehose' }), { id: 'flame' });
      assert.deepEqual(flowLogIcon({ LogDestinationType: 'something-new' }), { id: 'pulse' });
      assert.deepEqual(flowLogIcon({ LogDestinationType: 's3', DeliverLogsStatus: 'FAILED' }), {
        id: 'warning',
        color: 'problemsWarningIcon.foreground',
      });
      assert.deepEqual(flowLogIcon({ LogDestinationType: 's3', FlowLogStatus: 'DELETING' }), { id: 'circle-slash' });
    });
  });

  describe('flowLogContextValue', () => {
    it('has only "flowLog" for a bare flow log', () => {
      assert.equal(flowLogContextValue({ FlowLogId: ID }), 'flowLog');
    });

    it('adds a marker for each thing a menu can act on', () => {
      const v = flowLogContextValue({
        FlowLogId: ID,
        ResourceId: 'vpc-1',
        LogDestination: 'arn:aws:s3:::b',
        LogGroupName: 'g',
        DeliverLogsPermissionArn: 'arn:aws:iam::1:role/r',
        DeliverLogsStatus: 'FAILED',
      });
      assert.equal(v, 'flowLog.resource.destination.logGroup.role.failed');
      for (const m of ['resource', 'destination', 'logGroup', 'role', 'failed']) assert.match(v, new RegExp(`\\.${m}\\b`));
    });

    it('counts a cross-account delivery role as a role, and only FAILED as failed', () => {
      assert.equal(flowLogContextValue({ DeliverCrossAccountRole: 'arn:aws:iam::2:role/x', DeliverLogsStatus: 'SUCCESS' }), 'flowLog.role');
      assert.doesNotMatch(flowLogContextValue({ LogGroupName: 'g' }), /\.role\b|\.failed\b/);
    });
  });

  describe('flowLogTooltip', () => {
    const full: FlowLog = {
      FlowLogId: ID,
      Tags: [
        { Key: 'Name', Value: 'web' },
        { Key: 'team', Value: 'net' },
      ],
      ResourceId: 'vpc-1',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: 'my-group',
      DeliverLogsStatus: 'FAILED',
      DeliverLogsErrorMessage: 'Access error',
      FlowLogStatus: 'ACTIVE',
      CreationTime: new Date('2024-01-02T03:04:05.000Z'),
    };

    it('has one row per known field, and none for missing fields', () => {
      const t = flowLogTooltip(full, 'us-east-1');
      const rows = t.split('  \n');
      assert.deepEqual(
        rows.map((r) => /^\*\*([^:]+):\*\*/.exec(r)?.[1]),
        ['Flow log', 'Name', 'Resource', 'Traffic', 'Destination', 'Delivery', 'Status', 'Created', 'Region', 'Tags'],
      );
      assert.ok(t.includes('2024\\-01\\-02T03:04:05\\.000Z'));
      assert.ok(t.includes('**Tags:** 2'));
      assert.ok(t.includes('FAILED \\(Access error\\)'));
      assert.equal(flowLogTooltip({ FlowLogId: ID }, 'eu-west-1').split('  \n').length, 2);
    });

    it('escapes Markdown and HTML in hostile values so they render as text', () => {
      const hostile = '</script><script>alert(1)</script> **bold** [link](javascript:alert(1)) `code` _x_ # h | t ![i](x)';
      const t = flowLogTooltip(withName(hostile), 'us-east-1');
      const nameRow = t.split('  \n').find((r) => r.startsWith('**Name:**'))!;
      const value = nameRow.slice('**Name:** '.length);
      // every special character is backslash-escaped: none stands alone
      assert.doesNotMatch(value, /(^|[^\\])[<>*_`[\]()#|!]/);
      // and unescaping gives back the text
      assert.equal(value.replace(/\\(.)/g, '$1'), hostile);
    });

    it('keeps every value on one line, bounded to 200 characters', () => {
      const t = flowLogTooltip(withName(`a\nb\u202E${'z'.repeat(500)}`), 'us-east-1');
      const nameRow = t.split('  \n').find((r) => r.startsWith('**Name:**'))!;
      assert.ok(!nameRow.includes('\n') && !UNSAFE.test(nameRow));
      assert.ok(nameRow.replace(/\\(.)/g, '$1').length <= '**Name:** '.length + 200);
    });
  });

  describe('regionDescription', () => {
    const table: [number, boolean, boolean, boolean, string][] = [
      [0, true, false, true, 'loading…'],
      [0, true, true, true, 'loading… · filtered'],
      [50, true, false, true, '50 loaded, more available'],
      [50, true, false, false, '50 loaded, more available'],
      [142, false, false, false, '142 flow logs'],
      [1, false, false, false, '1 flow log'],
      [142, false, true, false, '142 flow logs · filtered'],
      [0, false, false, false, '0 flow logs'],
    ];
    for (const [loaded, hasMore, filtered, loading, want] of table) {
      it(`(${loaded}, more=${hasMore}, filtered=${filtered}, loading=${loading}) -> "${want}"`, () => {
        assert.equal(regionDescription(loaded, hasMore, filtered, loading), want);
      });
    }
  });
});

describe('regionDescription after an error', () => {
  it('says the region failed instead of "more available"', () => {
    assert.equal(regionDescription(0, true, false, false, true), 'error');
    assert.equal(regionDescription(50, true, true, false, true), '50 loaded, then an error · filtered');
  });
});

describe('regionErrorPresentation', () => {
  const base = {
    kind: 'invalidInput' as const,
    message: 'AWS rejected the request: bad filter',
    actions: ['editFilters' as const, 'retry' as const],
  };
  it('points at the active filters when AWS rejects the request', () => {
    assert.equal(
      regionErrorPresentation(base, true).error.message,
      'AWS rejected the request: bad filter (active filters: edit them to fix this)',
    );
    assert.equal(regionErrorPresentation(base, false).error.message, 'AWS rejected the request: bad filter');
  });
  it('a rejected page token restarts the region on Retry, and says so', () => {
    const p = regionErrorPresentation({ ...base, code: 'InvalidPaginationToken' }, false);
    assert.equal(p.restartOnRetry, true);
    assert.match(p.error.message, /Retry starts this region over/);
    assert.equal(regionErrorPresentation({ ...base, kind: 'throttled', code: 'RequestLimitExceeded' }, true).restartOnRetry, false);
  });
});

describe('regionTooltipCount (issue 24.12)', () => {
  const denied = {
    kind: 'denied' as const,
    code: 'UnauthorizedOperation',
    message: 'Not authorized for ec2:DescribeFlowLogs',
    actions: ['retry' as const],
  };
  it('a denied region says the listing failed and why, not "Load more… fetches the rest"', () => {
    assert.equal(regionTooltipCount(0, true, false, denied), 'The listing failed: Not authorized for ec2:DescribeFlowLogs');
    assert.equal(
      regionTooltipCount(50, true, false, denied),
      '50 flow logs loaded, then the listing failed: Not authorized for ec2:DescribeFlowLogs',
    );
  });
  it('a partial or a whole listing says so; a cancel is not a failure', () => {
    assert.equal(regionTooltipCount(10, true, false), '10 flow logs loaded so far; Load more… or Load All fetches the rest');
    assert.equal(regionTooltipCount(35, false, true), '35 flow logs in this region matching the filters (all loaded)');
    assert.equal(
      regionTooltipCount(10, true, false, { kind: 'aborted', message: 'cancelled', actions: [] }),
      '10 flow logs loaded so far; Load more… or Load All fetches the rest',
    );
  });
});
