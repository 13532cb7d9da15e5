// The HTML shell every webview page is written into: the Content-Security-Policy (default-src
// 'none', scripts by nonce only), the stylesheets, the body, and the page's scripts, each carrying
// the nonce. One function for every panel (detail, records, Insights, Athena): a panel hands it
// its body and its files, never writes a <head> or a policy of its own.
// Pure: never imports vscode (node:crypto for the nonce).
import { randomBytes } from 'node:crypto';
import { escapeAttr, escapeHtml } from './escape';

export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

// Nonces and CSP sources go inside the policy itself: anything that could end a directive is refused.
function safeNonce(nonce: unknown): string {
  return typeof nonce === 'string' && /^[A-Za-z0-9+/=_-]{16,128}$/.test(nonce) ? nonce : createNonce();
}

function safeCspSource(source: unknown): string {
  // VS Code's webview.cspSource is "'self' https://*.vscode-cdn.net" (plus the extension's origin on
  // the web): host sources and the 'self' keyword only, nothing that could end a directive.
  if (typeof source !== 'string' || source.length > 512) return "'none'";
  const tokens = source.trim().split(/\s+/);
  const ok = tokens.length > 0 && tokens.every((t) => t === "'self'" || /^[A-Za-z0-9*:/._-]+$/.test(t));
  return ok ? tokens.join(' ') : "'none'";
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  const src = safeCspSource(cspSource);
  return `default-src 'none'; img-src ${src}; style-src ${src}; font-src ${src}; script-src 'nonce-${safeNonce(nonce)}';`;
}

export interface PageShellInput {
  title: string;
  /** The webview's cspSource. */
  cspSource: string;
  nonce: string;
  /** Stylesheet URIs, in order (empty entries are left out). */
  styles: readonly (string | undefined)[];
  /** Script URIs, in order, each loaded with the nonce (empty entries are left out). */
  scripts?: readonly (string | undefined)[];
  /** The body's HTML, already escaped by the caller. */
  body: string;
  /** Attributes of <body>, already escaped, with a leading space (` data-x="…"`). */
  bodyAttrs?: string;
}

/** The whole page. The nonce is checked here: the policy and every script carry the same safe one. */
export function pageShell(i: PageShellInput): string {
  const nonce = safeNonce(i.nonce);
  const csp = contentSecurityPolicy(i.cspSource, nonce);
  const styles = i.styles
    .filter((s): s is string => typeof s === 'string' && s !== '')
    .map((s) => `<link rel="stylesheet" href="${escapeAttr(s)}">\n`)
    .join('');
  const scripts = (i.scripts ?? [])
    .filter((s): s is string => typeof s === 'string' && s !== '')
    .map((s) => `<script nonce="${escapeAttr(nonce)}" src="${escapeAttr(s)}"></script>\n`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}<title>${escapeHtml(i.title)}</title>
</head>
<body${i.bodyAttrs ?? ''}>
${i.body}
${scripts}</body>
</html>`;
}
