// The verdicts a correct Coverage check must reach on the emulator's data, worked out here from
// the ground truth on its own (not with src/coverage), for tests to compare against.
import type { FlowLog } from '../../../src/shared/types';
import type { Network } from './network';

export type ExpectedVerdict = 'covered' | 'failing' | 'partlyCovered' | 'notCovered' | 'shared';

export function expectedVerdicts(accountId: string, network: Network, logs: readonly FlowLog[]): Map<string, ExpectedVerdict> {
  const out = new Map<string, ExpectedVerdict>();
  const logsOn = (id: string) => logs.filter((l) => l.ResourceId === id);
  for (const vpc of network.vpcs) {
    const own = logsOn(vpc.VpcId).filter((l) => l.FlowLogStatus === 'ACTIVE');
    const rejectOrAll = own.filter((l) => l.TrafficType !== 'ACCEPT');
    const below = [
      ...network.subnets.filter((s) => s.VpcId === vpc.VpcId).map((s) => s.SubnetId),
      ...network.interfaces.filter((e) => e.VpcId === vpc.VpcId).map((e) => e.NetworkInterfaceId),
    ].some((id) => logsOn(id).length > 0);
    out.set(
      vpc.VpcId,
      vpc.OwnerId !== accountId
        ? 'shared'
        : rejectOrAll.some((l) => l.DeliverLogsStatus !== 'FAILED')
          ? 'covered'
          : rejectOrAll.length
            ? 'failing'
            : own.length || below
              ? 'partlyCovered'
              : 'notCovered',
    );
  }
  return out;
}
