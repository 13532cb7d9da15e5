// One EC2 client per (profile, region) and one STS client per profile, created on first use and
// reused; `invalidate()` drops them so the next use re-reads credentials (file change, Refresh).
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { S3Client } from '@aws-sdk/client-s3';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SSOClient } from '@aws-sdk/client-sso';
import { ssoRoleCredentials } from './ssoPortal';
import { loadSdk } from './sdk';
import { isCleartextRemote, resolveEndpoint, ResolvedEndpoint, type AwsService } from '../../shared/endpoints';
import type { AwsProfile } from '../../shared/profiles';
import type { SharedConfig } from '../../shared/sharedConfig';
import type { Logger } from '../../shared/logger';
import { addAttemptDeadline, totalDeadlineMs } from './deadline';
import { resolveProcessCredentials } from './credentialProcess';
import type { ClientSettings } from '../../shared/awsWorkerProtocol';
import { FALLBACK_REGION, profileOfKey, regionKey } from '../../shared/regions';

export interface ClientDeps {
  settings: () => ClientSettings;
  /** The shared config as last read (profiles, services sections, file paths). */
  config: () => SharedConfig;
  logger: Logger;
  /** Asks the user for an MFA code (an input box in VS Code). */
  mfaCodeProvider?: (mfaSerial: string, profile: string) => Promise<string>;
  env?: NodeJS.ProcessEnv;
}

export class ClientCache {
  private readonly ec2 = new Map<string, EC2Client>();
  private readonly sts = new Map<string, STSClient>();
  private readonly logs = new Map<string, CloudWatchLogsClient>();
  private readonly athena = new Map<string, AthenaClient>();
  private readonly s3 = new Map<string, S3Client>();
  private readonly iam = new Map<string, IAMClient>();
  private readonly sso = new Map<string, SSOClient>();
  private readonly credentials = new Map<string, unknown>();

  constructor(private readonly deps: ClientDeps) {}

  endpointFor(profile: AwsProfile, service: AwsService): ResolvedEndpoint {
    return resolveEndpoint(profile, service, this.deps.config().services, this.deps.env ?? process.env, this.deps.settings().endpointUrl);
  }

  ec2Client(profile: AwsProfile, region: string): EC2Client {
    const key = regionKey(profile.name, region);
    let client = this.ec2.get(key);
    if (!client) {
      client = new (loadSdk().EC2Client)({ ...this.commonConfig(profile, region), endpoint: this.usableEndpoint(profile, 'ec2') });
      this.addAttemptLogging(client, profile.name, region);
      addAttemptDeadline(client, () => this.deps.settings().requestTimeoutMs);
      this.trackInFlight(client);
      this.ec2.set(key, client);
    }
    return client;
  }

  /** CloudWatch Logs (flow log records), with the same credentials and endpoint resolution as EC2. */
  logsClient(profile: AwsProfile, region: string): CloudWatchLogsClient {
    const key = regionKey(profile.name, region);
    let client = this.logs.get(key);
    if (!client) {
      client = new (loadSdk().CloudWatchLogsClient)({
        ...this.commonConfig(profile, region),
        endpoint: this.usableEndpoint(profile, 'logs'),
      });
      this.addAttemptLogging(client as unknown as EC2Client, profile.name, region);
      this.logs.set(key, client);
    }
    return client;
  }

  /** Athena (queries over S3 flow logs), with the same credentials and endpoint resolution as EC2. */
  athenaClient(profile: AwsProfile, region: string): AthenaClient {
    const key = regionKey(profile.name, region);
    let client = this.athena.get(key);
    if (!client) {
      client = new (loadSdk().AthenaClient)({ ...this.commonConfig(profile, region), endpoint: this.usableEndpoint(profile, 'athena') });
      this.addAttemptLogging(client as unknown as EC2Client, profile.name, region);
      this.athena.set(key, client);
    }
    return client;
  }

