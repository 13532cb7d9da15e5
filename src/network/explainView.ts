// Explain this record, the words (issue 27): what the command accepts (anything VS Code may pass:
// a clear message for whatever is not a record) and the Markdown it shows (every value escaped).
// Pure.
import { isRegionId } from '../aws/arn';
import { escapeMarkdownCell } from '../coverage/report';
import { parseAddress } from '../shared/ipAddresses';
import { describeAclEntry, describeSgRule, protocolName } from './evaluate';
import type { AddressName } from './owners';
import { networkConsoleUrl, type ExplainResult, type RecordRef } from './resolver';

export interface ExplainRequest {
  profile: string;
  region: string;
  record: RecordRef;
}

const USAGE =
  'Explain this record needs a flow log record with an interface ID: { profile, region, record: { "interface-id", srcaddr, dstaddr, srcport, dstport, protocol, action } } (the records panel passes it).';

/**
 * Reads the command's argument: `{ profile, region, record }` where the record holds the flow log
 * field names (strings or numbers, "-" for none). Anything else gets a message saying what is needed.
 */
export function parseExplainArg(arg: unknown): { ok: true; request: ExplainRequest } | { ok: false; message: string } {
  if (!arg || typeof arg !== 'object' || Array.isArray(arg)) return { ok: false, message: USAGE };
  const a = arg as Record<string, unknown>;
  const rec = (a.record && typeof a.record === 'object' && !Array.isArray(a.record) ? a.record : a) as Record<string, unknown>;
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
  const num = (v: unknown, max: number): number | undefined => {
    const t = text(v);
    return t !== undefined && /^\d{1,5}$/.test(t) && Number(t) <= max ? Number(t) : undefined;
  };
  const profile = text(a.profile);
  if (!profile || profile.length > 256) return { ok: false, message: USAGE };
  const region = text(a.region);
  if (!isRegionId(region))
    return { ok: false, message: `"${escapeMarkdownCell(String(region ?? '')).slice(0, 40)}" is not a region. ${USAGE}` };
  const interfaceId = text(rec['interface-id'] ?? rec.interfaceId);
  if (!interfaceId || !/^eni-[0-9a-f]{8,17}$/.test(interfaceId)) {
    return { ok: false, message: 'This record has no interface ID (interface-id): there is no security group or network ACL to evaluate.' };
  }
  const srcaddr = text(rec.srcaddr);
  const dstaddr = text(rec.dstaddr);
  if (!srcaddr || !dstaddr || !parseAddress(srcaddr) || !parseAddress(dstaddr)) {
    return {
      ok: false,
      message: 'This record has no source and destination addresses (a NODATA or SKIPDATA record?): nothing to evaluate.',
    };
  }
  const protocol = num(rec.protocol, 255);
  if (protocol === undefined) return { ok: false, message: 'This record has no protocol number: nothing to evaluate.' };
  const opt = (k: string) => {
    const t = text(rec[k]);
    return t && t !== '-' ? t : undefined;
  };
  const action = opt('action')?.toUpperCase();
  const flags = num(rec['tcp-flags'] ?? rec.tcpFlags, 255);
  return {
    ok: true,
    request: {
      profile,
      region,
      record: {
        interfaceId,
        srcaddr,
        dstaddr,
        srcport: num(rec.srcport, 65535),
        dstport: num(rec.dstport, 65535),
        protocol,
        action: action === 'ACCEPT' || action === 'REJECT' ? action : undefined,
        flowDirection: opt('flow-direction') ?? opt('flowDirection'),
        rejectReason: opt('reject-reason') ?? opt('rejectReason'),
        tcpFlags: flags,
        pktSrcAwsService: opt('pkt-src-aws-service'),
        pktDstAwsService: opt('pkt-dst-aws-service'),
      },
    },
  };
}

const e = escapeMarkdownCell;
const link = (region: string, id: string | undefined) => {
  const url = networkConsoleUrl(region, id);
  return url ? `[${e(id)}](${url})` : e(id);
};

function who(region: string, n: AddressName | undefined, address: string): string[] {
  if (!n) return [e(address), 'not named', ''];
  const resource = n.instanceId ?? n.interfaceId;
  return [e(address), e(n.label), resource ? link(region, resource) : ''];
}

