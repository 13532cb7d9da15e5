// The records webview's HTML: a static shell (no data in it; the data comes by postMessage and is
// put in the page with textContent only), with a strict CSP: default-src 'none', one nonce script.
// Pure: never imports vscode.
import { escapeHtml } from '../webview/escape';
import { pageShell } from '../webview/pageShell';
import { DEFAULT_RANGE_PRESET } from '../webview/timeRanges';

export interface RecordsShellInput {
  title: string;
  cspSource: string;
  nonce: string;
  styleUri: string;
  /** The page's script: media/dist/recordsPage.js (src/webviews/records/main.ts, bundled by esbuild). */
  scriptUri: string;
  codiconsUri: string;
}

export function renderRecordsShell(i: RecordsShellInput): string {
  const presets = [
    ['15m', '15 min'],
    ['1h', '1 hour'],
    ['3h', '3 hours'],
    ['12h', '12 hours'],
    ['24h', '24 hours'],
    ['3d', '3 days'],
    ['7d', '7 days'],
    ['custom', 'Custom…'],
  ]
    .map(([v, l]) => `<option value="${v}"${v === DEFAULT_RANGE_PRESET ? ' selected' : ''}>${l}</option>`)
    .join('');
  const body = `<header class="bar">
  <h1 id="title">${escapeHtml(i.title)}</h1>
  <span id="subtitle" class="muted"></span>
  <span class="spacer"></span>
  <button type="button" data-action="openConsole" title="Open the log group's events for this range in the CloudWatch console"><span class="codicon codicon-link-external"></span> Console</button>
  <button type="button" data-action="export-csv" title="Save the loaded records as CSV">CSV</button>
  <button type="button" data-action="export-json" title="Save the loaded records as JSON">JSON</button>
  <button type="button" data-action="export-ndjson" title="Save the loaded records as NDJSON">NDJSON</button>
  <button type="button" data-action="openCsv" title="Open the loaded records as CSV in an editor">Open as CSV</button>
</header>
<section class="bar" aria-label="Time range">
  <label>Range <select id="preset">${presets}</select></label>
  <span id="custom" hidden>
    <label>From <input id="from" type="datetime-local" step="60"></label>
    <label>To <input id="to" type="datetime-local" step="60"></label>
    <select id="zone" aria-label="Time zone"><option value="local">Local</option><option value="utc">UTC</option></select>
  </span>
  <button type="button" id="run" class="primary" data-action="run">Show records</button>
</section>
<section class="bar filters" aria-label="Filters">
  <div id="filter-rows"></div>
  <button type="button" data-action="addFilter"><span class="codicon codicon-add"></span> Filter</button>
  <details id="advanced"><summary>Advanced</summary>
    <label>Filter pattern <input id="raw-pattern" type="text" size="60" spellcheck="false" placeholder='CloudWatch syntax, e.g. [..., action="REJECT", ...] or "REJECT"'></label>
  </details>
</section>
<div id="plan" class="plan muted" aria-live="polite"></div>
<div id="summary" class="summary" aria-live="polite"></div>
<div id="state" class="state" role="status" aria-live="polite"></div>
<div class="main">
  <div id="table" class="table" tabindex="0" role="grid" aria-label="Flow log records">
    <div id="viewport" class="viewport"><div id="thead" class="thead" role="row"></div><div id="spacer" class="spacer-rows"></div><div id="rows" class="rows"></div></div>
  </div>
  <aside id="details" class="details" hidden aria-label="Record details"></aside>
</div>
<footer class="bar">
  <span id="progress" class="muted"></span>
  <span id="names-status" class="muted" role="status"></span>
  <span class="spacer"></span>
  <details id="columns-chooser"><summary>Columns</summary><div id="columns"></div></details>
  <button type="button" data-action="cancel" id="cancel" hidden>Cancel</button>
  <button type="button" data-action="loadMore" id="load-more" hidden>Load more</button>
  <button type="button" data-action="loadAll" id="load-all" hidden>Load all in range</button>
</footer>`;
  return pageShell({
    title: i.title,
    cspSource: i.cspSource,
    nonce: i.nonce,
    styles: [i.codiconsUri, i.styleUri],
    scripts: [i.scriptUri],
    body,
  });
}