  /**
   * S3 (flow log files), with the same credentials and endpoint resolution as EC2. Path-style
   * requests when the endpoint is an IP address or localhost (virtual hosts cannot resolve there)
   * or when the s3ForcePathStyle setting says so; redirects to the bucket's region are followed.
   */
  s3Client(profile: AwsProfile, region: string): S3Client {
    const key = regionKey(profile.name, region);
    let client = this.s3.get(key);
    if (!client) {
      const endpoint = this.usableEndpoint(profile, 's3');
      const forcePathStyle = this.deps.settings().s3ForcePathStyle === true || (endpoint !== undefined && isLocalHost(endpoint));
      client = new (loadSdk().S3Client)({ ...this.commonConfig(profile, region), endpoint, forcePathStyle, followRegionRedirects: true });
      this.addAttemptLogging(client as unknown as EC2Client, profile.name, region);
      this.s3.set(key, client);
    }
    return client;
  }

  /**
   * The SSO portal (IAM Identity Center) of a profile's session, in its sso_region; unsigned calls
   * that carry the access token. Bounded like the others (deadline per attempt and in total).
   */
  ssoClient(profile: AwsProfile): SSOClient {
    let client = this.sso.get(profile.name);
    if (!client) {
      const s = this.deps.settings();
      const region =
        typeof profile.settings.sso_region === 'string' && profile.settings.sso_region ? profile.settings.sso_region : FALLBACK_REGION;
      client = new (loadSdk().SSOClient)({
        region,
        endpoint: this.usableEndpoint(profile, 'sso'),
        maxAttempts: s.maxAttempts,
        retryMode: 'adaptive',
        customUserAgent: s.userAgent,
        requestHandler: {
          requestTimeout: s.requestTimeoutMs,
          connectionTimeout: Math.min(s.requestTimeoutMs, 10_000),
          throwOnRequestTimeout: true,
        },
      });
      addAttemptDeadline(client as unknown as STSClient, () => this.deps.settings().requestTimeoutMs);
      this.sso.set(profile.name, client);
    }
    return client;
  }

  /** The environment the worker reads (HOME: the AWS CLI's SSO token cache). */
  get env(): NodeJS.ProcessEnv | undefined {
    return this.deps.env;
  }

  stsClient(profile: AwsProfile): STSClient {
    let client = this.sts.get(profile.name);
    if (!client) {
      client = new (loadSdk().STSClient)({
        ...this.commonConfig(profile, profile.region ?? FALLBACK_REGION),
        endpoint: this.usableEndpoint(profile, 'sts'),
      });
      addAttemptDeadline(client, () => this.deps.settings().requestTimeoutMs);
      this.trackInFlight(client);
      this.sts.set(profile.name, client);
    }
    return client;
  }

  /**
   * IAM (ListRoles for the flow log delivery role): a global service, signed for the partition's
   * IAM region (us-east-1 in 'aws'; the profile's region elsewhere), one client per profile.
   */
  iamClient(profile: AwsProfile, region: string): IAMClient {
    const signingRegion = /^(cn-|us-gov-|us-iso)/.test(region) ? region : 'us-east-1';
    const key = regionKey(profile.name, signingRegion);
    let client = this.iam.get(key);
    if (!client) {
      client = new (loadSdk().IAMClient)({ ...this.commonConfig(profile, signingRegion), endpoint: this.usableEndpoint(profile, 'iam') });
      this.addAttemptLogging(client as unknown as EC2Client, profile.name, signingRegion);
      addAttemptDeadline(client as unknown as EC2Client, () => this.deps.settings().requestTimeoutMs);
      this.trackInFlight(client as unknown as EC2Client);
      this.iam.set(key, client);
    }
    return client;
  }

  /** How long one call may take across all its attempts (deadline.ts). */
  totalDeadlineMs(): number {
    const s = this.deps.settings();
    return totalDeadlineMs(s.requestTimeoutMs, s.maxAttempts);
  }

