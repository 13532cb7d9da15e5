// Where a profile is written in the shared files, so "Open AWS Config File" on a profile's error
// lands on its section: the credentials file for key problems (where static keys usually are),
// otherwise the config file. Reads only section headers and key names, never values.
import * as fs from 'node:fs';
import { parseIni, sharedConfigPaths } from '../shared/sharedConfig';

export interface ConfigLocation {
  file: string;
  /** 1-based line of the profile's section header; undefined when the profile is not written there. */
  line?: number;
}

const KEY_NAMES = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'];

function sectionLine(file: string, names: string[], withKeys: boolean): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const sections = parseIni(text, file).sections.filter((sec) => names.includes(sec.name));
  const pick = withKeys ? sections.find((sec) => KEY_NAMES.some((k) => k in sec.values)) : sections[0];
  return pick?.line;
}

/** The file and line to open for a profile; `credentials` says the error is about its keys. */
export function configLocationFor(profile: string, credentials: boolean, env: NodeJS.ProcessEnv = process.env): ConfigLocation {
  const { configFile, credentialsFile } = sharedConfigPaths(env);
  // In the config file a profile is [profile NAME] (or [default]); in the credentials file [NAME].
  const configNames = profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`];
  if (credentials) {
    const inCredentials = sectionLine(credentialsFile, [profile], false);
    const keysInConfig = sectionLine(configFile, configNames, true);
    if (keysInConfig !== undefined && inCredentials === undefined) return { file: configFile, line: keysInConfig };
    if (inCredentials !== undefined) return { file: credentialsFile, line: inCredentials };
  }
  const inConfig = sectionLine(configFile, configNames, false);
  if (inConfig !== undefined) return { file: configFile, line: inConfig };
  const inCredentials = sectionLine(credentialsFile, [profile], false);
  if (inCredentials !== undefined) return { file: credentialsFile, line: inCredentials };
  return { file: configFile };
}

/** The shared files a caller may ask to open (nothing else is opened or created). */
export function knownConfigFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const { configFile, credentialsFile } = sharedConfigPaths(env);
  return [configFile, credentialsFile];
}
