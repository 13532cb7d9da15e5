// The Athena page's state parts the panel computes (pure: never imports vscode): Athena's
// statistics of an execution, with the cost estimate, and the actions an error offers.
import type { AthenaExecution } from '../shared/awsWorkerProtocol';
import type { AthenaPageAction, AthenaPageStats } from '../webviews/athena/protocol';
import type { AthenaError } from '../shared/athenaErrors';
import { costEstimate } from './run';

const ACTION_LABELS: Record<AthenaPageAction, string> = {
  openSettings: 'Open Athena Settings',
  createTable: 'Create the Table…',
  editQuery: 'Open Query',
  retry: 'Run Again',
};

/** The actions of an error, in the order it gives them; Run Again is always last. */
export function errorActions(e: AthenaError): { action: AthenaPageAction; label: string }[] {
  const list: AthenaPageAction[] = [];
  for (const a of e.actions) {
    const action: AthenaPageAction = a === 'signIn' ? 'retry' : a;
    if (action !== 'retry' && !list.includes(action)) list.push(action);
  }
  if (e.kind === 'syntax' && !list.includes('editQuery')) list.push('editQuery');
  list.push('retry');
  return list.map((action) => ({ action, label: ACTION_LABELS[action] }));
}

export function statsOf(e: AthenaExecution | undefined): AthenaPageStats {
  if (!e) return { state: 'STARTING', scannedBytes: 0, costUsd: 0 };
  const scannedBytes = Number.isFinite(e.dataScannedBytes) ? Number(e.dataScannedBytes) : 0;
  return {
    state: e.state,
    scannedBytes,
    engineMs: e.engineExecutionMs,
    queueMs: e.queryQueueMs,
    costUsd: e.dataScannedBytes === undefined ? 0 : costEstimate(scannedBytes),
  };
}
