// The Coverage report as Markdown (for a ticket) and CSV (for a spreadsheet), with the time it
// was taken and the rule set. Every value is escaped: VPC names are tag values, which anyone
// with ec2:CreateTags can set to anything.
import { INVISIBLE_FORMAT_CHARS } from '../shared/text';
import { csvField } from '../shared/csv';
import { RULE_SET, RULE_SET_SHORT } from './rules';
import { summarizeCoverage } from './scan';
import { RegionCoverage, VERDICT_LABELS, VERDICT_ORDER, VpcCoverage } from './types';

/** Text safe inside a Markdown table cell: no line breaks, pipes, HTML or emphasis. */
export function escapeMarkdownCell(value: string | undefined): string {
  return (value ?? '')
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(INVISIBLE_FORMAT_CHARS, '') // bidi overrides would reorder the row, zero-width characters hide text
    .replace(/[\\`*_[\]|<>&~]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`))
    .trim();
}

/** One CSV field: the one rule of every export (webview/csv.ts). */
export { csvField };

function sortVpcs(vpcs: VpcCoverage[]): VpcCoverage[] {
  return [...vpcs].sort((a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict) || a.vpcId.localeCompare(b.vpcId));
}

export function coverageMarkdown(regions: RegionCoverage[], takenAt: Date): string {
  const summary = summarizeCoverage(regions);
  const out: string[] = [
    '# VPC flow log coverage',
    '',
    `Checked ${takenAt.toISOString()}: **${escapeMarkdownCell(summary.text)}**.`,
    '',
    '## Rule set',
    '',
    ...RULE_SET.map((r) => `- ${escapeMarkdownCell(r)}`),
    '',
  ];
  for (const r of regions) {
    out.push(
      `## ${escapeMarkdownCell(r.profileName)} · ${escapeMarkdownCell(r.region)}${r.accountId ? ` · account ${escapeMarkdownCell(r.accountId)}` : ''}`,
      '',
    );
    if (r.error) {
      out.push(`Error: ${escapeMarkdownCell(r.error.message)}${r.error.code ? ` (${escapeMarkdownCell(r.error.code)})` : ''}`, '');
      continue;
    }
    if (!r.vpcs.length) {
      out.push('No VPCs.', '');
      continue;
    }
    out.push('| Verdict | VPC | Name | CIDR | Default | Owner | Reason | Flow logs |', '|---|---|---|---|---|---|---|---|');
    for (const v of sortVpcs(r.vpcs)) {
      out.push(
        `| ${[VERDICT_LABELS[v.verdict], v.vpcId, v.name, v.cidr, v.isDefault ? 'yes' : '', v.ownerId, v.reason, v.flowLogIds.join(' ')].map(escapeMarkdownCell).join(' | ')} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

export const CSV_COLUMNS = [
  'checked_at',
  'profile',
  'account_id',
  'region',
  'vpc_id',
  'name',
  'cidr',
  'is_default',
  'owner_id',
  'verdict',
  'reason',
  'flow_log_ids',
  'subnets_covered',
  'subnets_total',
  'interfaces_covered',
  'rule_set',
] as const;

export function coverageCsv(regions: RegionCoverage[], takenAt: Date): string {
  const at = takenAt.toISOString();
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const r of regions) {
    if (r.error) {
      rows.push(
        [
          at,
          r.profileName,
          r.accountId,
          r.region,
          '',
          '',
          '',
          '',
          '',
          'error',
          `${r.error.message}${r.error.code ? ` (${r.error.code})` : ''}`,
          '',
          '',
          '',
          '',
          RULE_SET_SHORT,
        ]
          .map(csvField)
          .join(','),
      );
      continue;
    }
    for (const v of sortVpcs(r.vpcs)) {
      rows.push(
        [
          at,
          r.profileName,
          r.accountId,
          r.region,
          v.vpcId,
          v.name,
          v.cidr,
          v.isDefault,
          v.ownerId,
          VERDICT_LABELS[v.verdict],
          v.reason,
          v.flowLogIds.join(' '),
          v.subnetsCovered,
          v.subnetsTotal,
          v.interfacesCovered,
          RULE_SET_SHORT,
        ]
          .map(csvField)
          .join(','),
      );
    }
  }
  return rows.join('\r\n') + '\r\n';
}
