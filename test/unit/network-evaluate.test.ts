// The security group / network ACL evaluator (src/network/evaluate.ts) against the cases AWS
// documents. Each case names the page it comes from (docs.aws.amazon.com/vpc/latest/userguide/).
import assert from 'node:assert/strict';
import { describeAclEntry, directionOf, explainFlow, type InterfaceRules } from '../../src/network/evaluate';
import type { NetworkAcl, NetworkAclEntry, SecurityGroupRule } from '../../src/shared/networkTypes';

const sg = (id: string, egress: boolean, proto: string, from: number, to: number, peer: Partial<SecurityGroupRule>): SecurityGroupRule => ({
  SecurityGroupRuleId: id,
  GroupId: 'sg-0123456789abcdef0',
  IsEgress: egress,
  IpProtocol: proto,
  FromPort: from,
  ToPort: to,
  ...peer,
});
const acl = (
  n: number,
  egress: boolean,
  proto: string,
  cidr: string,
  action: 'allow' | 'deny',
  ports?: [number, number],
): NetworkAclEntry => ({
  RuleNumber: n,
  Egress: egress,
  Protocol: proto,
  RuleAction: action,
  ...(cidr.includes(':') ? { Ipv6CidrBlock: cidr } : { CidrBlock: cidr }),
  ...(ports ? { PortRange: { From: ports[0], To: ports[1] } } : {}),
});
const DEFAULT_DENY = [acl(32767, false, '-1', '0.0.0.0/0', 'deny'), acl(32767, true, '-1', '0.0.0.0/0', 'deny')];
const DEFAULT_DENY6 = [acl(32768, false, '-1', '::/0', 'deny'), acl(32768, true, '-1', '::/0', 'deny')];
const nacl = (entries: NetworkAclEntry[]): NetworkAcl => ({
  NetworkAclId: 'acl-0123456789abcdef0',
  Entries: [...entries, ...DEFAULT_DENY],
});

