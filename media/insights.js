// The analysis panel (webview). Draws the state the extension sends: progress with Insights'
// statistics, the error or the answer as a sortable table and a Chart.js chart themed with VS
// Code's colours. Every value is set with textContent: nothing from AWS is parsed as HTML.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const $ = (id) => document.getElementById(id);
  let state = null;
  let sort = { column: -1, dir: 'desc' };
  let chart = null;

  for (const id of ['cancel', 'rerun', 'exportCsv', 'exportJson', 'openQuery', 'openConsole']) {
    $(id).addEventListener('click', () => vscode.postMessage({ type: id }));
  }

  const css = (name, fallback) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
  const number = new Intl.NumberFormat('en');
  function bytes(n) {
    const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
    let i = 0;
    let v = n;
    while (Math.abs(v) >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
  }
  function cellText(column, value) {
    if (value === null || value === undefined) return '';
    if (column.type === 'time') return new Date(value).toISOString().replace('T', ' ').replace('.000Z', 'Z');
    if (column.type === 'number') return number.format(value);
    return String(value);
  }

  function renderStatus() {
    const box = $('status');
    box.textContent = '';
    box.className = '';
    const s = state.statistics || {};
    const stats = `${number.format(s.recordsScanned || 0)} records scanned, ${number.format(s.recordsMatched || 0)} matched, ${bytes(s.bytesScanned || 0)} scanned`;
    const line = document.createElement('div');
    if (state.phase === 'running') {
      line.textContent = `Running… ${stats}${state.bound ? ` · ${state.bound}` : ''}`;
      box.className = 'running';
    } else if (state.outcome) {
      line.textContent = `${state.outcome.summary} · ${stats}`;
      box.className = state.outcome.state === 'complete' ? 'ok' : state.outcome.state === 'partial' ? 'warn' : 'error';
    }
    box.appendChild(line);
    if (state.outcome && state.outcome.error) {
      const err = document.createElement('div');
      err.className = 'errorText';
      err.textContent = state.outcome.error.message;
      box.appendChild(err);
      const pos = state.outcome.error.position;
      if (pos && typeof state.query === 'string') {
        const pre = document.createElement('pre');
        pre.className = 'query';
        pre.appendChild(document.createTextNode(state.query.slice(0, pos.start)));
        const mark = document.createElement('mark');
        mark.textContent = state.query.slice(pos.start, Math.max(pos.end, pos.start + 1));
        pre.appendChild(mark);
        pre.appendChild(document.createTextNode(state.query.slice(Math.max(pos.end, pos.start + 1))));
        box.appendChild(pre);
      }
    }
    const parts = state.parts || [];
    if (parts.length > 1 || (parts.length === 1 && state.phase === 'running')) {
      const ul = document.createElement('ul');
      ul.className = 'parts';
      for (const p of parts) {
        const li = document.createElement('li');
        li.textContent = `${p.label}: ${p.state}${p.error ? ` (${p.error})` : ''}`;
        ul.appendChild(li);
      }
      box.appendChild(ul);
    }
    $('cancel').disabled = state.phase !== 'running';
    const has = !!(state.rows && state.rows.length);
    $('exportCsv').disabled = !has;
    $('exportJson').disabled = !has;
  }

  function sortedRows() {
    const rows = (state.rows || []).slice();
    if (sort.column < 0) return rows;
    const c = sort.column;
    const sign = sort.dir === 'asc' ? 1 : -1;
    return rows.sort((a, b) => {
      const x = a[c];
      const y = b[c];
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
      return sign * String(x).localeCompare(String(y), 'en', { numeric: true });
    });
  }

  function renderTable() {
    const box = $('tableBox');
    box.textContent = '';
    if (!state.columns || !state.rows) return;
    if (state.rows.length === 0) {
      const p = document.createElement('p');
      p.className = 'muted';
      p.textContent = state.phase === 'running' ? '' : 'No records matched.';
      box.appendChild(p);
      return;
    }
    const table = document.createElement('table');
    table.id = 'results';
    const head = table.createTHead().insertRow();
    state.columns.forEach((col, i) => {
      const th = document.createElement('th');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.textContent = col.title + (sort.column === i ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : '');
      th.setAttribute('aria-sort', sort.column === i ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
      button.addEventListener('click', () => {
        sort = { column: i, dir: sort.column === i && sort.dir === 'desc' ? 'asc' : 'desc' };
        renderTable();
      });
      th.appendChild(button);
      if (col.type === 'number' || col.type === 'port') th.className = 'num';
      head.appendChild(th);
    });
    if (state.canShowRecords) {
      // The action column: no header text (a "Records" header would read as a column of data).
      const th = document.createElement('th');
      th.className = 'actions';
      th.setAttribute('aria-label', 'Show records');
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const row of sortedRows().slice(0, 5000)) {
      const tr = body.insertRow();
      row.forEach((value, i) => {
        const td = tr.insertCell();
        td.textContent = cellText(state.columns[i], value);
        // The owner of an address or interface (issue 27), beside it.
        const name = state.names && typeof value === 'string' ? state.names[value] : undefined;
        if (typeof name === 'string') {
          const small = document.createElement('span');
          small.className = 'name';
          small.textContent = ` ${name}`;
          td.appendChild(small);
        }
        if (state.columns[i].type === 'number' || state.columns[i].type === 'port') td.className = 'num';
      });
      if (state.canShowRecords) {
        // The row's place in the answer as sent (sorting here only reorders the view).
        const index = state.rows.indexOf(row);
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'show-records';
        button.textContent = 'Show';
        button.title = "Show these records: the flow log's records filtered on this row, over the same time range";
        button.setAttribute('aria-label', 'Show the records of this row');
        button.addEventListener('click', () => vscode.postMessage({ type: 'showRecords', index }));
        tr.insertCell().appendChild(button);
      }
    }
    box.appendChild(table);
  }

  function renderChart() {
    const box = $('chartBox');
    if (chart) {
      chart.destroy();
      chart = null;
    }
    const cols = state.columns || [];
    const rows = state.rows || [];
    const value = cols.findIndex((c) => !c.key && c.type === 'number');
    if (!window.Chart || state.chart === 'none' || !rows.length || value < 0) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    const fg = css('--vscode-foreground', '#ccc');
    const grid = css('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
    const palette = [
      '--vscode-charts-blue',
      '--vscode-charts-orange',
      '--vscode-charts-green',
      '--vscode-charts-purple',
      '--vscode-charts-red',
      '--vscode-charts-yellow',
    ].map((v, i) => css(v, ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'][i]));
    window.Chart.defaults.color = fg;
    window.Chart.defaults.borderColor = grid;
    window.Chart.defaults.font.family = css('--vscode-font-family', 'sans-serif');
    let config;
    if (state.chart === 'timeSeries') {
      // One line per value of the second key (NODATA / SKIPDATA), else one per value column.
      const seriesKey = cols.findIndex((c, i) => i > 0 && c.key);
      const times = [...new Set(rows.map((r) => r[0]))].sort((a, b) => a - b);
      const labels = times.map((t) => new Date(t).toISOString().slice(5, 16).replace('T', ' '));
      let datasets;
      if (seriesKey > 0) {
        const names = [...new Set(rows.map((r) => r[seriesKey]))];
        datasets = names.map((name, i) => ({
          label: String(name),
          borderColor: palette[i % palette.length],
          backgroundColor: palette[i % palette.length],
          pointRadius: 0,
          data: times.map((t) => {
            const r = rows.find((x) => x[0] === t && x[seriesKey] === name);
            return r ? r[value] : 0;
          }),
        }));
      } else {
        datasets = [
          {
            label: cols[value].title,
            borderColor: palette[0],
            backgroundColor: palette[0],
            pointRadius: 0,
            data: times.map((t) => rows.find((x) => x[0] === t)[value]),
          },
        ];
      }
      config = {
        type: 'line',
        data: { labels, datasets },
        options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
      };
    } else {
      const top = rows.slice(0, 20);
      const keys = cols.map((c, i) => (c.key ? i : -1)).filter((i) => i >= 0);
      const labels = top.map((r) => keys.map((i) => cellText(cols[i], r[i])).join(' → '));
      config = {
        type: 'bar',
        data: { labels, datasets: [{ label: cols[value].title, data: top.map((r) => r[value]), backgroundColor: palette[0] }] },
        options: {
          indexAxis: 'y',
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
        },
      };
    }
    box.style.height = state.chart === 'timeSeries' ? '260px' : `${Math.max(120, Math.min(rows.length, 20) * 22 + 40)}px`;
    chart = new window.Chart($('chart'), config);
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || m.type !== 'state' || typeof m.state !== 'object') return;
    const first = !state || state.runId !== m.state.runId;
    state = m.state;
    if (first) sort = { column: -1, dir: 'desc' };
    $('title').textContent = state.title || '';
    $('subtitle').textContent = state.subtitle || '';
    renderStatus();
    renderTable();
    if (state.phase !== 'running') renderChart();
    document.body.dataset.phase = state.phase;
    document.body.dataset.outcome = state.outcome ? state.outcome.state : '';
  });
  vscode.postMessage({ type: 'ready' });
})();
