// The AWS calls the extension makes, over a ClientCache. The AWS workers run them (awsWorker.ts);
// InProcessAws runs the same table in the calling thread (unit tests, benchmarks). A new AWS call is
// one entry here and one in `Operations` (awsWorkerProtocol.ts). Failures are classified HERE, once,
// where the SDK error is whole (runOperation): the main thread gets a FlowLogsError value.
import type { ClientCache } from './clients';
import { describeFlowLogsPage } from './describeFlowLogs';
import {
  describeInstancesPage,
  describeNetworkAclsPage,
  describeNetworkInterfacesPage,
  describeSecurityGroupRulesPage,
  describeSubnetsPage,
  describeVpcsPage,
  findInterfacesPage,
} from './describeNetwork';
import { filterLogEventsPage } from './filterLogEvents';
import { listS3Objects, readS3Objects } from './s3Records';
import { recordsDrop, recordsExport, recordsOrder, recordsRow, recordsSummary, recordsWindow } from './recordStores';
import { getQueryResults, startQuery, stopQuery } from './insightsCalls';
import { changeFlowLogTags, createFlowLogs, createLogGroup, deleteFlowLogs, describeLogGroupsPage, listRolesPage } from './flowLogWrites';
import { loadSdk } from './sdk';
import * as athena from './athenaCalls';
import { readAthenaRecords } from './athenaRecords';
import type { DryRunResult, Operation, Operations } from '../../shared/awsWorkerProtocol';
import type { AwsProfile } from '../../shared/profiles';
import { withTotalDeadline } from './deadline';
import { DRY_RUN_IGNORED, unknownProfileError, type FlowLogsError } from '../../shared/errors';
import { classifyError } from './classifyError';
import { regionInfo } from '../../shared/regions';
import { ssoAccountsPage } from './ssoPortal';

export type OperationTable = {
  [K in keyof Operations]: (
    profile: AwsProfile,
    region: string,
    args: Operations[K]['args'],
    signal?: AbortSignal,
  ) => Promise<Operations[K]['result']>;
};

