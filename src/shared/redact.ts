// The one redaction function: every text that may come from outside (SDK error messages, a
// server's error text, a credential program's output) passes through it before it reaches the
// tree, a tooltip, a notification, the output channel or the webview.
//
// It works word by word, without regular expressions over the whole text: a regex with nested or
// adjacent open quantifiers can take quadratic time on hostile input (see sharedConfig.ts). What
// it removes:
//   - values of secret-ish names: `aws_secret_access_key = X`, `--api-token=X`, `token X`,
//     `password: X`, `Bearer X`, `"SessionToken":"X"`, `X-Amz-Signature=X`;
//   - secret shapes wherever they are: 40-character AWS secret keys, session tokens, JWTs and
//     other long mixed-character strings;
//   - the user:password part of URLs;
//   - access key IDs are shortened (`AKIA…MPLE`): not secret, but they stay out of logs too.

const REDACTED = '[redacted]';

/** Characters that end a word. `?` and `&` split query strings into `key=value` words. */
function isSeparator(c: number): boolean {
  // whitespace, " ' ` , ; ( ) < > [ ] { } | ? & and control characters
  return (
    c <= 0x20 ||
    c === 0x22 ||
    c === 0x27 ||
    c === 0x60 ||
    c === 0x2c ||
    c === 0x3b ||
    c === 0x28 ||
    c === 0x29 ||
    c === 0x3c ||
    c === 0x3e ||
    c === 0x5b ||
    c === 0x5d ||
    c === 0x7b ||
    c === 0x7d ||
    c === 0x7c ||
    c === 0x3f ||
    c === 0x26 ||
    c === 0x7f ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x2028 ||
    c === 0x2029
  );
}

const SECRET_NAMES = [
  'secret',
  'token',
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'apikey',
  'api_key',
  'api-key',
  'private_key',
  'privatekey',
  'private-key',
  'bearer',
  'signature',
  'authorization',
  'cookie',
  'credential_process',
];

/** A name whose value is a secret (`aws_secret_access_key`, `--api-token`, `X-Amz-Security-Token`). */
export function isSecretName(word: string): boolean {
  if (word.length > 80) return false;
  const w = word.toLowerCase();
  return SECRET_NAMES.some((n) => w.includes(n));
}

/** A word that reads as prose ("included", "Access", "is."), not as a secret value. */
function isProse(word: string): boolean {
  let w = word;
  while (w.length && '.,!?:;'.includes(w[w.length - 1])) w = w.slice(0, -1);
  if (w.length < 4) return true;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    const lower = c >= 0x61 && c <= 0x7a;
    const upperFirst = i === 0 && c >= 0x41 && c <= 0x5a;
    if (!lower && !upperFirst) return false;
  }
  return true;
}

/**
 * A secret by its shape: 32+ characters of the base64 / base64url / JWT alphabet with upper case,
 * lower case and digits (AWS secret keys, session tokens, JWTs, most API tokens), or 40+ with
 * letters and digits (hex tokens). Request IDs (UUIDs), flow log IDs and ARNs do not match.
 */
export function looksLikeSecret(word: string): boolean {
  if (word.length < 32) return false;
  // "/" with "-", "_" or "." is neither base64 (+ /) nor base64url or a JWT (- _ .): a file path.
  // Its parts are checked one by one.
  if (word.includes('/') && (word.includes('-') || word.includes('_') || word.includes('.'))) {
    return word.split('/').some((part) => part.length >= 32 && looksLikeSecret(part));
  }
  let upper = false,
    lower = false,
    digit = false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) upper = true;
    else if (c >= 0x61 && c <= 0x7a) lower = true;
    else if (c >= 0x30 && c <= 0x39) digit = true;
    else if (c !== 0x2b && c !== 0x2f && c !== 0x3d && c !== 0x5f && c !== 0x2d && c !== 0x2e) return false; // + / = _ - .
  }
  return (upper && lower && digit) || (word.length >= 40 && digit && (upper || lower));
}

function isUpperAlnum(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

function isWordChar(c: number): boolean {
  return isUpperAlnum(c) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** AKIA/ASIA + 12..128 upper-case letters or digits, as a whole word: shortened to AKIA…XXXX. */
function shortenAccessKeyIds(word: string): string {
  let out = '';
  let i = 0;
  while (i < word.length) {
    const at = i === 0 || !isWordChar(word.charCodeAt(i - 1));
    const prefix = word.slice(i, i + 4);
    if (at && (prefix === 'AKIA' || prefix === 'ASIA')) {
      let j = i + 4;
      while (j < word.length && j - i < 132 && isUpperAlnum(word.charCodeAt(j))) j++;
      if (j - i >= 16 && (j === word.length || !isWordChar(word.charCodeAt(j)))) {
        const id = word.slice(i, j);
        out += `${id.slice(0, 4)}…${id.slice(-4)}`;
        i = j;
        continue;
      }
    }
    out += word[i];
    i++;
  }
  return out;
}

/** `scheme://user:password@host…` → `scheme://[redacted]@host…`. */
function redactUrl(word: string): string {
  const scheme = word.indexOf('://');
  const start = scheme + 3;
  // The last @: a password pasted unescaped may itself hold / or @.
  const at = word.lastIndexOf('@');
  if (at < start) return word;
  return `${word.slice(0, start)}${REDACTED}${word.slice(at)}`;
}

function onlyPunctuation(word: string): boolean {
  for (const ch of word) if (ch !== ':' && ch !== '=') return false;
  return true;
}

/** Redacts one word; `state.pending` carries "the previous word was a secret name" forward. */
function redactWord(word: string, state: { pending: boolean }): string {
  if (word === REDACTED) return word;
  if (onlyPunctuation(word)) return word; // `key = value`, `"key":"value"`: keep waiting for the value
  if (state.pending) {
    state.pending = false;
    if (!isProse(word)) return REDACTED;
  }
  if (word.includes('://')) return redactUrl(word);
  const w = shortenAccessKeyIds(word); // first: `Credential=AKIA…/20240101/…` is a scope, not a secret
  // `key=value` or `key:value`, split at the first = or :
  let sep = -1;
  for (let i = 0; i < w.length; i++) {
    if (w[i] === '=' || w[i] === ':') {
      sep = i;
      break;
    }
  }
  if (sep > 0) {
    const key = w.slice(0, sep);
    let v = sep + 1;
    while (v < w.length && (w[v] === '=' || w[v] === ':')) v++;
    const value = w.slice(v);
    if (looksLikeSecret(key)) return `${REDACTED}${w.slice(sep)}`; // base64 ending in == splits here
    if (isSecretName(key)) {
      if (value) return `${w.slice(0, v)}${REDACTED}`;
      state.pending = true;
      return w;
    }
    return value && looksLikeSecret(value) ? `${w.slice(0, v)}${REDACTED}` : w;
  }
  if (looksLikeSecret(w)) return REDACTED;
  if (isSecretName(w)) state.pending = true;
  return w;
}

/** Removes secrets from text shown to the user or written to the log. Linear time, never throws. */
export function redactSecrets(text: string): string {
  if (typeof text !== 'string' || !text) return typeof text === 'string' ? text : '';
  const state = { pending: false };
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    let j = i;
    while (j < n && isSeparator(text.charCodeAt(j))) j++;
    out += text.slice(i, j);
    i = j;
    while (j < n && !isSeparator(text.charCodeAt(j))) j++;
    if (j > i) out += redactWord(text.slice(i, j), state);
    i = j;
  }
  return out;
}