  /** The request timeout setting (ms): also how long an object's body may send nothing (s3Records.ts). */
  requestTimeoutMs(): number {
    return this.deps.settings().requestTimeoutMs;
  }

  /** The endpoint URL for a client (undefined: AWS's own), or an EndpointConfigError. */
  private usableEndpoint(profile: AwsProfile, service: AwsService): string | undefined {
    const endpoint = this.endpointFor(profile, service);
    if (endpoint.problem) throw Object.assign(new Error(endpoint.problem), { name: 'EndpointConfigError' });
    this.logEndpoint(profile.name, service, endpoint.url);
    return endpoint.url;
  }

  private readonly endpointsLogged = new Set<string>();

  /** Logs the endpoint each client uses, once; warns once for plain http to a host that is not this machine. */
  private logEndpoint(profile: string, service: string, url: string | undefined): void {
    const key = `${profile}\u0000${service}\u0000${url ?? ''}`;
    if (this.endpointsLogged.has(key)) return;
    this.endpointsLogged.add(key);
    this.deps.logger.info(`${service} endpoint for profile ${profile}: ${url ?? "AWS's own (by region)"}`);
    if (url && isCleartextRemote(url)) {
      this.deps.logger.warn(
        `${service} endpoint for profile ${profile} is plain http:// to a host that is not this machine: credentials and the session token travel in clear`,
      );
    }
  }

  /**
   * Drops every client (or those of one profile) so credentials and endpoints are read again. New
   * requests get new clients at once; a dropped client is closed only when its requests in flight
   * have ended (a Refresh must not break a search or a detail panel that is still using it).
   */
  invalidate(profileName?: string): void {
    for (const map of [this.ec2, this.sts, this.logs, this.s3, this.iam, this.sso, this.athena, this.credentials] as Map<
      string,
      { destroy?: () => void }
    >[]) {
      for (const [key, value] of map) {
        if (profileName === undefined || profileOfKey(key) === profileName) {
          map.delete(key);
          this.retire(value);
        }
      }
    }
  }

  /** Requests in flight per client, counted by a middleware (see trackInFlight). */
  private readonly inFlight = new Map<object, number>();
  private readonly retiring = new Set<object>();

  /** Clients closed so far, and clients waiting for their requests to end (for tests). */
  closedClients = 0;
  get retiringClients(): number {
    return this.retiring.size;
  }

  private retire(value: { destroy?: () => void } | undefined): void {
    if (!value || typeof value.destroy !== 'function') return;
    if ((this.inFlight.get(value) ?? 0) > 0) {
      this.retiring.add(value);
      return;
    }
    this.close(value);
  }

  private close(value: { destroy?: () => void }): void {
    this.retiring.delete(value);
    this.inFlight.delete(value);
    this.closedClients += 1;
    value.destroy?.();
  }

  /** Counts the requests in flight of a client (outermost middleware: the whole send, retries included). */
  private trackInFlight(client: EC2Client | STSClient): void {
    const counts = this.inFlight;
    (client as EC2Client).middlewareStack.add(
      (next) => async (args) => {
        counts.set(client, (counts.get(client) ?? 0) + 1);
        try {
          return await next(args);
        } finally {
          const left = (counts.get(client) ?? 1) - 1;
          counts.set(client, left);
          if (left <= 0 && this.retiring.has(client)) this.close(client);
        }
      },
      { step: 'initialize', priority: 'high', name: 'flowLogsInFlight' },
    );
  }

  dispose(): void {
    this.invalidate();
    for (const c of [...this.retiring]) this.close(c as { destroy?: () => void });
  }

