// Explain this record's command argument (whatever VS Code may pass) and its Markdown (escaped).
import assert from 'node:assert/strict';
import { explainMarkdown, parseExplainArg } from '../../src/network/explainView';
import { explainFlow } from '../../src/network/evaluate';
import type { ExplainResult } from '../../src/network/resolver';

const RECORD = {
  'interface-id': 'eni-0123456789abcdef0',
  srcaddr: '203.0.113.7',
  dstaddr: '10.0.1.10',
  srcport: '51000',
  dstport: 3389,
  protocol: '6',
  action: 'REJECT',
};

describe('Explain this record: the argument and the Markdown', () => {
  it('refuses what is not a record with a message saying what is needed, never a throw', () => {
    for (const garbage of [
      undefined,
      null,
      0,
      'eni-1',
      [],
      () => 1,
      { profile: 'p' },
      { profile: 'p', region: 'nowhere', record: RECORD },
    ]) {
      const r = parseExplainArg(garbage);
      assert.equal(r.ok, false);
      assert.ok(!r.ok && r.message.length > 10);
    }
    const noEni = parseExplainArg({ profile: 'p', region: 'us-east-1', record: { ...RECORD, 'interface-id': '-' } });
    assert.ok(!noEni.ok && /interface ID/.test(noEni.message));
    const nodata = parseExplainArg({ profile: 'p', region: 'us-east-1', record: { ...RECORD, srcaddr: '-', dstaddr: '-' } });
    assert.ok(!nodata.ok && /NODATA/.test(nodata.message));
    const badProto = parseExplainArg({ profile: 'p', region: 'us-east-1', record: { ...RECORD, protocol: 'tcp' } });
    assert.ok(!badProto.ok && /protocol/.test(badProto.message));
  });

  it('reads the record fields as strings or numbers, nested or flat, "-" as none', () => {
    const nested = parseExplainArg({ profile: 'p', region: 'us-east-1', record: { ...RECORD, 'flow-direction': '-', 'tcp-flags': '2' } });
    assert.ok(nested.ok);
    assert.deepEqual(nested.ok && { ...nested.request.record }, {
      interfaceId: 'eni-0123456789abcdef0',
      srcaddr: '203.0.113.7',
      dstaddr: '10.0.1.10',
      srcport: 51000,
      dstport: 3389,
      protocol: 6,
      action: 'REJECT',
      flowDirection: undefined,
      rejectReason: undefined,
      tcpFlags: 2,
      pktSrcAwsService: undefined,
      pktDstAwsService: undefined,
    });
    const flat = parseExplainArg({ profile: 'p', region: 'us-east-1', ...RECORD });
    assert.ok(flat.ok && flat.request.record.dstport === 3389);
  });

  it('escapes every value in the Markdown (a hostile Name tag or description cannot inject links or HTML)', () => {
    const parsed = parseExplainArg({ profile: 'p', region: 'us-east-1', record: RECORD });
    assert.ok(parsed.ok);
    const evil = '[click](https://evil.example) <img src=x onerror=alert(1)> | `x`';
    const result: ExplainResult = {
      explanation: explainFlow(parsed.request.record, {
        addresses: ['10.0.1.10'],
        groupIds: ['sg-0123456789abcdef0'],
        securityGroupRules: [
          {
            SecurityGroupRuleId: 'sgr-1',
            GroupId: 'sg-0123456789abcdef0',
            IsEgress: false,
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            CidrIpv4: '10.0.0.0/8',
            Description: evil,
          },
        ],
        networkAcl: {
          NetworkAclId: 'acl-0123456789abcdef0',
          Entries: [{ RuleNumber: 100, Egress: false, Protocol: '-1', RuleAction: 'allow', CidrBlock: '0.0.0.0/0' }],
        },
      }),
      local: {
        address: 'eni-0123456789abcdef0',
        kind: 'instance',
        label: evil,
        interfaceId: 'eni-0123456789abcdef0',
        instanceId: 'i-0123456789abcdef0',
        groups: [{ GroupId: 'sg-0123456789abcdef0', GroupName: evil }],
      },
      src: { address: '203.0.113.7', kind: 'public', label: 'public' },
      dst: { address: '10.0.1.10', kind: 'instance', label: evil, instanceId: 'i-0123456789abcdef0', interfaceId: 'eni-0123456789abcdef0' },
      securityGroupRules: [],
      errors: [],
      requests: 4,
    };
    const md = explainMarkdown(parsed.request, result);
    assert.ok(!md.includes('<img'), 'no raw HTML');
    assert.ok(!md.includes('[click](https://evil'), 'no link from data');
    assert.match(md, /\\\[click\\\]/);
    assert.match(md, /Rejected: the security groups/);
    assert.match(
      md,
      /\[i-0123456789abcdef0\]\(https:\/\/us-east-1\.console\.aws\.amazon\.com\/ec2\/home\?region=us-east-1#InstanceDetails:instanceId=i-0123456789abcdef0\)/,
    );
    assert.match(md, /\| ▶ \| rule 100: inbound all traffic from 0\.0\.0\.0\/0 ALLOW \|/);
  });
});
