// The analysis (Logs Insights) page (entry of media/dist/insightsPage.js, bundled by esbuild as an
// IIFE with Chart.js). Draws the state the panel sends (ToPanel): progress with Insights'
// statistics, the error or the answer as a sortable table and a chart themed with VS Code's
// colours. Every value is set with textContent: nothing from AWS is parsed as HTML.
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { TOOLBAR_ACTIONS, type AnalysisViewState, type FromPanel, type ToPanel } from './protocol';
import { cellText, chartData, chartHeight, nextSort, sortedRows, statusLine, type Sort } from './view';

Chart.register(...registerables);

interface VsCodeApi {
  postMessage(message: FromPanel): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (m: FromPanel) => vscode.postMessage(m);
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
let state: AnalysisViewState | undefined;
let sort: Sort = { column: -1, dir: 'desc' };
let chart: Chart | undefined;

for (const id of TOOLBAR_ACTIONS) $(id).addEventListener('click', () => post({ type: id }));

const css = (name: string, fallback: string) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

function renderStatus(s: AnalysisViewState): void {
  const box = $('status');
  box.textContent = '';
  const status = statusLine(s);
  box.className = status.className;
  const line = document.createElement('div');
  line.textContent = status.text;
  box.appendChild(line);
  const error = s.outcome?.error;
  if (error) {
    const err = document.createElement('div');
    err.className = 'errorText';
    err.textContent = error.message;
    box.appendChild(err);
    const pos = error.position;
    if (pos && typeof s.query === 'string') {
      const pre = document.createElement('pre');
      pre.className = 'query';
      pre.appendChild(document.createTextNode(s.query.slice(0, pos.start)));
      const mark = document.createElement('mark');
      mark.textContent = s.query.slice(pos.start, Math.max(pos.end, pos.start + 1));
      pre.appendChild(mark);
      pre.appendChild(document.createTextNode(s.query.slice(Math.max(pos.end, pos.start + 1))));
      box.appendChild(pre);
    }
  }
  const parts = s.parts ?? [];
  if (parts.length > 1 || (parts.length === 1 && s.phase === 'running')) {
    const ul = document.createElement('ul');
    ul.className = 'parts';
    for (const p of parts) {
      const li = document.createElement('li');
      li.textContent = `${p.label}: ${p.state}${p.error ? ` (${p.error})` : ''}`;
      ul.appendChild(li);
    }
    box.appendChild(ul);
  }
  $<HTMLButtonElement>('cancel').disabled = s.phase !== 'running';
  const has = !!s.rows?.length;
  $<HTMLButtonElement>('exportCsv').disabled = !has;
  $<HTMLButtonElement>('exportJson').disabled = !has;
}

function renderTable(s: AnalysisViewState): void {
  const box = $('tableBox');
  box.textContent = '';
  const columns = s.columns;
  const rows = s.rows;
  if (!columns || !rows) return;
  if (rows.length === 0) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = s.phase === 'running' ? '' : 'No records matched.';
    box.appendChild(p);
    return;
  }
  const table = document.createElement('table');
  table.id = 'results';
  const head = table.createTHead().insertRow();
  columns.forEach((col, i) => {
    const th = document.createElement('th');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    button.textContent = col.title + (sort.column === i ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : '');
    th.setAttribute('aria-sort', sort.column === i ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
    button.addEventListener('click', () => {
      sort = nextSort(sort, i);
      renderTable(s);
    });
    th.appendChild(button);
    if (col.type === 'number' || col.type === 'port') th.className = 'num';
    head.appendChild(th);
  });
  if (s.canShowRecords) {
    // The action column: no header text (a "Records" header would read as a column of data).
    const th = document.createElement('th');
    th.className = 'actions';
    th.setAttribute('aria-label', 'Show records');
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of sortedRows(rows, sort).slice(0, 5000)) {
    const tr = body.insertRow();
    row.forEach((value, i) => {
      const td = tr.insertCell();
      td.textContent = cellText(columns[i], value);
      // The owner of an address or interface (issue 27), beside it.
      const name = s.names && typeof value === 'string' ? s.names[value] : undefined;
      if (typeof name === 'string') {
        const small = document.createElement('span');
        small.className = 'name';
        small.textContent = ` ${name}`;
        td.appendChild(small);
      }
      if (columns[i]?.type === 'number' || columns[i]?.type === 'port') td.className = 'num';
    });
    if (s.canShowRecords) {
      // The row's place in the answer as sent (sorting here only reorders the view).
      const index = rows.indexOf(row);
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'show-records';
      button.textContent = 'Show';
      button.title = "Show these records: the flow log's records filtered on this row, over the same time range";
      button.setAttribute('aria-label', 'Show the records of this row');
      button.addEventListener('click', () => post({ type: 'showRecords', index }));
      tr.insertCell().appendChild(button);
    }
  }
  box.appendChild(table);
}

function renderChart(s: AnalysisViewState): void {
  const box = $('chartBox');
  chart?.destroy();
  chart = undefined;
  const data = chartData(s);
  if (!data) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const palette = [
    '--vscode-charts-blue',
    '--vscode-charts-orange',
    '--vscode-charts-green',
    '--vscode-charts-purple',
    '--vscode-charts-red',
    '--vscode-charts-yellow',
  ].map((v, i) => css(v, ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'][i]));
  Chart.defaults.color = css('--vscode-foreground', '#ccc');
  Chart.defaults.borderColor = css('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  Chart.defaults.font.family = css('--vscode-font-family', 'sans-serif');
  const config: ChartConfiguration =
    data.kind === 'timeSeries'
      ? {
          type: 'line',
          data: {
            labels: data.labels,
            datasets: data.series.map((d, i) => ({
              label: d.label,
              borderColor: palette[i % palette.length],
              backgroundColor: palette[i % palette.length],
              pointRadius: 0,
              data: d.data,
            })),
          },
          options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
        }
      : {
          type: 'bar',
          data: {
            labels: data.labels,
            datasets: [{ label: data.series[0].label, data: data.series[0].data, backgroundColor: palette[0] }],
          },
          options: {
            indexAxis: 'y',
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            plugins: { legend: { display: false } },
          },
        };
  box.style.height = chartHeight(data.kind, s.rows?.length ?? 0);
  chart = new Chart($<HTMLCanvasElement>('chart'), config);
}

window.addEventListener('message', (event: MessageEvent<ToPanel>) => {
  const m = event.data;
  if (!m || m.type !== 'state' || typeof m.state !== 'object' || m.state === null) return;
  const first = !state || state.runId !== m.state.runId;
  state = m.state;
  if (first) sort = { column: -1, dir: 'desc' };
  $('title').textContent = state.title || '';
  $('subtitle').textContent = state.subtitle || '';
  renderStatus(state);
  renderTable(state);
  if (state.phase !== 'running') renderChart(state);
  document.body.dataset.phase = state.phase;
  document.body.dataset.outcome = state.outcome ? state.outcome.state : '';
});
post({ type: 'ready' });
