// How a judged VPC is drawn in the Coverage view. Pure, so it is unit-tested in plain Node. The
// name is a tag value (anyone with ec2:CreateTags sets it): one line, no bidi controls, bounded.
import { oneLineLabel } from '../shared/text';
import type { VpcCoverage } from './types';

export function vpcLabel(v: VpcCoverage): string {
  return (v.name && oneLineLabel(v.name)) || v.vpcId;
}

/** What is short enough to read at a glance: why it is only partly covered, or failing. */
export function vpcNote(v: VpcCoverage): string {
  if (v.verdict === 'failing') return 'delivery failing';
  if (v.verdict !== 'partlyCovered') return '';
  if (v.reason.startsWith('Only ACCEPT')) return 'ACCEPT only';
  return [
    v.subnetsCovered ? `${v.subnetsCovered} of ${v.subnetsTotal} subnets` : '',
    v.interfacesCovered ? `${v.interfacesCovered} interface(s)` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** "vpc-… · 10.0.0.0/16 · default · 2 of 3 subnets" (the ID only when the label is the name). */
export function vpcDescription(v: VpcCoverage): string {
  const named = vpcLabel(v) !== v.vpcId;
  return [named ? v.vpcId : '', v.cidr ? oneLineLabel(v.cidr, 50) : '', v.isDefault ? 'default' : '', vpcNote(v)]
    .filter(Boolean)
    .join(' · ');
}
