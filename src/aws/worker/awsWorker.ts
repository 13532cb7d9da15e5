// An AWS worker thread: the AWS SDK runs only here, never on the extension host's thread.
// Parsing a 1000-item DescribeFlowLogs page (about 1 MB of XML) is ~100 ms of synchronous CPU in
// the SDK; done here, it never blocks VS Code (measured in BENCHMARKS.md). The main thread gets
// plain objects back (structured clone, ~6 ms per 1000 flow logs). Protocol: awsWorkerProtocol.ts.
import { parentPort } from 'node:worker_threads';
import { ClientCache } from './clients';
import { loadSharedConfig, SharedConfig } from '../../shared/sharedConfig';
import { awsOperations, runOperation } from './awsOperations';
import type { ClientSettings, ToMain, ToWorker } from '../../shared/awsWorkerProtocol';
import { splitResult } from '../../shared/resultParts';
import type { AwsProfile } from '../../shared/profiles';

const port = parentPort;
if (!port) throw new Error('awsWorker must run in a worker thread');

const post = (m: ToMain) => port.postMessage(m);

// The SDK warns on stderr under Node < 22 (VS Code releases inside engines.vscode still run Node
// 20). The bundled SDK works there; the note goes to the output channel once, not to stderr.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : (warning?.message ?? '');
  if (text.startsWith('NodeVersionSupportWarning')) {
    post({
      type: 'log',
      level: 'info',
      message: `This VS Code runs Node ${process.version}; the bundled AWS SDK works with it, but SDK releases after January 2027 need Node 22`,
    });
    return;
  }
  (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
let settings: ClientSettings = { maxAttempts: 5, requestTimeoutMs: 30_000, userAgent: 'vpc-flow-logs-explorer' };
/** The profiles, by name, as the main thread last sent them ('configure'); a call names one. */
let profiles = new Map<string, AwsProfile>();
let config: SharedConfig | undefined;
const aborts = new Map<number, AbortController>();
const mfaWaiters = new Map<number, { resolve: (code: string) => void; reject: (e: Error) => void }>();
let nextMfa = 1;
const moreWaiters = new Map<number, () => void>();

const clients = new ClientCache({
  settings: () => settings,
  config: () => (config ??= loadSharedConfig(process.env)),
  logger: {
    info: (message) => post({ type: 'log', level: 'info', message }),
    warn: (message) => post({ type: 'log', level: 'warn', message }),
    error: (message) => post({ type: 'log', level: 'error', message }),
  },
  mfaCodeProvider: (serial, profile) =>
    new Promise<string>((resolve, reject) => {
      const id = nextMfa++;
      mfaWaiters.set(id, { resolve, reject });
      post({ type: 'mfa', id, serial, profile });
    }),
});

const operations = awsOperations(clients);

port.on('message', async (m: ToWorker) => {
  switch (m.type) {
    case 'abort':
      aborts.get(m.id)?.abort();
      moreWaiters.get(m.id)?.();
      return;
    case 'more':
      moreWaiters.get(m.id)?.();
      return;
    case 'invalidate':
      clients.invalidate(m.profileName);
      config = undefined;
      return;
    case 'mfa': {
      const w = mfaWaiters.get(m.id);
      mfaWaiters.delete(m.id);
      if (m.code !== undefined) w?.resolve(m.code);
      else w?.reject(new Error(m.error ?? 'MFA code entry was cancelled'));
      return;
    }
    case 'configure': {
      // New settings: new clients. A profile that changed or went: its clients go (credentials are read again).
      if (JSON.stringify(m.settings) !== JSON.stringify(settings)) clients.invalidate();
      else {
        const next = new Map(m.profiles.map((p) => [p.name, JSON.stringify(p)]));
        for (const [name, p] of profiles) if (next.get(name) !== JSON.stringify(p)) clients.invalidate(name);
      }
      settings = m.settings;
      profiles = new Map(m.profiles.map((p) => [p.name, p]));
      return;
    }
    case 'call': {
      const abort = new AbortController();
      aborts.set(m.id, abort);
      try {
        const outcome = await runOperation(operations, profiles, m.op, m.profile, m.region, m.args, abort.signal);
        if (!outcome.ok) {
          post({ type: 'error', id: m.id, error: outcome.error });
          return;
        }
        const { parts, last } = splitResult(outcome.value);
        for (const part of parts) {
          if (abort.signal.aborted) return;
          const asked = new Promise<void>((resolve) => moreWaiters.set(m.id, resolve));
          post({ type: 'partial', id: m.id, part });
          await asked;
          moreWaiters.delete(m.id);
          if (abort.signal.aborted) return; // the main thread has already rejected the call
        }
        post({ type: 'result', id: m.id, value: last });
      } finally {
        aborts.delete(m.id);
      }
    }
  }
});