/** The one-line verdict (Copy). */
export function explainSummary(r: ExplainResult): string {
  return r.explanation?.summary ?? r.problem ?? 'No verdict.';
}

/** The whole explanation as Markdown: both ends, the verdict, the rules that decided, every rule read. */
export function explainMarkdown(req: ExplainRequest, r: ExplainResult): string {
  const rec = req.record;
  const x = r.explanation;
  const ports = rec.protocol === 6 || rec.protocol === 17;
  const lines: string[] = [];
  lines.push(
    `# ${e(rec.action ?? 'Record')} ${e(protocolName(rec.protocol))} ${e(rec.srcaddr)}${ports ? `:${rec.srcport ?? '?'}` : ''} → ${e(rec.dstaddr)}${ports ? `:${rec.dstport ?? '?'}` : ''}`,
    '',
    `**${e(explainSummary(r))}**`,
    '',
    `Captured at ${link(req.region, rec.interfaceId)} (${e(req.profile)}, ${e(req.region)})${x?.direction ? `, ${x.direction}` : ''}.`,
    '',
    '## Who',
    '',
    '| | address | who | resource |',
    '|---|---|---|---|',
    `| source | ${who(req.region, r.src, rec.srcaddr).join(' | ')} |`,
    `| destination | ${who(req.region, r.dst, rec.dstaddr).join(' | ')} |`,
  );
  if (r.local) {
    const groups = (r.local.groups ?? [])
      .map((g) => `${link(req.region, g.GroupId)}${g.GroupName ? ` (${e(g.GroupName)})` : ''}`)
      .join(', ');
    lines.push(
      '',
      `The interface: ${e(r.local.label)}; subnet ${e(r.local.subnetId ?? '?')}${r.subnet?.CidrBlock ? ` (${e(r.subnet.CidrBlock)})` : ''}, VPC ${e(r.local.vpcId ?? '?')}; security groups: ${groups || 'none'}.`,
    );
  }
  if (x) {
    lines.push('', '## Security groups (stateful: responses to allowed traffic are allowed)', '', e(x.securityGroups.text));
    if (x.securityGroups.rules.length) {
      lines.push('', 'Deciding rules:', '', ...x.securityGroups.rules.map((rule) => `- ${e(describeSgRule(rule))}`));
    }
    if (r.securityGroupRules.length) {
      lines.push('', '| rule | group | direction | protocol / ports | peer |', '|---|---|---|---|---|');
      for (const rule of r.securityGroupRules) {
        const peer = rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.PrefixListId ?? rule.ReferencedGroupInfo?.GroupId ?? '';
        const pr =
          rule.IpProtocol === '-1'
            ? 'all'
            : `${rule.IpProtocol ?? '?'} ${rule.FromPort ?? ''}${rule.ToPort !== rule.FromPort ? `-${rule.ToPort}` : ''}`;
        lines.push(
          `| ${e(rule.SecurityGroupRuleId)} | ${link(req.region, rule.GroupId)} | ${rule.IsEgress ? 'outbound' : 'inbound'} | ${e(pr)} | ${e(peer)} |`,
        );
      }
    }
    const aclId = r.networkAcl?.NetworkAclId;
    lines.push(
      '',
      `## Network ACL ${aclId ? link(req.region, aclId) : ''} (stateless: each direction by its own rules, in order)`,
      '',
      e(x.networkAcl.text),
    );
    if (x.networkAcl.evaluated.length) {
      lines.push('', '| | rule |', '|---|---|');
      for (const entry of x.networkAcl.evaluated)
        lines.push(`| ${entry === x.networkAcl.entry ? '▶' : ''} | ${e(describeAclEntry(entry))} |`);
    }
    if (x.notes.length) lines.push('', '## Notes', '', ...x.notes.map((n) => `- ${e(n)}`));
  }
  if (r.errors.length) lines.push('', '## Errors', '', ...r.errors.map((err) => `- ${e(err.message)}`));
  lines.push('', `_${r.requests} request${r.requests === 1 ? '' : 's'} to AWS._`, '');
  return lines.join('\n');
}
