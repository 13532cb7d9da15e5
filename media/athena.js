// The Athena answer panel (webview). Draws the state the extension sends: the query's live state
// with data scanned, engine time and cost, the error with its action, or the answer as a table.
// Every value is set with textContent: nothing from AWS is parsed as HTML.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const $ = (id) => document.getElementById(id);
  let state = null;
  for (const id of ['cancel', 'more', 'exportCsv', 'exportJson', 'openQuery', 'action']) {
    $(id).addEventListener('click', () => vscode.postMessage({ type: id }));
  }
  const number = new Intl.NumberFormat('en');
  function cellText(column, value) {
    if (value === null || value === undefined) return '';
    if (column.type === 'time') return new Date(value).toISOString().replace('T', ' ').replace('.000Z', 'Z');
    if (column.type === 'number') return number.format(value);
    return String(value);
  }
  function render() {
    $('title').textContent = state.title || '';
    $('subtitle').textContent = state.subtitle || '';
    const box = $('status');
    box.textContent = '';
    box.className = state.phase === 'running' ? 'running' : state.phase === 'error' ? 'error' : 'ok';
    const line = document.createElement('div');
    line.textContent = state.status || '';
    box.appendChild(line);
    const q = $('query');
    q.hidden = true;
    q.textContent = '';
    if (state.error) {
      const err = document.createElement('div');
      err.className = 'errorText';
      err.textContent = state.error.message;
      box.appendChild(err);
      const pos = state.error.position;
      if (pos && typeof state.query === 'string') {
        const lines = state.query.split('\n');
        const at = lines.slice(0, pos.line - 1).reduce((n, l) => n + l.length + 1, 0) + pos.column - 1;
        q.appendChild(document.createTextNode(state.query.slice(0, at)));
        const mark = document.createElement('mark');
        mark.textContent = state.query.slice(at, at + 1) || ' ';
        q.appendChild(mark);
        q.appendChild(document.createTextNode(state.query.slice(at + 1)));
        q.hidden = false;
      }
    }
    $('action').hidden = !state.actionLabel;
    $('action').textContent = state.actionLabel || '';
    $('cancel').disabled = state.phase !== 'running';
    $('more').hidden = !state.more;
    const has = !!(state.rows && state.rows.length);
    $('exportCsv').disabled = !has;
    $('exportJson').disabled = !has;
    const tableBox = $('tableBox');
    tableBox.textContent = '';
    if (!state.columns || !state.rows) return;
    if (state.rows.length === 0) {
      const p = document.createElement('p');
      p.textContent = 'No records matched.';
      tableBox.appendChild(p);
      return;
    }
    const table = document.createElement('table');
    const head = document.createElement('tr');
    for (const col of state.columns) {
      const th = document.createElement('th');
      th.textContent = col.title;
      if (col.type === 'number' || col.type === 'port') th.className = 'num';
      head.appendChild(th);
    }
    table.appendChild(head);
    for (const row of state.rows) {
      const tr = document.createElement('tr');
      row.forEach((value, i) => {
        const td = document.createElement('td');
        td.textContent = cellText(state.columns[i], value);
        if (state.columns[i].type === 'number' || state.columns[i].type === 'port') td.className = 'num';
        tr.appendChild(td);
      });
      table.appendChild(tr);
    }
    tableBox.appendChild(table);
    if (state.more) {
      const p = document.createElement('p');
      p.className = 'muted';
      p.textContent = `${number.format(state.rows.length)} of ${number.format(state.total)} rows shown`;
      tableBox.appendChild(p);
    }
  }
  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || m.type !== 'state' || typeof m.state !== 'object') return;
    state = m.state;
    render();
    document.body.dataset.phase = state.phase;
  });
  vscode.postMessage({ type: 'ready' });
})();
