// The AWS calls the extension makes, over a ClientCache. The AWS workers run them (awsWorker.ts);
// InProcessAws runs the same table in the calling thread (unit tests, benchmarks).
import type { ClientCache } from './clients';
import { describeFlowLogsPage } from './describeFlowLogs';
import { describeNetworkInterfacesPage, describeSubnetsPage, describeVpcsPage } from './describeNetwork';
import { filterLogEventsPage } from './filterLogEvents';
import { listS3Objects, readS3Objects } from './s3Records';
import { getQueryResults, startQuery, stopQuery } from './insightsCalls';
import { loadSdk } from './sdk';
import type { Operations } from '../awsWorkerProtocol';
import type { AwsProfile } from '../profiles';
import { withTotalDeadline } from './deadline';

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
    describePage: (profile, region, args, signal) => describeFlowLogsPage(clients.ec2Client(profile, region), args, signal),
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
      listS3Objects(clients.s3Client(profile, region), args, { profile: profile.name, region }, signal),
    s3Read: (profile, region, args, signal) =>
      readS3Objects(clients.s3Client(profile, region), args, { profile: profile.name, region }, signal),
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
    dryRun: async (profile, region, _args, signal) => {
      await clients
        .ec2Client(profile, region)
        .send(new (loadSdk().DescribeFlowLogsCommand)({ DryRun: true, MaxResults: 5 }), { abortSignal: signal });
      return {};
    },
    describeVpcsPage: (profile, region, args, signal) =>
      describeVpcsPage(clients.ec2Client(profile, region), profile, region, args, signal),
    describeSubnetsPage: (profile, region, args, signal) =>
      describeSubnetsPage(clients.ec2Client(profile, region), profile, region, args, signal),
    describeNetworkInterfacesPage: (profile, region, args, signal) =>
      describeNetworkInterfacesPage(clients.ec2Client(profile, region), profile, region, args, signal),
  };
  return Object.fromEntries(
    Object.entries(ops).map(([name, op]) => [
      name,
      (p: AwsProfile, r: string, a: never, signal?: AbortSignal) =>
        bounded(signal, (s) => (op as (p: AwsProfile, r: string, a: never, s?: AbortSignal) => Promise<unknown>)(p, r, a, s)),
    ]),
  ) as OperationTable;
}
