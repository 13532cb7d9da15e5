// The Athena answer page (entry of media/dist/athenaPage.js, an esbuild IIFE). Draws the state the
// extension posts (ToPanel): Athena's live statistics, the error with its actions, the answer as a
// table and a Chart.js chart themed with VS Code's colours. Every value is put in the page with
// textContent: nothing from AWS is parsed as HTML. It posts only FromPanel messages.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import type { AthenaPageState, FromPanel, ToPanel } from './protocol';
import {
  ariaSort,
  cellText,
  chartData,
  chartHeight,
  isNumeric,
  nextSort,
  shownText,
  sortRows,
  splitAtPosition,
  statsItems,
  type TableSort,
} from './pageText';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();
const post = (m: FromPanel) => vscode.postMessage(m);

function $(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page has no #${id}`);
  return e;
}
const button = (id: string) => $(id) as HTMLButtonElement;

let state: AthenaPageState | undefined;
/** The answer table's order (a header clicked), kept while the same run's rows grow; reset by a new run. */
let sort: TableSort | undefined;
let chart: Chart | undefined;

button('cancel').addEventListener('click', () => post({ type: 'cancel' }));
button('more').addEventListener('click', () => post({ type: 'more' }));
button('exportCsv').addEventListener('click', () => post({ type: 'export', format: 'csv' }));
button('exportJson').addEventListener('click', () => post({ type: 'export', format: 'json' }));
button('openQuery').addEventListener('click', () => post({ type: 'openQuery' }));

const css = (name: string, fallback: string) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

function renderStatus(s: AthenaPageState): void {
  const box = $('status');
  box.textContent = '';
  box.className = s.phase === 'running' ? 'running' : s.phase === 'error' ? 'error' : 'ok';
  const dl = document.createElement('dl');
  dl.className = 'stats';
  for (const [label, value] of statsItems(s.stats)) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dd.dataset.stat = label;
    const item = document.createElement('div');
    item.append(dt, dd);
    dl.appendChild(item);
  }
  box.appendChild(dl);
  const q = $('query');
  q.hidden = true;
  q.textContent = '';
  if (s.error) {
    const err = document.createElement('div');
    err.className = 'errorText';
    err.textContent = s.error.message;
    box.appendChild(err);
    const parts = s.error.position && splitAtPosition(s.query, s.error.position);
    if (parts) {
      const mark = document.createElement('mark');
      mark.textContent = parts[1];
      q.append(document.createTextNode(parts[0]), mark, document.createTextNode(parts[2]));
      q.hidden = false;
    }
  }
  const actions = $('actions');
  actions.textContent = '';
  for (const a of s.actions ?? []) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = a.label;
    b.dataset.action = a.action;
    b.addEventListener('click', () => post({ type: 'action', action: a.action }));
    actions.appendChild(b);
  }
  button('cancel').disabled = s.phase !== 'running';
  const has = !!s.rows && s.rows.length > 0;
  button('exportCsv').disabled = !has;
  button('exportJson').disabled = !has;
  button('more').hidden = !((s.rows?.length ?? 0) < (s.total ?? 0));
}

function renderTable(s: AthenaPageState): void {
  const box = $('tableBox');
  box.textContent = '';
  if (!s.columns || !s.rows) return;
  if (s.rows.length === 0) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = 'No records matched.';
    box.appendChild(p);
    return;
  }
  const table = document.createElement('table');
  table.id = 'results';
  const head = table.createTHead().insertRow();
  s.columns.forEach((col, i) => {
    const th = document.createElement('th');
    // A button in the header: clicked or Enter/Space, ascending, descending, then Athena's order.
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'sort';
    const dir = ariaSort(sort, i);
    b.textContent = `${col.title}${dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ''}`;
    b.title = `Sort by ${col.title}`;
    b.addEventListener('click', () => {
      sort = nextSort(sort, i);
      renderTable(s);
    });
    th.appendChild(b);
    th.setAttribute('aria-sort', dir);
    if (isNumeric(col)) th.className = 'num';
    head.appendChild(th);
  });
  const body = table.createTBody();
  for (const row of sortRows(s.columns, s.rows, sort)) {
    const tr = body.insertRow();
    s.columns.forEach((col, i) => {
      const td = tr.insertCell();
      td.textContent = cellText(col, row[i] ?? null);
      if (isNumeric(col)) td.className = 'num';
    });
  }
  box.appendChild(table);
  const more = shownText(s);
  if (more) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = more;
    box.appendChild(p);
  }
}

function renderChart(s: AthenaPageState): void {
  const box = $('chartBox');
  chart?.destroy();
  chart = undefined;
  const data = s.phase === 'done' ? chartData(s.chart, s.columns, s.rows) : undefined;
  if (!data) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const palette = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'].map((c, i) =>
    css(`--vscode-charts-${c}`, ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'][i]),
  );
  Chart.defaults.color = css('--vscode-foreground', '#ccc');
  Chart.defaults.borderColor = css('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  Chart.defaults.font.family = css('--vscode-font-family', 'sans-serif');
  const datasets = data.series.map((series, i) => ({
    label: series.label,
    data: series.data,
    borderColor: palette[i % palette.length],
    backgroundColor: palette[i % palette.length],
    pointRadius: 0,
  }));
  const config: ChartConfiguration<'line' | 'bar'> =
    data.type === 'line'
      ? {
          type: 'line',
          data: { labels: data.labels, datasets },
          options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
        }
      : {
          type: 'bar',
          data: { labels: data.labels, datasets },
          options: {
            indexAxis: 'y',
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            plugins: { legend: { display: false } },
          },
        };
  box.style.height = `${chartHeight(data)}px`;
  chart = new Chart($('chart') as HTMLCanvasElement, config);
}

window.addEventListener('message', (event: MessageEvent) => {
  const m = event.data as ToPanel | undefined;
  if (!m || m.type !== 'state' || typeof m.state !== 'object' || m.state === null) return;
  const s = m.state;
  const redrawChart = !state || state.runId !== s.runId || state.phase !== s.phase || state.rows?.length !== s.rows?.length;
  if (state && state.runId !== s.runId) sort = undefined;
  state = s;
  $('title').textContent = s.title;
  $('subtitle').textContent = s.subtitle;
  renderStatus(s);
  renderTable(s);
  if (redrawChart) renderChart(s);
  document.body.dataset.phase = s.phase;
});

post({ type: 'ready' });
