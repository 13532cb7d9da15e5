// Fault injection: rules pick requests (by account, region, action, access key, and which of the
// matching requests: the Nth, a range, a seeded random rate, or every one) and say what goes wrong.
import { mulberry32, hashString } from './prng';

export const FAULT_KINDS = [
  /** Added delay (latencyMs + up to jitterMs); combines with any other fault. */
  'latency',
  /** 503 RequestLimitExceeded. */
  'throttle',
  /** 500 InternalError. */
  'internalError',
  /** Headers and part of the body, then the socket is destroyed. */
  'drop',
  /** No answer until the client gives up or the emulator stops. */
  'hang',
  /** Headers and the start of the body, then nothing (the socket stays open) until the client gives up. */
  'stallBody',
  /** The session token is treated as expired (RequestExpired from EC2, ExpiredToken from STS). */
  'expiredToken',
  /** 401 AuthFailure, as for an unknown or revoked key. */
  'authFailure',
  /** 403 UnauthorizedOperation, as when a policy denies ec2:DescribeFlowLogs. */
  'unauthorized',
  /** Pagination misbehaviour: a NextToken this endpoint will not accept. */
  'badNextToken',
  /** Pagination misbehaviour: the previous page's last item again on this page. */
  'duplicateItem',
  /** Pagination misbehaviour: no items, and a (new) NextToken for the same position. */
  'emptyPageWithToken',
  /** Pagination misbehaviour: the same NextToken forever, an endless loop for a naive client. */
  'repeatToken',
  /** A server that does not honour DryRun: it answers as if DryRun were false (some EC2 look-alikes do). */
  'ignoreDryRun',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  fault: FaultKind;
  /** Match only these requests (all given conditions must hold). */
  accountId?: string;
  region?: string;
  action?: string;
  accessKeyId?: string;
  /** Fire on the Nth matching request only (1-based). */
  nth?: number;
  /** Fire on matching requests fromNth..toNth (1-based, inclusive; either end may be open). */
  fromNth?: number;
  toNth?: number;
  /** Fire on this fraction (0..1) of matching requests, decided by a seeded PRNG. */
  rate?: number;
  /** For 'latency': fixed delay and random extra delay, in ms. */
  latencyMs?: number;
  jitterMs?: number;
}

export interface RequestFacts {
  action: string;
  accountId?: string;
  region?: string;
  accessKeyId?: string;
}

export interface FiredFault {
  kind: FaultKind;
  /** For latency: the delay chosen for this request. */
  delayMs: number;
}

function checkPositiveInt(rule: FaultRule, field: 'nth' | 'fromNth' | 'toNth'): void {
  const value = rule[field];
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new Error(`fault rule '${rule.fault}': ${field} must be an integer >= 1, got ${value}`);
  }
}

/** Throws a clear Error for a rule that cannot mean anything. */
export function validateFaultRule(rule: FaultRule): void {
  if (!(FAULT_KINDS as readonly string[]).includes(rule.fault)) {
    throw new Error(`unknown fault '${String(rule.fault)}'; expected one of ${FAULT_KINDS.join(', ')}`);
  }
  checkPositiveInt(rule, 'nth');
  checkPositiveInt(rule, 'fromNth');
  checkPositiveInt(rule, 'toNth');
  if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) {
    throw new Error(`fault rule '${rule.fault}': rate must be between 0 and 1, got ${rule.rate}`);
  }
  for (const field of ['latencyMs', 'jitterMs'] as const) {
    const value = rule[field];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new Error(`fault rule '${rule.fault}': ${field} must be a number >= 0, got ${value}`);
    }
  }
}

interface RuleState {
  rule: FaultRule;
  matched: number;
  random: () => number;
}

export class FaultEngine {
  private states: RuleState[] = [];

  constructor(
    rules: readonly FaultRule[],
    private readonly seed: number,
  ) {
    this.setRules(rules);
  }

  /** Replaces the rules; counters and random streams start afresh. */
  setRules(rules: readonly FaultRule[]): void {
    rules.forEach(validateFaultRule);
    this.states = rules.map((rule, i) => ({
      rule: { ...rule },
      matched: 0,
      random: mulberry32(hashString(`${this.seed}|fault|${i}|${rule.fault}`)),
    }));
  }

  get rules(): FaultRule[] {
    return this.states.map((s) => ({ ...s.rule }));
  }

  /** Every rule that fires for this request, in rule order. Advances the rules' counters. */
  evaluate(facts: RequestFacts): FiredFault[] {
    const fired: FiredFault[] = [];
    for (const state of this.states) {
      const { rule } = state;
      if (rule.accountId !== undefined && rule.accountId !== facts.accountId) continue;
      if (rule.region !== undefined && rule.region !== facts.region) continue;
      if (rule.action !== undefined && rule.action !== facts.action) continue;
      if (rule.accessKeyId !== undefined && rule.accessKeyId !== facts.accessKeyId) continue;
      const n = ++state.matched;
      if (rule.nth !== undefined && n !== rule.nth) continue;
      if (rule.fromNth !== undefined && n < rule.fromNth) continue;
      if (rule.toNth !== undefined && n > rule.toNth) continue;
      // Draw for every matching request, so the sequence depends only on the seed and the count.
      if (rule.rate !== undefined && !(state.random() < rule.rate)) continue;
      const delayMs = rule.fault === 'latency' ? (rule.latencyMs ?? 0) + Math.floor(state.random() * (rule.jitterMs ?? 0)) : 0;
      fired.push({ kind: rule.fault, delayMs });
    }
    return fired;
  }
}
