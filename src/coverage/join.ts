// The join of one region's VPCs, subnets, interfaces and flow logs into one verdict per VPC.
// Every VPC listed appears once (a VPC seen on two pages is kept once); flow logs on resources
// that are not in the lists (a deleted subnet) are ignored.
import type { FlowLog } from '../shared/types';
import { judgeVpc } from './rules';
import type { NetworkInterface, Subnet, Vpc, VpcCoverage } from './types';

function groupBy<T>(items: T[], key: (t: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(item);
  }
  return out;
}

export function joinRegion(
  accountId: string | undefined,
  vpcs: Vpc[],
  subnets: Subnet[],
  flowLogs: FlowLog[],
  interfaces: NetworkInterface[],
): VpcCoverage[] {
  const logsByResource = groupBy(flowLogs, (l) => l.ResourceId);
  const subnetsByVpc = groupBy(subnets, (s) => s.VpcId);
  const interfacesByVpc = groupBy(
    interfaces.filter((i) => logsByResource.has(i.NetworkInterfaceId ?? '')),
    (i) => i.VpcId,
  );
  const seen = new Set<string>();
  const out: VpcCoverage[] = [];
  for (const vpc of vpcs) {
    const id = vpc.VpcId;
    if (!id || seen.has(id)) continue;
    seen.add(id);
    const own = subnetsByVpc.get(id) ?? [];
    out.push(
      judgeVpc({
        vpc,
        accountId,
        vpcLogs: logsByResource.get(id) ?? [],
        subnets: own,
        subnetLogs: own.flatMap((s) => logsByResource.get(s.SubnetId ?? '') ?? []),
        interfaceLogs: (interfacesByVpc.get(id) ?? []).map((eni) => ({
          eni,
          logs: logsByResource.get(eni.NetworkInterfaceId ?? '') ?? [],
        })),
      }),
    );
  }
  return out;
}
