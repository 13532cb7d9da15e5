// Runs a profile's `credential_process`, bounded. The SDK's own provider runs it with no timeout
// (`credential_process = sleep 40` held a load for ever), starts another copy on every Refresh,
// and puts the command line and the program's stderr in its error message. Here:
//   - one run at a time per profile: a caller that comes while it runs joins it (across Refreshes);
//   - a timeout, after which the program and its children are killed (its process group);
//   - errors that never include the command line or the program's output; the output channel
//     gets a redacted excerpt of stderr, for the user to see why.
// Output format and checks as the SDK's fromProcess (Version 1, AccessKeyId, SecretAccessKey).
import { spawn } from 'node:child_process';
import type { Logger } from '../../shared/logger';
import { redactSecrets } from '../../shared/redact';

export interface ProcessCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
  accountId?: string;
}

export interface CredentialProcessOptions {
  profile: string;
  command: string;
  timeoutMs: number;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

const MAX_STDOUT = 1024 * 1024;
const MAX_STDERR_EXCERPT = 300;

/** Runs in flight, by profile and command: a second caller joins the first run. */
const running = new Map<string, Promise<ProcessCredentials>>();

/** For tests: how many credential programs are running now. */
export function runningCredentialPrograms(): number {
  return running.size;
}

/** A CredentialsProviderError (as the SDK names it), so classifyError treats it as a profile's credentials. */
function failure(profile: string, what: string, code: string): Error {
  return Object.assign(new Error(`the credential program (credential_process) ${what}`), {
    name: 'CredentialsProviderError',
    code,
    tryNextLink: false,
    profile,
  });
}

export function resolveProcessCredentials(opts: CredentialProcessOptions): Promise<ProcessCredentials> {
  const key = `${opts.profile}\u0000${opts.command}`;
  let run = running.get(key);
  if (!run) {
    run = runOnce(opts).finally(() => running.delete(key));
    running.set(key, run);
  }
  return run;
}

function runOnce(opts: CredentialProcessOptions): Promise<ProcessCredentials> {
  const { profile, logger } = opts;
  return new Promise<ProcessCredentials>((resolve, reject) => {
    const detached = process.platform !== 'win32'; // its own process group, so the whole tree can be killed
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(opts.command, {
        shell: true,
        detached,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: opts.env ?? process.env,
        windowsHide: true,
      });
    } catch {
      reject(failure(profile, 'could not be started', 'CredentialProcessFailed'));
      return;
    }
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (err: Error | undefined, value?: ProcessCredentials) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value!);
    };
    const kill = () => {
      try {
        if (detached && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      kill();
      logger.warn(`credential_process of profile ${profile}: no answer within ${Math.round(opts.timeoutMs / 1000)} s; stopped it`);
      finish(
        failure(
          profile,
          `did not finish within ${Math.round(opts.timeoutMs / 1000)} s and was stopped (setting flowLogs.credentialProcessTimeoutSeconds)`,
          'CredentialProcessTimeout',
        ),
      );
    }, opts.timeoutMs);
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => {
      if (stdout.length < MAX_STDOUT) stdout += d;
    });
    child.stderr?.on('data', (d: string) => {
      if (stderr.length < MAX_STDERR_EXCERPT * 4) stderr += d;
    });
    child.on('error', () => finish(failure(profile, 'could not be started', 'CredentialProcessFailed')));
    child.on('close', (code, signal) => {
      if (settled) return;
      if (code !== 0) {
        const exit = code === null ? `signal ${signal ?? '?'}` : `exit ${code}`;
        const excerpt = redactSecrets(stderr.replace(/\s+/g, ' ').trim().slice(0, MAX_STDERR_EXCERPT));
        logger.warn(
          `credential_process of profile ${profile} failed (${exit})${excerpt ? `; its error output, redacted: ${excerpt}` : ''}`,
        );
        finish(failure(profile, `failed (${exit}); run it in a terminal to see why`, 'CredentialProcessFailed'));
        return;
      }
      let data: Record<string, unknown>;
      try {
        data = JSON.parse(stdout.trim()) as Record<string, unknown>;
      } catch {
        finish(failure(profile, 'printed something that is not JSON', 'CredentialProcessInvalidJSON'));
        return;
      }
      if (!data || typeof data !== 'object' || data.Version !== 1)
        return finish(failure(profile, 'did not return Version 1', 'CredentialProcessInvalid'));
      if (typeof data.AccessKeyId !== 'string' || typeof data.SecretAccessKey !== 'string')
        return finish(failure(profile, 'returned no AccessKeyId or SecretAccessKey', 'CredentialProcessInvalid'));
      let expiration: Date | undefined;
      if (data.Expiration !== undefined) {
        expiration = new Date(String(data.Expiration));
        if (Number.isNaN(expiration.getTime()))
          return finish(failure(profile, 'returned an Expiration that is not a date', 'CredentialProcessInvalid'));
        if (expiration.getTime() < Date.now()) return finish(failure(profile, 'returned expired credentials', 'CredentialProcessInvalid'));
      }
      finish(undefined, {
        accessKeyId: data.AccessKeyId,
        secretAccessKey: data.SecretAccessKey,
        ...(typeof data.SessionToken === 'string' ? { sessionToken: data.SessionToken } : {}),
        ...(expiration ? { expiration } : {}),
        ...(typeof data.AccountId === 'string' ? { accountId: data.AccountId } : {}),
      });
    });
  });
}
