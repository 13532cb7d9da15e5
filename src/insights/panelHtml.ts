// The analysis panel's HTML shell (webview/pageShell.ts writes the page and its
// Content-Security-Policy). The answer itself is sent as a message and drawn by the page
// (src/webviews/insights/, media/dist/insightsPage.js, Chart.js bundled in) with textContent only,
// so no value from AWS is ever parsed as HTML. Pure: never imports vscode.
import { escapeHtml } from '../webview/escape';
import { pageShell } from '../webview/pageShell';

export interface PanelHtmlInput {
  cspSource: string;
  nonce: string;
  title: string;
  styleUri: string;
  scriptUri: string;
}

export function renderAnalysisHtml(input: PanelHtmlInput): string {
  const body = `<header>
  <h1 id="title">${escapeHtml(input.title)}</h1>
  <div id="subtitle" class="muted"></div>
  <div class="toolbar">
    <button id="cancel" type="button">Cancel</button>
    <button id="rerun" type="button">Run Again</button>
    <button id="exportCsv" type="button">Export CSV</button>
    <button id="exportJson" type="button">Export JSON</button>
    <button id="openQuery" type="button">Open Query</button>
    <button id="openConsole" type="button">Open in CloudWatch Console</button>
  </div>
</header>
<section id="status" role="status" aria-live="polite"></section>
<section id="chartBox"><canvas id="chart" aria-label="Chart of the answer" role="img"></canvas></section>
<section id="tableBox"></section>`;
  return pageShell({
    title: input.title,
    cspSource: input.cspSource,
    nonce: input.nonce,
    styles: [input.styleUri],
    scripts: [input.scriptUri],
    body,
  });
}
