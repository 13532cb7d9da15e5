// Reads the shared AWS `config` and `credentials` files the way the AWS CLI and SDKs do, but
// forgivingly: a malformed line is reported as a problem (with its file and line) and skipped, so
// one bad line never hides the valid profiles around it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { truncate } from './text';

export type IniSection = Record<string, string | Record<string, string>>;

export interface ConfigProblem {
  file: string;
  line?: number;
  message: string;
}

export interface SharedConfig {
  configFile: string;
  credentialsFile: string;
  /** `[profile x]` and `[default]` sections of `config`, by profile name. */
  configProfiles: Map<string, IniSection>;
  /** `[x]` sections of `credentials`, by profile name. */
  credentialProfiles: Map<string, IniSection>;
  /** `[sso-session x]` sections. */
  ssoSessions: Map<string, IniSection>;
  /** `[services x]` sections (per-service endpoint settings). */
  services: Map<string, IniSection>;
  problems: ConfigProblem[];
  /** First line of each profile section, by `${file}\u0000${name}` (for problems found later). */
  sectionLines?: Map<string, number>;
  /** Profiles of the credentials file written `[profile x]` (the SDK does not read those as x). */
  credentialProfileHeaders?: Set<string>;
  /** Files that exist but were not read (too large, not a file, unreadable): nothing of them is used. */
  unreadFiles?: Set<string>;
}

/** Larger files are not read: a shared config file is a few KB; 5 MB means something is wrong. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

export function sharedConfigPaths(env: NodeJS.ProcessEnv = process.env): { configFile: string; credentialsFile: string } {
  const home = env.HOME || env.USERPROFILE || os.homedir();
  const expand = (p: string) => (p.startsWith('~/') || p === '~' ? path.join(home, p.slice(1)) : p);
  return {
    configFile: expand(env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config')),
    credentialsFile: expand(env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials')),
  };
}

interface ParsedIni {
  sections: { name: string; line: number; values: IniSection }[];
  problems: ConfigProblem[];
}

/** Parses INI text as the AWS CLI does: `key = value`, `#`/`;` comments, indented sub-keys. */
export function parseIni(text: string, file: string): ParsedIni {
  const sections: ParsedIni['sections'] = [];
  const problems: ConfigProblem[] = [];
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM from Windows editors
  if (text.includes('\u0000')) problems.push({ file, message: 'contains NUL characters; is it a binary file?' });
  const lines = text.split(/\r\n|\r|\n/);
  let current: ParsedIni['sections'][number] | undefined;
  let parentKey: string | undefined; // for `ec2 =` followed by indented `endpoint_url = ...`
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.replace(/\u0000/g, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const header = /^\[([^\]]*)\]\s*(?:[#;].*)?$/.exec(trimmed);
    if (header) {
      // indented too: the SDK trims the line before it looks for a header
      const name = header[1].trim().replace(/\s+/g, ' ');
      if (!name) {
        problems.push({ file, line: lineNo, message: 'empty section name "[]"' });
        current = undefined;
        return;
      }
      current = { name, line: lineNo, values: {} };
      sections.push(current);
      parentKey = undefined;
      return;
    }
    const kv = splitKeyValue(trimmed);
    if (!kv) {
      // Its text is not repeated: a malformed line in these files may well be a pasted secret.
      problems.push({ file, line: lineNo, message: 'not a "key = value" line (its text is not shown: it could hold a secret)' });
      return;
    }
    if (!current) {
      // Only a known key is named: a session token pasted here ends in "=" and parses as a key.
      const known = KNOWN_KEYS.has(kv[1].trim().toLowerCase());
      problems.push({
        file,
        line: lineNo,
        message: known
          ? `"${kv[1].trim()}" is outside any [section]`
          : 'a "key = value" line is outside any [section] (its text is not shown: it could hold a secret)',
      });
      return;
    }
    const key = kv[1].trim().toLowerCase();
    const value = stripInlineComment(kv[2]);
    if (/^\s/.test(line) && parentKey !== undefined) {
      const parent = current.values[parentKey];
      if (typeof parent === 'object') parent[key] = value;
      return;
    }
    if (value === '') {
      current.values[key] = {}; // may be a parent of indented sub-keys (services sections, s3 = ...)
      parentKey = key;
    } else {
      current.values[key] = value;
      parentKey = undefined;
    }
  });
  return { sections, problems };
}

/**
 * `key = value` split at the first `=`, without a regular expression: the former
 * `/^([^=]+?)\s*=\s*(.*)$/` took quadratic time on a line of many spaces (80,000 spaces: 7-10 s of
 * a blocked extension host). No regular expression here runs over a line with open quantifiers
 * that can backtrack.
 */
export function splitKeyValue(line: string): [string, string, string] | undefined {
  const eq = line.indexOf('=');
  if (eq <= 0) return undefined;
  const key = line.slice(0, eq).trim();
  if (!key) return undefined;
  return [line, key, line.slice(eq + 1).trim()];
}

