// The analysis panel's HTML shell, with its Content-Security-Policy. The answer itself is sent
// as a message and drawn by media/insights.js with textContent only, so no value from AWS is
// ever parsed as HTML. Pure: never imports vscode.
import { escapeAttr, escapeHtml } from '../webview/escape';
import { contentSecurityPolicy } from '../webview/render';

export interface PanelHtmlInput {
  cspSource: string;
  nonce: string;
  title: string;
  styleUri: string;
  scriptUri: string;
  chartUri: string;
}

export function renderAnalysisHtml(input: PanelHtmlInput): string {
  const csp = contentSecurityPolicy(input.cspSource, input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(input.styleUri)}">
<title>${escapeHtml(input.title)}</title>
</head>
<body>
<header>
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
<section id="tableBox"></section>
<script nonce="${escapeAttr(input.nonce)}" src="${escapeAttr(input.chartUri)}"></script>
<script nonce="${escapeAttr(input.nonce)}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>`;
}
