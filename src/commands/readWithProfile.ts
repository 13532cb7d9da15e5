// Read with Another Profile…: picks the profile that reads a flow log's destination (its account's
// profiles first), keeps the choice per destination in the global state, and opens the records
// again with it. createRecordSource asks `readerFor` which profile reads a flow log.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import type { AwsProfile } from '../shared/profiles';
import type { FlowLogRef } from '../explorer/flowLogRef';
import { destinationAccount, destinationKey, profileAccount, readerCandidates, readerStorageKey } from '../aws/readerProfile';

/** The profile that reads a flow log's records: the one chosen for its destination, else its own. */
export function readerFor(s: ExtensionServices, ref: FlowLogRef): AwsProfile {
  const key = destinationKey(ref.flowLog, ref.region);
  const chosen = key ? s.context.globalState.get<unknown>(readerStorageKey(key)) : undefined;
  if (typeof chosen !== 'string' || chosen === ref.profile.name) return ref.profile;
  return s.explorer.profiles.profiles().profiles.find((p) => p.name === chosen) ?? ref.profile;
}

/** Asks for the reader profile of a flow log's destination and keeps it; undefined when cancelled. */
export async function chooseReader(s: ExtensionServices, ref: FlowLogRef, named?: unknown): Promise<AwsProfile | undefined> {
  const key = destinationKey(ref.flowLog, ref.region);
  if (!key) {
    void vscode.window.showInformationMessage('This flow log has no S3 bucket or log group to read.');
    return undefined;
  }
  const account = destinationAccount(ref.flowLog);
  const accountOf = (p: AwsProfile) => profileAccount(p, s.explorer.profiles.allStates().find((x) => x.profile.name === p.name)?.accountId);
  const current = readerFor(s, ref).name;
  const items = readerCandidates(s.explorer.profiles.profiles().profiles, ref.profile.name, account, accountOf).map((c) => ({
    label: c.profile.name,
    description: [
      accountOf(c.profile),
      c.sameAccount ? "the destination's account" : undefined,
      c.profile.name === current ? 'reads it now' : undefined,
    ]
      .filter(Boolean)
      .join(' · '),
    profile: c.profile,
  }));
  // A profile named by the caller (an API call, a test) is used without asking, if it exists.
  const given = typeof named === 'string' ? items.find((i) => i.profile.name === named) : undefined;
  const where = key.startsWith('s3:') ? `bucket ${key.slice(3)}` : `log group ${ref.flowLog.LogGroupName}`;
  const pick =
    given ??
    (await vscode.window.showQuickPick(items, {
      title: `Read ${where} with…`,
      placeHolder: account ? `The destination is in account ${account}` : 'The profile that may read the destination',
      matchOnDescription: true,
    }));
  if (!pick) return undefined;
  await s.context.globalState.update(readerStorageKey(key), pick.profile.name === ref.profile.name ? undefined : pick.profile.name);
  return pick.profile;
}