describe('network: security groups and network ACLs against a record (AWS documented cases)', () => {
  // flow-logs-records-examples.html, "Security group and network ACL rules": ping from a home
  // computer (203.0.113.12) to an instance (172.31.16.139). The security group's inbound rules allow
  // ICMP, its outbound rules do not; the network ACL allows inbound ICMP but not outbound ICMP.
  // The flow log shows an ACCEPT record for the ping and a REJECT record for the response.
  const instance = '172.31.16.139';
  const home = '203.0.113.12';
  const pingCtx = (outboundIcmp: boolean, inboundSgIcmp = true): InterfaceRules => ({
    interfaceId: 'eni-1235b8ca123456789',
    addresses: [instance],
    groupIds: ['sg-0123456789abcdef0'],
    securityGroupRules: inboundSgIcmp ? [sg('sgr-icmp-in', false, 'icmp', -1, -1, { CidrIpv4: '0.0.0.0/0' })] : [],
    networkAcl: nacl([acl(100, false, '1', '0.0.0.0/0', 'allow'), ...(outboundIcmp ? [acl(100, true, '1', '0.0.0.0/0', 'allow')] : [])]),
  });

  it('the ping in: ACCEPT, allowed by the inbound SG rule and NACL rule 100', () => {
    const e = explainFlow({ srcaddr: home, dstaddr: instance, srcport: 0, dstport: 0, protocol: 1, action: 'ACCEPT' }, pingCtx(false));
    assert.equal(e.direction, 'inbound');
    assert.equal(e.verdict, 'allow');
    assert.equal(e.securityGroups.as, 'request');
    assert.deepEqual(
      e.securityGroups.rules.map((r) => r.SecurityGroupRuleId),
      ['sgr-icmp-in'],
    );
    assert.equal(e.networkAcl.entry?.RuleNumber, 100);
    assert.equal(e.agreesWithRecord, true);
  });

  it('the response out: REJECT by the network ACL (stateless), though the security group allows it as a response (stateful)', () => {
    const e = explainFlow({ srcaddr: instance, dstaddr: home, srcport: 0, dstport: 0, protocol: 1, action: 'REJECT' }, pingCtx(false));
    assert.equal(e.direction, 'outbound');
    assert.equal(e.verdict, 'deny');
    assert.equal(e.deniedBy, 'network-acl');
    assert.equal(e.securityGroups.verdict, 'allow');
    assert.equal(e.securityGroups.as, 'response');
    assert.equal(e.networkAcl.entry?.RuleNumber, 32767, 'the default rule * decides');
    assert.match(e.summary, /network ACL.*rule \*/);
    assert.equal(e.agreesWithRecord, true);
  });

  it('"If your network ACL permits outbound ICMP traffic, the flow log displays two ACCEPT records"', () => {
    const e = explainFlow({ srcaddr: instance, dstaddr: home, srcport: 0, dstport: 0, protocol: 1, action: 'ACCEPT' }, pingCtx(true));
    assert.equal(e.verdict, 'allow');
    assert.equal(e.networkAcl.entry?.RuleNumber, 100);
  });

  it('"If your security group denies inbound ICMP traffic ... a single REJECT record": no rule allows it', () => {
    const e = explainFlow(
      { srcaddr: home, dstaddr: instance, srcport: 0, dstport: 0, protocol: 1, action: 'REJECT' },
      pingCtx(true, false),
    );
    assert.equal(e.verdict, 'deny');
    assert.equal(e.deniedBy, 'security-group');
    assert.equal(e.securityGroups.rules.length, 0);
    assert.match(e.securityGroups.text, /No inbound rule/);
  });

  // flow-logs-records-examples.html, "Accepted and rejected traffic": SSH to eni-1235b8ca123456789
  // accepted, RDP to it rejected (a security group allowing SSH only).
  it('SSH accepted and RDP rejected at the same interface', () => {
    const ctx: InterfaceRules = {
      addresses: ['172.31.16.21', '172.31.9.12'],
      groupIds: ['sg-0123456789abcdef0'],
      securityGroupRules: [sg('sgr-ssh', false, 'tcp', 22, 22, { CidrIpv4: '172.31.0.0/16' })],
      networkAcl: nacl([acl(100, false, '-1', '0.0.0.0/0', 'allow'), acl(100, true, '-1', '0.0.0.0/0', 'allow')]),
    };
    const ssh = explainFlow(
      { srcaddr: '172.31.16.139', dstaddr: '172.31.16.21', srcport: 20641, dstport: 22, protocol: 6, action: 'ACCEPT' },
      ctx,
    );
    assert.equal(ssh.verdict, 'allow');
    assert.equal(ssh.agreesWithRecord, true);
    const rdp = explainFlow(
      { srcaddr: '172.31.9.69', dstaddr: '172.31.9.12', srcport: 49761, dstport: 3389, protocol: 6, action: 'REJECT' },
      ctx,
    );
    assert.equal(rdp.verdict, 'deny');
    assert.equal(rdp.deniedBy, 'security-group');
    assert.equal(rdp.agreesWithRecord, true);
  });

  // custom-network-acl.html: the example inbound rules. "Suppose there is IPv4 traffic destined
  // for the HTTPS port (443). The packet doesn't match rule 100 or 105. It matches rule 110 ... If
  // the packet had been destined for port 139 (NetBIOS), it wouldn't match any of the numbered
  // rules, so the * rule for IPv4 traffic ultimately denies the packet." IPv4 and IPv6 traffic are
  // evaluated separately.
  describe('the custom network ACL example', () => {
    const entries = [
      acl(100, false, '6', '0.0.0.0/0', 'allow', [80, 80]),
      acl(105, false, '6', '::/0', 'allow', [80, 80]),
      acl(110, false, '6', '0.0.0.0/0', 'allow', [443, 443]),
      acl(120, false, '6', '192.0.2.0/24', 'allow', [22, 22]),
      acl(130, false, '6', '192.0.2.0/24', 'allow', [3389, 3389]),
      acl(140, false, '6', '0.0.0.0/0', 'allow', [32768, 65535]),
      acl(145, false, '6', '::/0', 'allow', [32768, 65535]),
      // outbound: HTTP and HTTPS out, responses to clients on the ephemeral ports (140)
      acl(100, true, '6', '0.0.0.0/0', 'allow', [80, 80]),
      acl(110, true, '6', '0.0.0.0/0', 'allow', [443, 443]),
      acl(140, true, '6', '0.0.0.0/0', 'allow', [32768, 65535]),
      ...DEFAULT_DENY6,
    ];
    const ctx: InterfaceRules = {
      addresses: ['10.0.1.10', '2001:db8:1234:1a00::10'],
      groupIds: ['sg-0123456789abcdef0'],
      securityGroupRules: [
        sg('sgr-all-in', false, '-1', -1, -1, { CidrIpv4: '0.0.0.0/0' }),
        sg('sgr-all-in6', false, '-1', -1, -1, { CidrIpv6: '::/0' }),
      ],
      networkAcl: nacl(entries),
    };
    it('HTTPS (443) matches rule 110, not 100 or 105', () => {
      const e = explainFlow({ srcaddr: '198.51.100.7', dstaddr: '10.0.1.10', srcport: 50000, dstport: 443, protocol: 6 }, ctx);
      assert.equal(e.verdict, 'allow');
      assert.equal(e.networkAcl.entry?.RuleNumber, 110);
      assert.deepEqual(
        e.networkAcl.evaluated.map((x) => x.RuleNumber),
        [100, 105, 110, 120, 130, 140, 145, 32767, 32768],
      );
    });
    it('NetBIOS (139) matches no numbered rule: the * rule denies it', () => {
      const e = explainFlow(
        { srcaddr: '198.51.100.7', dstaddr: '10.0.1.10', srcport: 50000, dstport: 139, protocol: 6, action: 'REJECT' },
        ctx,
      );
      assert.equal(e.verdict, 'deny');
      assert.equal(e.deniedBy, 'network-acl');
      assert.equal(e.networkAcl.entry?.RuleNumber, 32767);
      assert.equal(describeAclEntry(e.networkAcl.entry!), 'rule *: inbound all traffic from 0.0.0.0/0 DENY');
    });
    it('IPv6 HTTP matches rule 105 (the IPv4 rule 100 does not apply to IPv6)', () => {
      const e = explainFlow(
        { srcaddr: '2001:db8:ffff::1', dstaddr: '2001:db8:1234:1a00::10', srcport: 50000, dstport: 80, protocol: 6 },
        ctx,
      );
      assert.equal(e.networkAcl.entry?.RuleNumber, 105);
      assert.equal(e.verdict, 'allow');
    });
    it('IPv6 HTTPS: no IPv6 rule for 443, the IPv6 * rule denies it', () => {
      const e = explainFlow(
        { srcaddr: '2001:db8:ffff::1', dstaddr: '2001:db8:1234:1a00::10', srcport: 50000, dstport: 443, protocol: 6 },
        ctx,
      );
      assert.equal(e.verdict, 'deny');
      assert.equal(e.networkAcl.entry?.Ipv6CidrBlock, '::/0');
    });
    it('the response of the web server to a client leaves by the ephemeral ports rule (140): stateless', () => {
      const e = explainFlow(
        { srcaddr: '10.0.1.10', dstaddr: '198.51.100.7', srcport: 443, dstport: 50000, protocol: 6, action: 'ACCEPT' },
        ctx,
      );
      assert.equal(e.direction, 'outbound');
      assert.equal(e.networkAcl.entry?.RuleNumber, 140);
      assert.equal(e.securityGroups.as, 'response', 'no outbound SG rule: allowed because the inbound rule allowed the request');
      assert.equal(e.verdict, 'allow');
    });
    it('a response to a client on an ephemeral port below 32768 is denied, with the ephemeral-ports note', () => {
      const e = explainFlow(
        { srcaddr: '10.0.1.10', dstaddr: '198.51.100.7', srcport: 443, dstport: 1900, protocol: 6, action: 'REJECT' },
        ctx,
      );
      assert.equal(e.verdict, 'deny');
      assert.equal(e.deniedBy, 'network-acl');
      assert.ok(e.notes.some((n) => /stateless/.test(n) && /ephemeral/.test(n)));
    });
  });

  // vpc-network-acls.html: the network ACL applies to traffic entering or leaving the subnet.
  it('traffic within the subnet does not cross its network ACL', () => {
    const ctx: InterfaceRules = {
      addresses: ['10.0.1.10'],
      subnetCidrs: ['10.0.1.0/24'],
      groupIds: ['sg-1'],
      securityGroupRules: [{ GroupId: 'sg-1', IsEgress: false, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIpv4: '10.0.0.0/16' }],
      networkAcl: nacl([]),
    };
    const e = explainFlow({ srcaddr: '10.0.1.20', dstaddr: '10.0.1.10', srcport: 40000, dstport: 5432, protocol: 6 }, ctx);
    assert.equal(e.networkAcl.verdict, 'not-applied');
    assert.equal(e.verdict, 'allow');
    const outside = explainFlow({ srcaddr: '10.0.2.20', dstaddr: '10.0.1.10', srcport: 40000, dstport: 5432, protocol: 6 }, ctx);
    assert.equal(outside.verdict, 'deny');
    assert.equal(outside.deniedBy, 'network-acl');
  });

  // security-group-rules.html: a rule may name another security group as its source: traffic from
  // the interfaces of that group is allowed.
  it("a rule referencing a security group: decided by the peer's groups, undecided when they are unknown", () => {
    const base: InterfaceRules = {
      addresses: ['10.0.1.10'],
      groupIds: ['sg-db'],
      securityGroupRules: [
        { GroupId: 'sg-db', IsEgress: false, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, ReferencedGroupInfo: { GroupId: 'sg-app' } },
      ],
      networkAcl: nacl([acl(100, false, '-1', '0.0.0.0/0', 'allow')]),
    };
    const flow = { srcaddr: '10.0.2.5', dstaddr: '10.0.1.10', srcport: 40000, dstport: 5432, protocol: 6 };
    assert.equal(explainFlow(flow, { ...base, peerGroupIds: ['sg-app'] }).verdict, 'allow');
    assert.equal(explainFlow(flow, { ...base, peerGroupIds: ['sg-other'] }).verdict, 'deny');
    const unknown = explainFlow(flow, base);
    assert.equal(unknown.verdict, 'unknown');
    assert.equal(unknown.securityGroups.undecided.length, 1);
  });

  it('an interface without security groups (a NAT gateway): only the network ACL decides', () => {
    const e = explainFlow(
      { srcaddr: '10.0.1.5', dstaddr: '198.51.100.7', srcport: 40000, dstport: 443, protocol: 6 },
      { addresses: ['10.0.1.5'], groupIds: [], securityGroupRules: [], networkAcl: nacl([acl(100, true, '-1', '0.0.0.0/0', 'allow')]) },
    );
    assert.equal(e.securityGroups.verdict, 'not-applied');
    assert.equal(e.verdict, 'allow');
  });

  it("rules of another group than the interface's are ignored", () => {
    const e = explainFlow(
      { srcaddr: '198.51.100.7', dstaddr: '10.0.1.10', srcport: 40000, dstport: 22, protocol: 6 },
      {
        addresses: ['10.0.1.10'],
        groupIds: ['sg-a'],
        securityGroupRules: [{ GroupId: 'sg-b', IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '0.0.0.0/0' }],
        networkAcl: nacl([acl(100, false, '-1', '0.0.0.0/0', 'allow')]),
      },
    );
    assert.equal(e.verdict, 'deny');
  });

  // Security groups are stateful, but a packet that opens a connection is no response: with all
  // outbound traffic allowed (the default outbound rule), a scan of RDP is still rejected.
  it('a scan (ephemeral port to a service port, or a SYN) is not admitted as a response of the open outbound rule', () => {
    const ctx: InterfaceRules = {
      addresses: ['10.0.1.10'],
      groupIds: ['sg-1'],
      securityGroupRules: [
        { GroupId: 'sg-1', IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '10.0.0.0/8' },
        { GroupId: 'sg-1', IsEgress: true, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' },
      ],
      networkAcl: nacl([acl(100, false, '-1', '0.0.0.0/0', 'allow')]),
    };
    const scan = explainFlow(
      { srcaddr: '198.51.100.7', dstaddr: '10.0.1.10', srcport: 51000, dstport: 3389, protocol: 6, action: 'REJECT' },
      ctx,
    );
    assert.equal(scan.verdict, 'deny');
    assert.equal(scan.deniedBy, 'security-group');
    assert.match(scan.securityGroups.text, /opens a connection \(to port 3389\)/);
    // The answer of a web server the instance called (443 -> ephemeral): admitted as a response.
    const answer = explainFlow({ srcaddr: '198.51.100.7', dstaddr: '10.0.1.10', srcport: 443, dstport: 51000, protocol: 6 }, ctx);
    assert.equal(answer.securityGroups.as, 'response');
    // A SYN decides, whatever the ports.
    const syn = explainFlow({ srcaddr: '198.51.100.7', dstaddr: '10.0.1.10', srcport: 443, dstport: 51000, protocol: 6, tcpFlags: 2 }, ctx);
    assert.equal(syn.verdict, 'deny');
  });

  it("direction: flow-direction wins; otherwise the interface's own address; neither: unknown, said plainly", () => {
    assert.equal(directionOf({ srcaddr: '1.1.1.1', dstaddr: '2.2.2.2', protocol: 6, flowDirection: 'egress' }, []), 'outbound');
    assert.equal(directionOf({ srcaddr: '1.1.1.1', dstaddr: '10.0.0.1', protocol: 6 }, ['10.0.0.1']), 'inbound');
    const e = explainFlow(
      { srcaddr: '1.1.1.1', dstaddr: '2.2.2.2', protocol: 6 },
      { addresses: ['10.0.0.1'], groupIds: [], securityGroupRules: [] },
    );
    assert.equal(e.verdict, 'unknown');
    assert.match(e.summary, /direction is not known/);
  });

  it('a REJECT the rules allow today says so; reject-reason BPA names Block Public Access', () => {
    const ctx: InterfaceRules = {
      addresses: ['10.0.1.10'],
      groupIds: ['sg-1'],
      securityGroupRules: [{ GroupId: 'sg-1', IsEgress: false, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' }],
      networkAcl: nacl([acl(100, false, '-1', '0.0.0.0/0', 'allow')]),
    };
    const e = explainFlow(
      { srcaddr: '198.51.100.7', dstaddr: '10.0.1.10', srcport: 40000, dstport: 22, protocol: 6, action: 'REJECT', rejectReason: 'BPA' },
      ctx,
    );
    assert.equal(e.verdict, 'allow');
    assert.equal(e.agreesWithRecord, false);
    assert.ok(e.notes.some((n) => /Block Public Access/.test(n)));
    assert.ok(e.notes.some((n) => /may have changed/.test(n)));
  });
});
