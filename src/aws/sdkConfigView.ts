// What the AWS SDK itself reads from the shared config files, so that the tree lists exactly the
// profiles (and keys) the SDK will load. The SDK's loader (@smithy/shared-ini-file-loader) is
// strict where our forgiving pass (sharedConfig.ts) is not: it ignores `[profile café]`,
// `[profile a b]`, `[profile x]` in the credentials file, keeps key case (`AWS_ACCESS_KEY_ID` is not
// `aws_access_key_id`), and drops the whole file for `[profile __proto__]`. Profiles come from the
// SDK's view; the forgiving pass only explains the differences (file and line, never a value).
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import type { ConfigProblem, IniSection, SharedConfig } from '../shared/sharedConfig';

export interface SdkView {
  /** Profiles of the config file as the SDK keys them ("default", "x" for [profile x]; sso-session.* and services.* dropped). */
  config: Record<string, Record<string, string>>;
  /** Sections of the credentials file as the SDK keys them. */
  credentials: Record<string, Record<string, string>>;
}

/** Reads both files with the SDK's own loader (never throws: the loader swallows unreadable files). */
export async function loadSdkView(configFile: string, credentialsFile: string): Promise<SdkView> {
  try {
    const files = await loadSharedConfigFiles({ filepath: credentialsFile, configFilepath: configFile, ignoreCache: true });
    const config: SdkView['config'] = {};
    for (const [name, values] of Object.entries(files.configFile ?? {})) {
      if (name.startsWith('sso-session.') || name.startsWith('services.')) continue;
      config[name] = { ...(values as Record<string, string>) };
    }
    return { config, credentials: { ...(files.credentialsFile as SdkView['credentials']) } };
  } catch {
    return { config: {}, credentials: {} };
  }
}

/** "ec2.endpoint_url" (the SDK's flattened sub-keys) back to { ec2: { endpoint_url } }. */
function toSection(values: Record<string, string>): IniSection {
  const out: IniSection = {};
  for (const [key, value] of Object.entries(values)) {
    const dot = key.indexOf('.');
    if (dot > 0) {
      const parent = key.slice(0, dot);
      const child = out[parent];
      out[parent] = { ...(typeof child === 'object' ? child : {}), [key.slice(dot + 1)]: value };
    } else {
      out[key] = value;
    }
  }
  return out;
}

const SDK_NAME_CHARS = /^[\w\-@+.%:/]+$/; // the SDK's prefixKeyRegex name part; anchored, one class: no backtracking

/**
 * The shared config with its profiles replaced by what the SDK reads, plus a problem for each
 * profile or key the forgiving pass saw and the SDK will not use.
 */
export function reconcileWithSdk(forgiving: SharedConfig, view: SdkView): SharedConfig {
  const problems: ConfigProblem[] = [...forgiving.problems];
  const configProfiles = new Map<string, IniSection>();
  const credentialProfiles = new Map<string, IniSection>();
  // A file the forgiving pass refused (over 5 MB, not a file) is not used at all, by either reading.
  const configView = forgiving.unreadFiles?.has(forgiving.configFile) ? {} : view.config;
  const credentialsView = forgiving.unreadFiles?.has(forgiving.credentialsFile) ? {} : view.credentials;
  for (const [name, values] of Object.entries(configView)) configProfiles.set(name, toSection(values));
  for (const [name, values] of Object.entries(credentialsView)) {
    if (name.startsWith('profile.')) continue; // [profile x] in the credentials file: not profile x for the SDK
    credentialProfiles.set(name, toSection(values));
  }
  const lineOf = (file: string, name: string) => forgiving.sectionLines?.get(`${file}\u0000${name}`);

  const explain = (file: string, label: 'config' | 'credentials', seen: Map<string, IniSection>, kept: Map<string, IniSection>) => {
    const sdkEmpty = kept.size === 0;
    const proto = [...seen.keys()].some((n) => n === '__proto__' || n === 'profile __proto__');
    if (sdkEmpty && seen.size > 0 && proto) {
      problems.push({
        file,
        line: lineOf(file, '__proto__'),
        message: `The AWS SDK ignores the whole ${label} file: it contains a section named __proto__`,
      });
      return;
    }
    for (const [name, section] of seen) {
      const line = lineOf(file, name);
      const sdk = kept.get(name);
      if (!sdk) {
        const why =
          label === 'credentials' && forgiving.credentialProfileHeaders?.has(name)
            ? `[profile ${name}] in the credentials file is not read as profile "${name}" by the AWS SDK: write [${name}]`
            : !SDK_NAME_CHARS.test(name)
              ? `profile "${name}" is not read by the AWS SDK: a profile name may use only letters, digits and - _ @ + . % : /`
              : `profile "${name}" is not read by the AWS SDK`;
        problems.push({ file, line, message: why });
        continue;
      }
      // Keys the forgiving pass lower-cased but the SDK reads as written.
      for (const key of Object.keys(section)) {
        if (!(key in sdk) && Object.keys(sdk).some((k) => k.toLowerCase() === key)) {
          problems.push({ file, line, message: `profile "${name}": the AWS SDK reads keys as written; write ${key} in lower case` });
        }
      }
    }
  };
  explain(forgiving.configFile, 'config', forgiving.configProfiles, configProfiles);
  explain(forgiving.credentialsFile, 'credentials', forgiving.credentialProfiles, credentialProfiles);
  return { ...forgiving, configProfiles, credentialProfiles, problems };
}