  /**
   * One credential provider per profile, shared by all its clients and memoized: fromIni does not
   * cache, so without this every region's client would assume the role again, ask for another
   * MFA code, or run credential_process again.
   */
  private credentialsFor(profile: AwsProfile): unknown {
    let provider = this.credentials.get(profile.name);
    if (!provider) {
      const sdk = loadSdk();
      let resolve: CredentialProvider;
      const command = profile.settings.credential_process;
      if (profile.sso) {
        // A profile found through an SSO sign-in: GetRoleCredentials with the cached token (ssoPortal.ts).
        resolve = () => ssoRoleCredentials(this.ssoClient(profile), profile, this.deps.env);
      } else if (profile.kind === 'environment') {
        resolve = sdk.fromEnv() as CredentialProvider;
      } else if (profile.kind === 'process' && typeof command === 'string') {
        // Bounded, one run at a time, no command line in errors (the SDK's fromProcess has none of these).
        resolve = () =>
          resolveProcessCredentials({
            profile: profile.name,
            command,
            timeoutMs: this.deps.settings().credentialProcessTimeoutMs ?? 60_000,
            logger: this.deps.logger,
            env: this.deps.env,
          });
      } else {
        const config = this.deps.config();
        const sts = this.endpointFor(profile, 'sts');
        const ask = this.deps.mfaCodeProvider;
        resolve = sdk.fromIni({
          profile: profile.name,
          filepath: config.credentialsFile,
          configFilepath: config.configFile,
          ignoreCache: true,
          mfaCodeProvider: ask && ((serial: string) => ask(serial, profile.name)),
          // Role profiles call STS AssumeRole: send it where this profile's STS endpoint is.
          clientConfig: { region: profile.region ?? FALLBACK_REGION, ...(sts.url ? { endpoint: sts.url } : {}) },
        }) as CredentialProvider;
      }
      provider = memoizeCredentials(resolve);
      this.credentials.set(profile.name, provider);
    }
    return provider;
  }

  private commonConfig(profile: AwsProfile, region: string) {
    const s = this.deps.settings();
    return {
      region,
      credentials: this.credentialsFor(profile) as never,
      maxAttempts: s.maxAttempts,
      retryMode: 'adaptive',
      customUserAgent: s.userAgent,
      // throwOnRequestTimeout: without it this SDK only warns when the timeout passes (measured).
      requestHandler: {
        requestTimeout: s.requestTimeoutMs,
        connectionTimeout: Math.min(s.requestTimeoutMs, 10_000),
        throwOnRequestTimeout: true,
      },
    };
  }

  /** Logs each failed attempt (the retries the SDK makes on its own), never a credential. */
  private addAttemptLogging(client: EC2Client, profile: string, region: string): void {
    const logger = this.deps.logger;
    client.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (err) {
          const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
          if (e.name === 'DryRunOperation') throw err; // the success answer of a DryRun, not a failed attempt
          logger.warn(
            `attempt failed: ${e.name ?? 'Error'}${e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ''} profile=${profile} region=${region}; the SDK retries transient errors`,
          );
          throw err;
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'flowLogsAttemptLogger' },
    );
  }
}

interface Credentials {
  expiration?: Date;
}
type CredentialProvider = (options?: { forceRefresh?: boolean }) => Promise<Credentials>;

/** Five minutes before they expire, credentials are fetched again (as the SDK itself does). */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/** Shares one resolution among concurrent callers and keeps it until shortly before it expires. */
export function memoizeCredentials(resolve: CredentialProvider): CredentialProvider {
  let pending: Promise<Credentials> | undefined;
  return async (options) => {
    if (pending && !options?.forceRefresh) {
      const current = await pending.catch(() => undefined);
      if (current && (!current.expiration || current.expiration.getTime() - Date.now() > REFRESH_BEFORE_EXPIRY_MS)) return current;
    }
    const attempt = resolve(options);
    pending = attempt;
    try {
      return await attempt;
    } catch (err) {
      if (pending === attempt) pending = undefined; // a failure is not kept: Retry asks again
      throw err;
    }
  };
}

export { isCleartextRemote }; // moved to endpoints.ts (the profile tooltip uses it too)

/** An endpoint on an IP address or localhost, where bucket.host names do not resolve. */
export function isLocalHost(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host.endsWith('.localhost') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
  } catch {
    return false;
  }
}
