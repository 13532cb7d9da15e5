// One EC2 client per (profile, region) and one STS client per profile, created on first use and
// reused; `invalidate()` drops them so the next use re-reads credentials (file change, Refresh).
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { loadSdk } from './sdk';
import { resolveEndpoint, ResolvedEndpoint } from './endpoints';
import type { AwsProfile } from './profiles';
import type { SharedConfig } from './sharedConfig';
import type { Logger } from './logger';

export interface ClientSettings {
  maxAttempts: number;
  requestTimeoutMs: number;
  /** The user-level endpoint override (machine-scoped setting), if any. */
  endpointUrl?: string;
  userAgent: string;
}

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
  private readonly credentials = new Map<string, unknown>();

  constructor(private readonly deps: ClientDeps) {}

  endpointFor(profile: AwsProfile, service: 'ec2' | 'sts' | 'logs'): ResolvedEndpoint {
    return resolveEndpoint(profile, service, this.deps.config().services, this.deps.env ?? process.env, this.deps.settings().endpointUrl);
  }

  ec2Client(profile: AwsProfile, region: string): EC2Client {
    const key = `${profile.name}\u0000${region}`;
    let client = this.ec2.get(key);
    if (!client) {
      client = new (loadSdk().EC2Client)({ ...this.commonConfig(profile, region), endpoint: this.usableEndpoint(profile, 'ec2') });
      this.addAttemptLogging(client, profile.name, region);
      this.ec2.set(key, client);
    }
    return client;
  }

  /** CloudWatch Logs (flow log records), with the same credentials and endpoint resolution as EC2. */
  logsClient(profile: AwsProfile, region: string): CloudWatchLogsClient {
    const key = `${profile.name}\u0000${region}`;
    let client = this.logs.get(key);
    if (!client) {
      client = new (loadSdk().CloudWatchLogsClient)({ ...this.commonConfig(profile, region), endpoint: this.usableEndpoint(profile, 'logs') });
      this.addAttemptLogging(client as unknown as EC2Client, profile.name, region);
      this.logs.set(key, client);
    }
    return client;
  }

  stsClient(profile: AwsProfile): STSClient {
    let client = this.sts.get(profile.name);
    if (!client) {
      client = new (loadSdk().STSClient)({ ...this.commonConfig(profile, profile.region ?? 'us-east-1'), endpoint: this.usableEndpoint(profile, 'sts') });
      this.sts.set(profile.name, client);
    }
    return client;
  }

  /** The endpoint URL for a client (undefined: AWS's own), or an EndpointConfigError. */
  private usableEndpoint(profile: AwsProfile, service: 'ec2' | 'sts' | 'logs'): string | undefined {
    const endpoint = this.endpointFor(profile, service);
    if (endpoint.problem) throw Object.assign(new Error(endpoint.problem), { name: 'EndpointConfigError' });
    return endpoint.url;
  }

  /** Drops every client (or those of one profile) so credentials and endpoints are read again. */
  invalidate(profileName?: string): void {
    for (const map of [this.ec2, this.sts, this.logs, this.credentials] as Map<string, { destroy?: () => void }>[]) {
      for (const [key, value] of map) {
        if (profileName === undefined || key === profileName || key.startsWith(`${profileName}\u0000`)) {
          value?.destroy?.();
          map.delete(key);
        }
      }
    }
  }

  dispose(): void {
    this.invalidate();
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
      if (profile.kind === 'environment') {
        resolve = sdk.fromEnv() as CredentialProvider;
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
          clientConfig: { region: profile.region ?? 'us-east-1', ...(sts.url ? { endpoint: sts.url } : {}) },
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
      requestHandler: { requestTimeout: s.requestTimeoutMs, connectionTimeout: Math.min(s.requestTimeoutMs, 10_000), throwOnRequestTimeout: true },
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
          logger.warn(`attempt failed: ${e.name ?? 'Error'}${e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ''} profile=${profile} region=${region}; the SDK retries transient errors`);
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
