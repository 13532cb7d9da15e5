// The extension's settings, read in one place. Settings that decide where credentials are sent
// (`flowLogs.endpointUrl`) are taken from the user's own settings only, never from a workspace:
// they are machine-scoped in package.json, and read here through `inspect().globalValue` as a
// second guard, so a repository's .vscode/settings.json cannot redirect a user's credentials.
import * as vscode from 'vscode';
import { isRegionId } from './aws/arn';

const SECTION = 'flowLogs';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

function clampInt(v: unknown, min: number, max: number, fallback: number): number {
  const n = typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : fallback;
  return Math.min(max, Math.max(min, n));
}

/** A whole-number setting of the flowLogs section, clamped to [min, max]; `fallback` when unset or not a number. */
export function intSetting(key: string, min: number, max: number, fallback: number): number {
  return clampInt(config().get(key), min, max, fallback);
}

export const settings = {
  pageSize: () => clampInt(config().get('pageSize'), 5, 1000, 50),
  requestTimeoutMs: () => clampInt(config().get('requestTimeoutSeconds'), 1, 600, 30) * 1000,
  credentialProcessTimeoutMs: () => clampInt(config().get('credentialProcessTimeoutSeconds'), 1, 600, 60) * 1000,
  maxAttempts: () => clampInt(config().get('maxAttempts'), 1, 10, 5),
  maxConcurrentRequests: () => clampInt(config().get('maxConcurrentRequests'), 1, 64, 16),
  maxConcurrentRequestsPerAccount: () => clampInt(config().get('maxConcurrentRequestsPerAccount'), 1, 16, 4),
  throttleRetries: () => clampInt(config().get('throttleRetries'), 0, 5, 2),
  profiles: (): string[] => {
    const v = config().get<unknown>('profiles');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  },
  regions: (): Record<string, string[]> => {
    const v = config().get<unknown>('regions');
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    const out: Record<string, string[]> = {};
    for (const [k, list] of Object.entries(v as Record<string, unknown>)) {
      if (Array.isArray(list)) out[k] = list.filter(isRegionId);
    }
    return out;
  },
  filterPresets: (): unknown => config().get('filterPresets'),
  s3ForcePathStyle: (): boolean => config().get('s3.forcePathStyle') === true,
  /** The role name preferred for the SSO accounts found (user value only: it picks credentials). */
  ssoPreferredRoleName: (): string | undefined => {
    const v = config().inspect<string>('sso.preferredRoleName')?.globalValue;
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  },
  /** How long one Logs Insights query may run before it is stopped (1 to 60 minutes, default 15). */
  insightsMaxQueryMs: () => clampInt(config().get('insights.maxQueryMinutes'), 1, 60, 15) * 60_000,
  /** User (global) value only: see the comment at the top. */
  endpointUrl: (): string | undefined => {
    const v = config().inspect<string>('endpointUrl')?.globalValue;
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  },
};
