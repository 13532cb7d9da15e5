// Flow logs per (account, region): generated lazily on first request, cached, with each item's
// XML serialised once and the matches of recent queries kept, so paging 100,000 items is cheap.
import type { FlowLog } from '../../src/shared/types';
import { generateFlowLogs } from './data';
import { flowLogItemXml } from './xml';

export interface RegionData {
  readonly logs: readonly FlowLog[];
  /** Bumped whenever the data is replaced; NextTokens carry it. */
  readonly generation: number;
  /**
   * The flow logs the region's network (VPCs, subnets, interfaces) is derived from, and their
   * generation: set by setFlowLogs, kept by the write calls (creating or deleting a flow log does
   * not create or remove VPCs).
   */
  readonly base: readonly FlowLog[];
  readonly baseGeneration: number;
  /** Item XML, filled on first use. */
  readonly xml: (string | undefined)[];
  /** Query hash -> indexes of matching items; a small LRU. */
  readonly matches: Map<string, number[]>;
}

const MATCH_CACHE_SIZE = 32;

export class FlowLogStore {
  private readonly regions = new Map<string, RegionData>();
  private generations = 0;

  constructor(
    private readonly seed: number,
    private readonly hostile: boolean,
    /** How many flow logs an (account, region) has when nobody set them. */
    private readonly countFor: (accountId: string, region: string) => number,
    /** Flow logs appended after the generated ones (the emulator's coverageCases). */
    private readonly extraFor?: (accountId: string, region: string) => FlowLog[],
    /** Changes the generated flow logs of (account, region) in place (the emulator's logArchive). */
    private readonly adjust?: (accountId: string, region: string, logs: FlowLog[]) => void,
  ) {}

  private static key(accountId: string, region: string): string {
    return `${accountId}/${region}`;
  }

  get(accountId: string, region: string): RegionData {
    const key = FlowLogStore.key(accountId, region);
    let data = this.regions.get(key);
    if (!data) {
      const logs = generateFlowLogs({ seed: this.seed, accountId, region, count: this.countFor(accountId, region), hostile: this.hostile });
      if (this.extraFor) logs.push(...this.extraFor(accountId, region));
      this.adjust?.(accountId, region, logs);
      data = this.wrap(logs);
      this.regions.set(key, data);
    }
    return data;
  }

  set(accountId: string, region: string, logs: readonly FlowLog[]): void {
    this.regions.set(FlowLogStore.key(accountId, region), this.wrap([...logs]));
  }

  /** The write calls (CreateFlowLogs, DeleteFlowLogs, tags): new flow logs, the same network. */
  mutate(accountId: string, region: string, logs: readonly FlowLog[]): void {
    const before = this.get(accountId, region);
    this.regions.set(FlowLogStore.key(accountId, region), this.wrap([...logs], before));
  }

  private wrap(logs: FlowLog[], keepBase?: RegionData): RegionData {
    const generation = ++this.generations;
    return {
      logs,
      generation,
      xml: new Array(logs.length),
      matches: new Map(),
      base: keepBase ? keepBase.base : logs,
      baseGeneration: keepBase ? keepBase.baseGeneration : generation,
    };
  }

  itemXml(data: RegionData, index: number): string {
    let xml = data.xml[index];
    if (xml === undefined) {
      xml = flowLogItemXml(data.logs[index]);
      data.xml[index] = xml;
    }
    return xml;
  }

  /** Indexes of the items matching `predicate`, cached under `queryHash`. */
  matching(data: RegionData, queryHash: string, predicate: () => (log: FlowLog) => boolean): number[] {
    let hit = data.matches.get(queryHash);
    if (hit) {
      data.matches.delete(queryHash); // re-insert: most recently used last
    } else {
      const test = predicate();
      hit = [];
      for (let i = 0; i < data.logs.length; i++) if (test(data.logs[i])) hit.push(i);
      if (data.matches.size >= MATCH_CACHE_SIZE) data.matches.delete(data.matches.keys().next().value as string);
    }
    data.matches.set(queryHash, hit);
    return hit;
  }
}
