// The emulator's network side: one derived Network per (account, region), rebuilt when that
// region's flow logs change (setFlowLogs bumps the generation), and the Describe calls over it.
import type { FlowLog } from '../../../src/shared/types';
import { ApiError, dryRunOperation, unauthorizedOperation } from '../errors';
import type { TokenCodec } from '../pagination';
import { answerNetworkCall, NetworkAction, parseNetworkParams } from './api';
import { deriveNetwork, Network } from './network';

export { isNetworkAction } from './api';
export type { Network, Vpc, Subnet, NetworkInterface } from './network';

export interface NetworkCaller {
  accountId: string;
  region: string;
  service: string;
  principalArn: string;
  denied: boolean;
}

export class NetworkService {
  private readonly cache = new Map<string, { generation: number; network: Network }>();

  constructor(
    private readonly seed: number,
    private readonly regionData: (accountId: string, region: string) => { logs: readonly FlowLog[]; generation: number },
    /** Whether the account has this region (its listed regions have a network even with no flow logs). */
    private readonly hasRegion: (accountId: string, region: string) => boolean,
    private readonly tokens: TokenCodec,
  ) {}

  /** Ground truth: the network the Describe calls serve for (account, region). */
  network(accountId: string, region: string): Network {
    const data = this.regionData(accountId, region);
    const key = `${accountId}/${region}`;
    const hit = this.cache.get(key);
    if (hit && hit.generation === data.generation) return hit.network;
    const network =
      this.hasRegion(accountId, region) || data.logs.length > 0
        ? deriveNetwork(this.seed, accountId, region, data.logs)
        : { vpcs: [], subnets: [], interfaces: [] };
    this.cache.set(key, { generation: data.generation, network });
    return network;
  }

  /** Answers DescribeVpcs / DescribeSubnets / DescribeNetworkInterfaces; throws ApiError. */
  /** `faults`: the pagination faults that fired for this request (repeatToken, duplicateItem, emptyPageWithToken). */
  handle(
    caller: NetworkCaller,
    action: NetworkAction,
    form: URLSearchParams,
    requestId: string,
    faults: readonly string[] = [],
  ): { xml: string; items: number } {
    if (caller.service !== 'ec2') {
      throw new ApiError(401, 'AuthFailure', `Credential should be scoped to correct service: 'ec2', not '${caller.service}'`);
    }
    const params = parseNetworkParams(action, form);
    if (caller.denied) throw unauthorizedOperation(caller.principalArn, `ec2:${action}`);
    if (params.dryRun) throw dryRunOperation();
    const network = this.network(caller.accountId, caller.region);
    const generation = this.regionData(caller.accountId, caller.region).generation;
    return answerNetworkCall(
      action,
      network,
      params,
      this.tokens,
      { accountId: caller.accountId, region: caller.region, generation },
      requestId,
      faults,
    );
  }
}