export function awsOperations(clients: ClientCache): OperationTable {
  // Every call ends within the total deadline, whatever the server does (deadline.ts).
  const bounded = <T>(signal: AbortSignal | undefined, send: (s: AbortSignal) => Promise<T>) =>
    withTotalDeadline(clients.totalDeadlineMs(), signal, send);
  const ops: OperationTable = {
    describeFlowLogsPage: (profile, region, args, signal) => describeFlowLogsPage(clients.ec2Client(profile, region), args, signal),
    callerIdentity: async (profile, _region, _args, signal) => {
      const out = await clients.stsClient(profile).send(new (loadSdk().GetCallerIdentityCommand)({}), { abortSignal: signal });
      return { account: out.Account };
    },
    describeRegions: async (profile, region, _args, signal) => {
      const out = await clients
        .ec2Client(profile, region)
        .send(new (loadSdk().DescribeRegionsCommand)({ AllRegions: true }), { abortSignal: signal });
      return (out.Regions ?? []).filter((r) => !!r.RegionName).map((r) => ({ name: r.RegionName!, optInStatus: r.OptInStatus }));
    },
    filterLogEvents: (profile, region, args, signal) =>
      filterLogEventsPage(
        clients.logsClient(profile, region),
        args,
        { profile: profile.name, region, ssoProfile: profile.kind === 'sso' },
        signal,
      ),
    s3List: (profile, region, args, signal) =>
      // One request timeout of paging per call, well inside the call's total deadline (deadline.ts).
      listS3Objects(
        clients.s3Client(profile, region),
        args,
        { profile: profile.name, region, budgetMs: clients.requestTimeoutMs() },
        signal,
      ),
    s3Read: (profile, region, args, signal) =>
      readS3Objects(
        clients.s3Client(profile, region),
        args,
        { profile: profile.name, region, stallMs: clients.requestTimeoutMs() },
        signal,
      ),
    // The loaded records (no AWS call: the store is in this worker).
    recordsOrder: async (_p, _r, args) => recordsOrder(args),
    recordsWindow: async (_p, _r, args) => recordsWindow(args),
    recordsRow: async (_p, _r, args) => recordsRow(args),
    recordsSummary: async (_p, _r, args) => recordsSummary(args),
    recordsExport: async (_p, _r, args) => recordsExport(args),
    recordsDrop: async (_p, _r, args) => recordsDrop(args),
    startQuery: (profile, region, args, signal) =>
      startQuery(clients.logsClient(profile, region), args, { profile: profile.name, region, ssoProfile: profile.kind === 'sso' }, signal),
    getQueryResults: (profile, region, args, signal) =>
      getQueryResults(
        clients.logsClient(profile, region),
        args,
        { profile: profile.name, region, ssoProfile: profile.kind === 'sso' },
        signal,
      ),
    stopQuery: (profile, region, args, signal) =>
      stopQuery(clients.logsClient(profile, region), args, { profile: profile.name, region, ssoProfile: profile.kind === 'sso' }, signal),
    athenaStartQueryExecution: (profile, region, args, signal) =>
      athena.startQueryExecution(clients.athenaClient(profile, region), args, athenaCtx(profile, region), signal),
    athenaGetQueryExecution: (profile, region, args, signal) =>
      athena.getQueryExecution(clients.athenaClient(profile, region), args, athenaCtx(profile, region), signal),
    athenaGetQueryResults: (profile, region, args, signal) =>
      athena.getQueryResults(clients.athenaClient(profile, region), args, athenaCtx(profile, region), signal),
    athenaStopQueryExecution: (profile, region, args, signal) =>
      athena.stopQueryExecution(clients.athenaClient(profile, region), args, athenaCtx(profile, region), signal),
    athenaGetWorkGroup: (profile, region, args, signal) =>
      athena.getWorkGroup(clients.athenaClient(profile, region), args, athenaCtx(profile, region), signal),
    athenaGetTableMetadata: (profile, region, args, signal) =>
      athena.getTableMetadata(clients.athenaClient(profile, region), args, athenaCtx(profile, region), signal),
    athenaRecordsRead: (profile, region, args, signal) =>
      readAthenaRecords(clients.athenaClient(profile, region), args, athenaCtx(profile, region), signal),
    dryRun: async (profile, region, _args, signal): Promise<DryRunResult> => {
      try {
        await clients
          .ec2Client(profile, region)
          .send(new (loadSdk().DescribeFlowLogsCommand)({ DryRun: true, MaxResults: 5 }), { abortSignal: signal });
      } catch (err) {
        // EC2's DryRun answers with an error either way: DryRunOperation means allowed.
        if ((err as { name?: string }).name === 'DryRunOperation') return { allowed: true };
        const error = failureOf(err, 'dryRun', profile, region);
        if (error.kind === 'aborted') throw err; // a cancel stays a rejection, as for every call
        return { allowed: false, error };
      }
      // A server that ignores DryRun answers normally: that is not a proof of permission.
      return {
        allowed: false,
        error: { kind: 'unknown', message: DRY_RUN_IGNORED, actions: ['retry'] },
      };
    },
    describeVpcsPage: (profile, region, args, signal) =>
      describeVpcsPage(clients.ec2Client(profile, region), profile, region, args, signal),
    describeSubnetsPage: (profile, region, args, signal) =>
      describeSubnetsPage(clients.ec2Client(profile, region), profile, region, args, signal),
    ssoAccountsPage: (profile, _region, args, signal) => ssoAccountsPage(clients.ssoClient(profile), profile, args, clients.env, signal),
    describeNetworkInterfacesPage: (profile, region, args, signal) =>
      describeNetworkInterfacesPage(clients.ec2Client(profile, region), profile, region, args, signal),
    findInterfacesPage: (profile, region, args, signal) =>
      findInterfacesPage(clients.ec2Client(profile, region), profile, region, args, signal),
    describeInstancesPage: (profile, region, args, signal) =>
      describeInstancesPage(clients.ec2Client(profile, region), profile, region, args, signal),
    describeSecurityGroupRulesPage: (profile, region, args, signal) =>
      describeSecurityGroupRulesPage(clients.ec2Client(profile, region), profile, region, args, signal),
    describeNetworkAclsPage: (profile, region, args, signal) =>
      describeNetworkAclsPage(clients.ec2Client(profile, region), profile, region, args, signal),
    createFlowLogs: (profile, region, args, signal) => createFlowLogs(clients.ec2Client(profile, region), profile, region, args, signal),
    deleteFlowLogs: (profile, region, args, signal) => deleteFlowLogs(clients.ec2Client(profile, region), profile, region, args, signal),
    changeFlowLogTags: (profile, region, args, signal) =>
      changeFlowLogTags(clients.ec2Client(profile, region), profile, region, args, signal),
    createLogGroup: (profile, region, args, signal) => createLogGroup(clients.logsClient(profile, region), profile, region, args, signal),
    describeLogGroupsPage: (profile, region, args, signal) =>
      describeLogGroupsPage(clients.logsClient(profile, region), profile, region, args, signal),
    listRolesPage: (profile, region, args, signal) => listRolesPage(clients.iamClient(profile, region), profile, args, signal),
  };
  return Object.fromEntries(
    Object.entries(ops).map(([name, op]) => [
      name,
      (p: AwsProfile, r: string, a: never, signal?: AbortSignal) =>
        bounded(signal, (s) => (op as (p: AwsProfile, r: string, a: never, s?: AbortSignal) => Promise<unknown>)(p, r, a, s)),
    ]),
  ) as OperationTable;
}

const athenaCtx = (profile: AwsProfile, region: string) => ({ profile: profile.name, region, ssoProfile: profile.kind === 'sso' });

/**
 * The one classification of a failed call, with the context that makes its message precise: the
 * profile, the region (whether it is an opt-in region), whether the profile signs in with SSO.
 * GetCallerIdentity is the profile's own check (STS), not a region's: no region in its context.
 * Secrets are removed here (classifyError redacts), before the value leaves the worker.
 */
export function failureOf(err: unknown, op: Operation, profile: AwsProfile, region: string): FlowLogsError {
  const ssoProfile = profile.kind === 'sso';
  const error =
    op === 'callerIdentity'
      ? classifyError(err, { profile: profile.name, ssoProfile })
      : classifyError(err, { profile: profile.name, region, regionOptIn: regionInfo(region)?.optIn, ssoProfile });
  const attempts = (err as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts;
  return typeof attempts === 'number' ? { ...error, attempts } : error;
}

export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: FlowLogsError };

/** Runs one operation for a profile known by name; any failure comes back classified, as a value. */
export async function runOperation(
  table: OperationTable,
  profiles: ReadonlyMap<string, AwsProfile>,
  op: Operation,
  profileName: string,
  region: string,
  args: unknown,
  signal?: AbortSignal,
): Promise<CallOutcome> {
  const profile = profiles.get(profileName);
  if (!profile) return { ok: false, error: unknownProfileError(profileName) };
  try {
    const run = table[op] as (p: AwsProfile, r: string, a: unknown, s?: AbortSignal) => Promise<unknown>;
    return { ok: true, value: await run(profile, region, args, signal) };
  } catch (err) {
    return { ok: false, error: failureOf(err, op, profile, region) };
  }
}
