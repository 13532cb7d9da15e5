// RemoteAws in the calling thread: the same operations as the AWS workers, without a worker.
// The extension never uses it (the SDK stays off the extension host's thread); unit tests and the
// benchmarks' in-thread comparison do. Like the pool, it knows profiles by name (configure) and
// rejects with an AwsCallError carrying the error classified by the same code the worker runs.
import type { ClientCache } from '../../src/aws/worker/clients';
import type { RemoteAws } from '../../src/aws/flowLogService';
import type { AwsProfile } from '../../src/shared/profiles';
import { awsOperations, runOperation, type OperationTable } from '../../src/aws/worker/awsOperations';
import type { Operation, Operations } from '../../src/shared/awsWorkerProtocol';
import { AwsCallError, cancelledError } from '../../src/shared/errors';
import { classifyError } from '../../src/aws/worker/classifyError';

export class InProcessAws implements RemoteAws {
  private readonly ops: OperationTable;
  private profiles = new Map<string, AwsProfile>();

  /** @param profiles the profiles calls may name (configure replaces them). */
  constructor(
    readonly clients: ClientCache,
    profiles: readonly AwsProfile[] = [],
  ) {
    this.ops = awsOperations(clients);
    this.configure(profiles);
  }

  /** The profiles calls may name (the client settings are the ClientCache's own). */
  configure(profiles: readonly AwsProfile[]): void {
    this.profiles = new Map(profiles.map((p) => [p.name, p]));
  }

  async call<K extends Operation>(
    op: K,
    profileName: string,
    region: string,
    args: Operations[K]['args'],
    signal?: AbortSignal,
  ): Promise<Operations[K]['result']> {
    if (signal?.aborted) throw new AwsCallError(cancelledError());
    const outcome = await runOperation(this.ops, this.profiles, op, profileName, region, args, signal);
    if (!outcome.ok) throw new AwsCallError(outcome.error);
    return outcome.value as Operations[K]['result'];
  }

  invalidate(profileName?: string): void {
    this.clients.invalidate(profileName);
  }

  dispose(): void {
    this.clients.dispose();
  }
}

/** What a fake page source rejects with: the error as the worker would classify and send it. */
export function workerFailure(err: unknown): AwsCallError {
  return new AwsCallError(classifyError(err));
}