/** Keys of the shared config files (AWS CLI and SDK documentation): these may be named in a problem. */
const KNOWN_KEYS = new Set([
  'region',
  'output',
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'aws_account_id',
  'role_arn',
  'source_profile',
  'credential_source',
  'external_id',
  'mfa_serial',
  'role_session_name',
  'duration_seconds',
  'web_identity_token_file',
  'sso_session',
  'sso_start_url',
  'sso_region',
  'sso_account_id',
  'sso_role_name',
  'sso_registration_scopes',
  'credential_process',
  'endpoint_url',
  'ignore_configured_endpoint_urls',
  'services',
  'ca_bundle',
  'max_attempts',
  'retry_mode',
  'use_fips_endpoint',
  'use_dualstack_endpoint',
  'parameter_validation',
  'tcp_keepalive',
  'cli_pager',
  'cli_timestamp_format',
  'cli_binary_format',
  'cli_history',
  'cli_auto_prompt',
  'defaults_mode',
  'metadata_service_timeout',
  'metadata_service_num_attempts',
  'ec2',
  'sts',
  's3',
  'account_id_endpoint_mode',
  'sigv4a_signing_region_set',
  'request_min_compression_size_bytes',
  'disable_request_compression',
  'sdk_ua_app_id',
  'auth_scheme_preference',
]);

function stripInlineComment(v: string): string {
  // Like the CLI: ` #` or ` ;` after whitespace starts a comment.
  for (let i = 1; i < v.length; i++) {
    if ((v[i] === '#' || v[i] === ';') && (v[i - 1] === ' ' || v[i - 1] === '\t')) return v.slice(0, i - 1).trim();
  }
  return v.trim();
}

/** `profile x` → ['profile x', 'profile', 'x'] (names were already whitespace-collapsed). */
function sectionPrefix(name: string): [string, string, string] | undefined {
  for (const prefix of ['profile', 'sso-session', 'services']) {
    if (name.startsWith(`${prefix} `) && name.length > prefix.length + 1) return [name, prefix, name.slice(prefix.length + 1)];
  }
  return undefined;
}

function readText(file: string, problems: ConfigProblem[], label: string): string {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) {
      problems.push({ file, message: `${label} is not a file` });
      return '';
    }
    if (stat.size > MAX_FILE_BYTES) {
      problems.push({ file, message: `${label} is ${(stat.size / 1048576).toFixed(1)} MB; files over 5 MB are not read` });
      return '';
    }
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return ''; // a missing file is normal (many people have only one of the two)
    problems.push({ file, message: `${label} cannot be read (${code ?? String(err)})` });
    return '';
  }
}

/** Reads both shared files. Never throws: unreadable or malformed content becomes `problems`. */
export function loadSharedConfig(env: NodeJS.ProcessEnv = process.env): SharedConfig {
  const { configFile, credentialsFile } = sharedConfigPaths(env);
  const problems: ConfigProblem[] = [];
  const result: SharedConfig = {
    configFile,
    credentialsFile,
    configProfiles: new Map(),
    credentialProfiles: new Map(),
    ssoSessions: new Map(),
    services: new Map(),
    problems,
    sectionLines: new Map(),
    credentialProfileHeaders: new Set(),
    unreadFiles: new Set(),
  };
  const noteLine = (file: string, name: string, line: number) => {
    const key = `${file}\u0000${name}`;
    if (!result.sectionLines!.has(key)) result.sectionLines!.set(key, line);
  };

  const before = problems.length;
  const configText = readText(configFile, problems, 'The config file');
  if (problems.length > before) result.unreadFiles!.add(configFile);
  const config = parseIni(configText, configFile);
  problems.push(...config.problems);
  for (const s of config.sections) {
    const m = sectionPrefix(s.name);
    let target: Map<string, IniSection>;
    let name: string;
    if (s.name === 'default') {
      target = result.configProfiles;
      name = 'default';
    } else if (m) {
      name = m[2].trim();
      target = m[1] === 'profile' ? result.configProfiles : m[1] === 'sso-session' ? result.ssoSessions : result.services;
    } else {
      problems.push({
        file: configFile,
        line: s.line,
        message: `[${truncate(s.name, 60)}] is ignored: in the config file, profiles are written [profile NAME]`,
      });
      continue;
    }
    if (target === result.configProfiles) noteLine(configFile, name, s.line);
    mergeSection(target, name, s, configFile, problems);
  }

  const beforeCreds = problems.length;
  const credsText = readText(credentialsFile, problems, 'The credentials file');
  if (problems.length > beforeCreds) result.unreadFiles!.add(credentialsFile);
  const creds = parseIni(credsText, credentialsFile);
  problems.push(...creds.problems);
  for (const s of creds.sections) {
    const name = s.name.startsWith('profile ') ? s.name.slice('profile '.length).trim() : s.name;
    if (name !== s.name) result.credentialProfileHeaders!.add(name);
    noteLine(credentialsFile, name, s.line);
    mergeSection(result.credentialProfiles, name, s, credentialsFile, problems);
  }
  return result;
}

function mergeSection(
  target: Map<string, IniSection>,
  name: string,
  s: { line: number; values: IniSection },
  file: string,
  problems: ConfigProblem[],
): void {
  const existing = target.get(name);
  if (existing) {
    // The CLI merges duplicate sections, later keys winning; say so, since it is rarely intended.
    problems.push({ file, line: s.line, message: `[${truncate(name, 60)}] appears more than once; later values win` });
    Object.assign(existing, s.values);
  } else {
    target.set(name, { ...s.values });
  }
}
