// Script of the records webview. Plain browser JS, loaded by <script nonce src>: no inline
// handlers, no eval, no innerHTML with data (textContent only). It shows what the extension
// sends and posts requests back; the extension validates every message (src/records/panelMessages.ts).
(function () {
  'use strict';
  var vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  function post(m) {
    if (vscode) vscode.postMessage(m);
  }
  function $(id) {
    return document.getElementById(id);
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // The typed pure parts (src/webviews/records/pageText.ts, bundled as media/dist/recordsPage.js).
  var RP = window.RecordsPage;
  var visibleText = RP ? RP.visibleText : String;
  var ROW_H = 22;
  var S = {
    init: null,
    fields: [],
    rows: [],
    order: [],
    sortKey: null,
    sortDir: 1,
    columns: [],
    selected: -1,
    focusCol: 0,
    status: 'idle',
    query: null,
    requestedMore: false,
    sum: null,
    // Address names (issue 27): name map by address, addresses asked and answered.
    names: Object.create(null),
    asked: Object.create(null),
    answered: Object.create(null),
  };
  var saved = (vscode && vscode.getState()) || {};

  // ---------------------------------------------------------------- decoding (tables from the extension)
  function humanBytes(v) {
    if (!/^\d+$/.test(v)) return v;
    var n = Number(v),
      u = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'],
      i = 0;
    while (n >= 1024 && i < u.length - 1) {
      n /= 1024;
      i++;
    }
    return i === 0 ? n + ' B' : (n < 10 ? n.toFixed(1) : Math.round(n)) + ' ' + u[i];
  }
  var FLAGS = [
    [1, 'FIN'],
    [2, 'SYN'],
    [4, 'RST'],
    [8, 'PSH'],
    [16, 'ACK'],
    [32, 'URG'],
    [64, 'ECE'],
    [128, 'CWR'],
  ];
  function tcpFlags(v) {
    if (!/^\d+$/.test(v)) return v;
    var n = Number(v);
    if (n === 0) return 'none';
    return FLAGS.filter(function (f) {
      return n & f[0];
    })
      .map(function (f) {
        return f[1];
      })
      .join(' ');
  }
  function localTime(ms) {
    var d = new Date(ms);
    function p(x) {
      return String(x).padStart(2, '0');
    }
    return (
      d.getFullYear() +
      '-' +
      p(d.getMonth() + 1) +
      '-' +
      p(d.getDate()) +
      ' ' +
      p(d.getHours()) +
      ':' +
      p(d.getMinutes()) +
      ':' +
      p(d.getSeconds())
    );
  }
  /** [shown text, title] of a value. */
  function display(field, v) {
    if (v === '-' || v === '') return [v, field.name + ': no value'];
    var t = S.init.tables;
    switch (field.kind) {
      case 'protocol':
        return [t.protocols[v] ? t.protocols[v] : v, 'protocol ' + v];
      case 'tcpFlags':
        return [tcpFlags(v), 'tcp-flags ' + v];
      case 'time':
        return /^\d+$/.test(v) ? [localTime(Number(v) * 1000), new Date(Number(v) * 1000).toISOString() + ' (' + v + ')'] : [v, v];
      default:
        if (field.name === 'bytes') return [humanBytes(v), v + ' bytes'];
        if (field.name === 'traffic-path' && t.trafficPaths[v]) return [v, t.trafficPaths[v]];
        if (field.name === 'reject-reason' && t.rejectReasons[v]) return [v, t.rejectReasons[v]];
        if (field.name === 'log-status' && t.logStatus[v]) return [v, t.logStatus[v]];
        if (field.name === 'flow-direction' && t.flowDirection[v]) return [v, t.flowDirection[v]];
        return [v, v];
    }
  }
  function meaning(field, v) {
    var d = display(field, v);
    return d[0] !== v ? d[0] + (d[1] !== v && d[1] !== d[0] ? ' · ' + d[1] : '') : d[1] !== v ? d[1] : '';
  }

  // ---------------------------------------------------------------- columns
  // Column keys: '@time' (event time) and field indexes as strings.
  function columnDefs() {
    var defs = [{ key: '@time', label: 'event time' }];
    S.fields.forEach(function (f, i) {
      defs.push({ key: String(i), label: f.name, field: f, index: i });
    });
    if (RP && RP.nameColumns)
      RP.nameColumns(fieldNames()).forEach(function (label) {
        var src = label === RP.SOURCE_NAME;
        defs.push({ key: src ? '@srcname' : '@dstname', label: label, side: src ? 'src' : 'dst' });
      });
    return defs;
  }
  // ---------------------------------------------------------------- address names (issue 27)
  function fieldIndex(names) {
    for (var n = 0; n < names.length; n++) for (var i = 0; i < S.fields.length; i++) if (S.fields[i].name === names[n]) return i;
    return -1;
  }
  function addressOf(rec, side) {
    var i = fieldIndex(side === 'src' ? ['srcaddr', 'pkt-srcaddr'] : ['dstaddr', 'pkt-dstaddr']);
    var v = i >= 0 ? rec.v[i] : '';
    return v && v !== '-' ? v : '';
  }
  function interfaceOf(rec) {
    var i = fieldIndex(['interface-id']);
    var v = i >= 0 ? rec.v[i] : '';
    return /^eni-[0-9a-f]{8,17}$/.test(v || '') ? v : '';
  }
  function nameText(addr) {
    if (!addr) return '';
    var n = S.names[addr];
    if (n) return n.label;
    return S.asked[addr] && !S.answered[addr] ? '…' : '';
  }
  var namesTimer;
  var MAX_NAMES = 500;
  // Asks the panel (debounced) for the names of the given addresses not asked yet, 500 at most.
  function askNames(addresses, now) {
    var want = [];
    for (var i = 0; i < addresses.length && want.length < MAX_NAMES; i++) {
      var a = addresses[i];
      if (a && !S.asked[a] && want.indexOf(a) < 0) want.push(a);
    }
    if (!want.length) return;
    want.forEach(function (a) {
      S.asked[a] = true;
    });
    S.pendingNames = (S.pendingNames || []).concat(want).slice(0, MAX_NAMES);
    clearTimeout(namesTimer);
    namesTimer = setTimeout(
      function () {
        var batch = S.pendingNames || [];
        S.pendingNames = [];
        if (batch.length) post({ type: 'names', addresses: batch });
      },
      now ? 0 : 200,
    );
  }
  function askVisibleNames(first, last, cols) {
    var sides = cols
      .filter(function (c) {
        return c.side;
      })
      .map(function (c) {
        return c.side;
      });
    if (!sides.length) return;
    var want = [];
    for (var i = first; i < last; i++) {
      var rec = S.rows[S.order[i]];
      if (!rec) continue;
      sides.forEach(function (side) {
        var a = addressOf(rec, side);
        if (a) want.push(a);
      });
    }
    askNames(want, false);
  }
  function fieldNames() {
    return S.fields.map(function (f) {
      return f.name;
    });
  }
  // The shown columns in order: the user's choice in the user's order, or the default order
  // (source, destination, ports, protocol, action, bytes, then the rest).
  function shownLabels() {
    if (RP) return RP.shownColumns(fieldNames(), S.columns);
    return S.columns.length
      ? S.columns
      : columnDefs().map(function (d) {
          return d.label;
        });
  }
  function defByLabel(label) {
    return columnDefs().filter(function (d) {
      return d.label === label;
    })[0];
  }
  function visibleColumns() {
    return shownLabels()
      .map(defByLabel)
      .filter(function (d) {
        return !!d;
      });
  }
  function renderColumnChooser() {
    var box = $('columns');
    box.textContent = '';
    var vis = shownLabels();
    var order = RP
      ? RP.chooserOrder(fieldNames(), vis)
          .map(defByLabel)
          .filter(function (d) {
            return !!d;
          })
      : columnDefs();
    order.forEach(function (d) {
      var lab = el('label', 'col-choice');
      var cb = document.createElement('input');
      cb.type = 'checkbox';
      cb.checked = vis.indexOf(d.label) >= 0;
      cb.setAttribute('data-col', d.label);
      lab.appendChild(cb);
      lab.appendChild(document.createTextNode(' ' + d.label));
      box.appendChild(lab);
    });
  }
  $('columns').addEventListener('change', function () {
    var chosen = [];
    Array.prototype.forEach.call($('columns').querySelectorAll('input[data-col]'), function (cb) {
      if (cb.checked) chosen.push(cb.getAttribute('data-col'));
    });
    if (!chosen.length) return;
    // The columns still checked keep the user's order; a newly checked one goes last.
    if (RP) chosen = RP.chooseColumns(shownLabels(), chosen);
    S.columns = chosen;
    post({ type: 'columns', columns: chosen });
    saveState();
    renderHeader();
    renderRows(true);
  });

  // ---------------------------------------------------------------- table
  function cellValue(rec, col) {
    if (col.side) return nameText(addressOf(rec, col.side));
    return col.key === '@time' ? rec.t : rec.v[col.index];
  }
  function renderHeader() {
    var head = $('thead');
    head.textContent = '';
    visibleColumns().forEach(function (c) {
      var h = el('div', 'th' + (c.field && c.field.kind === 'time' ? ' time' : ''), c.label);
      h.setAttribute('role', 'columnheader');
      h.setAttribute('data-sort', c.key);
      if (c.field && c.field.description) h.title = c.field.description;
      if (S.sortKey === c.key) {
        h.setAttribute('aria-sort', S.sortDir > 0 ? 'ascending' : 'descending');
        h.appendChild(el('span', 'codicon codicon-' + (S.sortDir > 0 ? 'arrow-up' : 'arrow-down')));
      }
      head.appendChild(h);
    });
  }
  function numericKind(c) {
    return (
      c.key === '@time' ||
      (c.field &&
        (c.field.kind === 'int' ||
          c.field.kind === 'port' ||
          c.field.kind === 'time' ||
          c.field.kind === 'protocol' ||
          c.field.kind === 'tcpFlags'))
    );
  }
  function applySort() {
    var n = S.rows.length;
    S.order = new Array(n);
    for (var i = 0; i < n; i++) S.order[i] = i;
    if (S.sortKey === null) return;
    var col = columnDefs().filter(function (d) {
      return d.key === S.sortKey;
    })[0];
    if (!col) return;
    var num = numericKind(col),
      dir = S.sortDir,
      rows = S.rows;
    var keys = new Array(n);
    for (var j = 0; j < n; j++) {
      var v = cellValue(rows[j], col);
      keys[j] = num ? (typeof v === 'number' ? v : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : -Infinity) : String(v);
    }
    S.order.sort(function (a, b) {
      var x = keys[a],
        y = keys[b];
      return x < y ? -dir : x > y ? dir : a - b;
    });
  }
  $('thead').addEventListener('click', function (e) {
    var h = e.target.closest ? e.target.closest('[data-sort]') : null;
    if (!h) return;
    var key = h.getAttribute('data-sort');
    if (S.sortKey === key) S.sortDir = -S.sortDir;
    else {
      S.sortKey = key;
      S.sortDir = 1;
    }
    applySort();
    renderHeader();
    renderRows(true);
  });

  var viewport = $('viewport');
  var lastRange = '';
  function renderRows(force) {
    var total = S.order.length;
    $('spacer').style.height = total * ROW_H + 'px';
    var top = viewport.scrollTop,
      h = viewport.clientHeight || 400;
    var first = Math.max(0, Math.floor(top / ROW_H) - 10);
    var last = Math.min(total, Math.ceil((top + h) / ROW_H) + 10);
    var key = first + ':' + last + ':' + total + ':' + S.selected + ':' + S.focusCol;
    if (!force && key === lastRange) return;
    lastRange = key;
    var box = $('rows');
    box.style.transform = 'translateY(' + first * ROW_H + 'px)';
    box.textContent = '';
    var cols = visibleColumns();
    var frag = document.createDocumentFragment();
    for (var i = first; i < last; i++) {
      var rec = S.rows[S.order[i]];
      var row = el('div', 'tr' + (i === S.selected ? ' selected' : '') + (rec.bad ? ' bad' : ''));
      row.setAttribute('role', 'row');
      row.setAttribute('data-row', String(i));
      row.setAttribute('aria-rowindex', String(i + 1));
      if (rec.bad) row.title = 'Does not fit the format (' + rec.bad + '): ' + visibleText(rec.raw || '');
      for (var c = 0; c < cols.length; c++) {
        var col = cols[c];
        var td;
        if (col.side) {
          var addr = addressOf(rec, col.side);
          td = el('div', 'td name', visibleText(nameText(addr)));
          var nm = S.names[addr];
          td.title = nm ? visibleText(nm.label + ' · ' + nm.kind + (nm.interfaceId ? ' · ' + nm.interfaceId : '')) : addr;
        } else if (col.key === '@time') {
          td = el('div', 'td', localTime(rec.t));
          td.title = new Date(rec.t).toISOString() + (rec.s ? ' · ' + rec.s : '');
        } else {
          var v = rec.v[col.index];
          var d = display(col.field, v);
          td = el(
            'div',
            'td' +
              (col.field.kind === 'time' ? ' time' : '') +
              (col.field.name === 'action' ? ' action-' + v : '') +
              (v === '-' ? ' none' : ''),
            visibleText(d[0]),
          );
          td.title = visibleText(d[1]);
        }
        td.setAttribute('role', 'gridcell');
        td.setAttribute('data-col', String(c));
        if (i === S.selected && c === S.focusCol) td.classList.add('focus');
        row.appendChild(td);
      }
      frag.appendChild(row);
    }
    box.appendChild(frag);
    askVisibleNames(first, last, cols);
    maybeAutoLoad(top, h, total);
  }
  viewport.addEventListener('scroll', function () {
    renderRows(false);
  });
  window.addEventListener('resize', function () {
    renderRows(true);
  });

  function maybeAutoLoad(top, h, total) {
    if (S.status !== 'more' || S.requestedMore || S.sortKey !== null) return;
    if (top + h >= total * ROW_H - ROW_H * 20) {
      S.requestedMore = true;
      post({ type: 'loadMore' });
    }
  }

  function select(i, col) {
    var total = S.order.length;
    if (!total) return;
    S.selected = Math.max(0, Math.min(total - 1, i));
    if (col !== undefined) S.focusCol = Math.max(0, Math.min(visibleColumns().length - 1, col));
    var y = S.selected * ROW_H;
    if (y < viewport.scrollTop) viewport.scrollTop = y;
    else if (y + 2 * ROW_H > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = y + 2 * ROW_H - viewport.clientHeight;
    renderRows(true);
    renderDetails();
  }
  $('rows').addEventListener('click', function (e) {
    var td = e.target.closest ? e.target.closest('[data-col]') : null;
    var tr = e.target.closest ? e.target.closest('[data-row]') : null;
    if (!tr) return;
    hideMenu();
    select(Number(tr.getAttribute('data-row')), td ? Number(td.getAttribute('data-col')) : undefined);
    $('table').focus();
  });
  $('rows').addEventListener('contextmenu', function (e) {
    var td = e.target.closest ? e.target.closest('[data-col]') : null;
    var tr = e.target.closest ? e.target.closest('[data-row]') : null;
    if (!tr || !td) return;
    e.preventDefault();
    select(Number(tr.getAttribute('data-row')), Number(td.getAttribute('data-col')));
    showMenu(e.clientX, e.clientY);
  });

  function focusedCell() {
    if (S.selected < 0) return null;
    var rec = S.rows[S.order[S.selected]];
    var col = visibleColumns()[S.focusCol];
    if (!rec || !col) return null;
    var value = col.side ? nameText(addressOf(rec, col.side)) : col.key === '@time' ? new Date(rec.t).toISOString() : rec.v[col.index];
    return { rec: rec, col: col, value: value };
  }
  function rowText(rec) {
    return S.fields
      .map(function (f, i) {
        return rec.v[i];
      })
      .join(' ');
  }
  $('table').addEventListener('keydown', function (e) {
    var page = Math.max(1, Math.floor(viewport.clientHeight / ROW_H) - 1);
    var k = e.key;
    if (k === 'ArrowDown') select(S.selected + 1);
    else if (k === 'ArrowUp') select(S.selected - 1);
    else if (k === 'PageDown') select(S.selected + page);
    else if (k === 'PageUp') select(S.selected - page);
    else if (k === 'Home') select(0);
    else if (k === 'End') select(S.order.length - 1);
    else if (k === 'ArrowRight') select(S.selected, S.focusCol + 1);
    else if (k === 'ArrowLeft') select(S.selected, S.focusCol - 1);
    else if ((e.ctrlKey || e.metaKey) && k === 'c') {
      var c = focusedCell();
      if (c) post({ type: 'copy', text: e.shiftKey ? rowText(c.rec) : c.value });
    } else if (k === 'f') {
      var fc = focusedCell();
      if (fc) filterBy(fc, false);
    } else if (k === 'Escape') hideMenu();
    else return;
    e.preventDefault();
  });

  // ---------------------------------------------------------------- cell menu
  var menu = el('div', 'menu');
  menu.hidden = true;
  menu.setAttribute('role', 'menu');
  [
    ['filter', 'Filter by this value'],
    ['exclude', 'Exclude this value'],
    ['copy', 'Copy value'],
    ['copyRow', 'Copy row'],
    ['explain', 'Explain this record'],
  ].forEach(function (x) {
    var b = el('button', 'menu-item', x[1]);
    b.type = 'button';
    b.setAttribute('data-menu', x[0]);
    b.setAttribute('role', 'menuitem');
    menu.appendChild(b);
  });
  document.body.appendChild(menu);
  function showMenu(x, y) {
    menu.hidden = false;
    menu.style.left = Math.min(x, window.innerWidth - 200) + 'px';
    menu.style.top = Math.min(y, window.innerHeight - 120) + 'px';
    var first = menu.querySelector('button');
    if (first) first.focus();
  }
  function hideMenu() {
    menu.hidden = true;
  }
  menu.addEventListener('click', function (e) {
    var b = e.target.closest ? e.target.closest('[data-menu]') : null;
    if (!b) return;
    var c = focusedCell();
    hideMenu();
    if (!c) return;
    var what = b.getAttribute('data-menu');
    if (what === 'filter') filterBy(c, false);
    else if (what === 'exclude') filterBy(c, true);
    else if (what === 'copy') post({ type: 'copy', text: c.value });
    else if (what === 'explain') explain(c.rec);
    else post({ type: 'copy', text: rowText(c.rec) });
  });
  document.addEventListener('click', function (e) {
    if (!menu.contains(e.target)) hideMenu();
  });

  // Explain this record (flowLogs.explainRecord): the record's fields the panel passes on, by name.
  var EXPLAIN_FIELDS = [
    'interface-id',
    'srcaddr',
    'dstaddr',
    'srcport',
    'dstport',
    'protocol',
    'action',
    'flow-direction',
    'reject-reason',
    'tcp-flags',
    'pkt-src-aws-service',
    'pkt-dst-aws-service',
  ];
  function explain(rec) {
    if (!interfaceOf(rec)) {
      $('progress').textContent = 'This record has no interface ID: there is nothing to explain.';
      return;
    }
    var record = {};
    EXPLAIN_FIELDS.forEach(function (name) {
      var i = fieldIndex([name]);
      if (i >= 0 && typeof rec.v[i] === 'string' && rec.v[i].length <= 100) record[name] = rec.v[i];
    });
    post({ type: 'explain', record: record });
  }
  // "Filter by this resource" on a name column: a filter on the address field by every address
  // the resource has (the filter model takes addresses, not names; a comma list means any of).
  function nameFilter(rec, side) {
    var addr = addressOf(rec, side);
    if (!addr) return null;
    var n = S.names[addr];
    var field = S.fields[fieldIndex(side === 'src' ? ['srcaddr', 'pkt-srcaddr'] : ['dstaddr', 'pkt-dstaddr'])].name;
    return { field: field, value: RP.resourceFilterValue(addr, n && n.addresses) };
  }
  function filterBy(c, exclude) {
    if (c.col.key === '@time') return;
    if (c.col.side) {
      var nf = nameFilter(c.rec, c.col.side);
      if (!nf) return;
      addFilterRow(nf.field, (exclude ? '!' : '') + nf.value);
      run();
      return;
    }
    addFilterRow(c.col.field.name, (exclude ? '!' : '') + c.value);
    run();
  }

  // ---------------------------------------------------------------- details
  function renderDetails() {
    var box = $('details');
    var c = S.selected >= 0 ? S.rows[S.order[S.selected]] : null;
    if (!c) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    box.textContent = '';
    var head = el('div', 'details-head');
    head.appendChild(el('strong', '', 'Record ' + (S.selected + 1) + ' of ' + S.order.length));
    var close = el('button', 'icon', '×');
    close.type = 'button';
    close.title = 'Close details';
    close.setAttribute('data-details', 'close');
    head.appendChild(close);
    box.appendChild(head);
    var dl = el('dl');
    function item(name, value, extra, fieldName) {
      var dt = el('dt', '', name);
      var dd = el('dd');
      dd.appendChild(el('code', '', visibleText(value)));
      if (extra) dd.appendChild(el('div', 'muted', visibleText(extra)));
      if (fieldName) {
        var f = el('button', 'small', 'Filter');
        f.type = 'button';
        f.setAttribute('data-details', 'filter');
        f.setAttribute('data-field', fieldName);
        f.setAttribute('data-value', value);
        dd.appendChild(f);
      }
      var cp = el('button', 'small', 'Copy');
      cp.type = 'button';
      cp.setAttribute('data-details', 'copy');
      cp.setAttribute('data-value', value);
      dd.appendChild(cp);
      dl.appendChild(dt);
      dl.appendChild(dd);
    }
    // Who each end is (issue 27): asked for at once, shown when the panel answers.
    var ends = [
      ['source', addressOf(c, 'src')],
      ['destination', addressOf(c, 'dst')],
      ['interface', interfaceOf(c)],
    ];
    askNames(
      ends.map(function (x) {
        return x[1];
      }),
      true,
    );
    if (interfaceOf(c)) {
      var ex = el('button', 'small primary', 'Explain');
      ex.type = 'button';
      ex.title = 'Explain this record: which security group or network ACL rule decided it';
      ex.setAttribute('data-details', 'explain');
      head.insertBefore(ex, close);
    }
    ends.forEach(function (x) {
      if (!x[1]) return;
      var n = S.names[x[1]];
      var dt = el('dt', '', x[0] + ' resource');
      var dd = el('dd', 'resource');
      dd.setAttribute('data-end', x[0]);
      if (!n) {
        dd.appendChild(el('span', 'muted', S.asked[x[1]] && !S.answered[x[1]] ? 'looking up ' + x[1] + '…' : x[1] + ': not named'));
      } else {
        dd.appendChild(el('strong', 'resource-label', visibleText(n.label)));
        if (n.kind !== n.label) dd.appendChild(el('span', 'muted', ' ' + n.kind));
        var facts = [];
        if (n.interfaceId) facts.push('interface ' + n.interfaceId);
        if (n.subnetId) facts.push('subnet ' + n.subnetId);
        if (n.vpcId) facts.push('VPC ' + n.vpcId);
        if (n.groups && n.groups.length) facts.push('security groups ' + n.groups.join(', '));
        if (facts.length) dd.appendChild(el('div', 'muted', visibleText(facts.join(' · '))));
        var cp = el('button', 'small', 'Copy');
        cp.type = 'button';
        cp.setAttribute('data-details', 'copy');
        cp.setAttribute('data-value', [n.label].concat(facts).join(' · '));
        dd.appendChild(cp);
        // Filter by this resource: the interface by its ID, an end by every address it has.
        var fb = el('button', 'small', 'Filter by this resource');
        fb.type = 'button';
        fb.setAttribute('data-details', 'filter');
        if (x[0] === 'interface') {
          fb.setAttribute('data-field', 'interface-id');
          fb.setAttribute('data-value', x[1]);
        } else {
          var nf = nameFilter(c, x[0] === 'source' ? 'src' : 'dst');
          fb.setAttribute('data-field', nf ? nf.field : '');
          fb.setAttribute('data-value', nf ? nf.value : x[1]);
        }
        dd.appendChild(fb);
        (n.openable || []).slice(0, 3).forEach(function (id) {
          var o = el('button', 'small', 'Open ' + id + ' in Console');
          o.type = 'button';
          o.setAttribute('data-details', 'open');
          o.setAttribute('data-id', id);
          dd.appendChild(o);
        });
      }
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    item('event time', new Date(c.t).toISOString(), localTime(c.t) + ' local');
    if (c.s) item('log stream', c.s);
    if (c.bad) item('problem', c.bad, c.raw || '');
    S.fields.forEach(function (f, i) {
      item(
        f.name,
        c.v[i],
        meaning(f, c.v[i]) || (f.known ? '' : 'field unknown to this extension (kept as text)'),
        c.v[i] === '' ? undefined : f.name,
      );
    });
    box.appendChild(dl);
  }
  $('details').addEventListener('click', function (e) {
    var b = e.target.closest ? e.target.closest('[data-details]') : null;
    if (!b) return;
    var what = b.getAttribute('data-details');
    if (what === 'close') {
      S.selected = -1;
      renderDetails();
      renderRows(true);
    } else if (what === 'copy') post({ type: 'copy', text: b.getAttribute('data-value') || '' });
    else if (what === 'open') post({ type: 'openResource', id: b.getAttribute('data-id') || '' });
    else if (what === 'explain') {
      var rec = S.selected >= 0 ? S.rows[S.order[S.selected]] : null;
      if (rec) explain(rec);
    } else if (what === 'filter') {
      addFilterRow(b.getAttribute('data-field'), b.getAttribute('data-value') || '');
      run();
    }
  });

  // ---------------------------------------------------------------- summary
  function resetSummary() {
    S.sum = { n: 0, bytes: 0, accept: 0, reject: 0, nodata: 0, bad: 0, minT: Infinity, maxT: -Infinity, src: new Set(), dst: new Set() };
  }
  function addToSummary(recs) {
    var s = S.sum,
      ix = {};
    S.fields.forEach(function (f, i) {
      if (!(f.name in ix)) ix[f.name] = i;
    });
    for (var i = 0; i < recs.length; i++) {
      var r = recs[i];
      s.n++;
      if (r.bad) s.bad++;
      if (ix.bytes !== undefined && /^\d+$/.test(r.v[ix.bytes])) s.bytes += Number(r.v[ix.bytes]);
      if (ix.action !== undefined) {
        if (r.v[ix.action] === 'ACCEPT') s.accept++;
        else if (r.v[ix.action] === 'REJECT') s.reject++;
      }
      if (ix['log-status'] !== undefined && r.v[ix['log-status']] !== 'OK') s.nodata++;
      if (r.t < s.minT) s.minT = r.t;
      if (r.t > s.maxT) s.maxT = r.t;
      if (ix.srcaddr !== undefined && s.src.size < 1e6) s.src.add(r.v[ix.srcaddr]);
      if (ix.dstaddr !== undefined && s.dst.size < 1e6) s.dst.add(r.v[ix.dstaddr]);
    }
  }
  function renderSummary() {
    var s = S.sum,
      box = $('summary');
    box.textContent = '';
    function chip(label, value, id) {
      var c = el('span', 'chip');
      if (id) c.id = id;
      c.appendChild(el('span', 'muted', label + ' '));
      c.appendChild(el('strong', '', value));
      box.appendChild(c);
    }
    chip('records', s.n.toLocaleString(), 'sum-records');
    if (
      S.fields.some(function (f) {
        return f.name === 'bytes';
      })
    )
      chip('bytes', humanBytes(String(s.bytes)));
    if (
      S.fields.some(function (f) {
        return f.name === 'action';
      })
    ) {
      chip('accepted', s.accept.toLocaleString());
      chip('rejected', s.reject.toLocaleString(), 'sum-rejected');
    }
    if (s.nodata) chip('NODATA/SKIPDATA', s.nodata.toLocaleString());
    if (s.bad) chip('not fitting the format', s.bad.toLocaleString());
    if (s.n) chip('time', localTime(s.minT) + ' – ' + localTime(s.maxT));
    if (
      S.fields.some(function (f) {
        return f.name === 'srcaddr';
      })
    )
      chip('sources', s.src.size.toLocaleString());
    if (
      S.fields.some(function (f) {
        return f.name === 'dstaddr';
      })
    )
      chip('destinations', s.dst.size.toLocaleString());
  }

  // ---------------------------------------------------------------- filters and range
  function addFilterRow(field, value) {
    var rows = $('filter-rows');
    // Reuse an empty row for the same field.
    var row = el('div', 'filter-row');
    var sel = document.createElement('select');
    sel.setAttribute('aria-label', 'Field');
    (S.init ? S.init.filterable : []).forEach(function (f) {
      var o = el('option', '', f.label);
      o.value = f.field;
      o.title = f.hint;
      sel.appendChild(o);
    });
    if (field) sel.value = field;
    var inp = document.createElement('input');
    inp.type = 'text';
    inp.setAttribute('aria-label', 'Value');
    inp.spellcheck = false;
    inp.value = value || '';
    function hint() {
      var f = (S.init ? S.init.filterable : []).filter(function (x) {
        return x.field === sel.value;
      })[0];
      inp.placeholder = f ? f.hint + ' (! negates)' : '';
    }
    sel.addEventListener('change', hint);
    hint();
    inp.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') run();
    });
    var rm = el('button', 'icon', '×');
    rm.type = 'button';
    rm.title = 'Remove this filter';
    rm.addEventListener('click', function () {
      row.remove();
    });
    row.appendChild(sel);
    row.appendChild(inp);
    row.appendChild(rm);
    rows.appendChild(row);
    return inp;
  }
  function currentFilters() {
    var out = [];
    Array.prototype.forEach.call($('filter-rows').querySelectorAll('.filter-row'), function (r) {
      var v = r.querySelector('input').value.trim();
      if (v) out.push({ field: r.querySelector('select').value, value: v });
    });
    return out;
  }
  function toLocalInput(ms, utc) {
    var d = new Date(ms);
    function p(x) {
      return String(x).padStart(2, '0');
    }
    return utc
      ? d.getUTCFullYear() + '-' + p(d.getUTCMonth() + 1) + '-' + p(d.getUTCDate()) + 'T' + p(d.getUTCHours()) + ':' + p(d.getUTCMinutes())
      : d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
  }
  function fromInput(v, utc) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return NaN;
    return utc ? Date.parse(v.slice(0, 16) + ':00Z') : new Date(v.slice(0, 16)).getTime();
  }
  $('preset').addEventListener('change', function () {
    var custom = $('preset').value === 'custom';
    $('custom').hidden = !custom;
    if (custom && !$('from').value) {
      var utc = $('zone').value === 'utc',
        now = Date.now();
      $('from').value = toLocalInput(now - 3600000, utc);
      $('to').value = toLocalInput(now, utc);
    }
  });
  function currentQuery() {
    var preset = $('preset').value,
      range;
    if (preset === 'custom') {
      var utc = $('zone').value === 'utc';
      range = { startMs: fromInput($('from').value, utc), endMs: fromInput($('to').value, utc) };
      if (!isFinite(range.startMs) || !isFinite(range.endMs)) return null;
    } else range = { preset: preset };
    var q = { range: range, filters: currentFilters() };
    var raw = $('raw-pattern').value.trim();
    if (raw) q.rawPattern = raw;
    return q;
  }
  function run() {
    var q = currentQuery();
    if (!q) {
      showState({ status: 'error', error: { message: 'Enter a start and an end time (to the minute)', actions: [] } });
      return;
    }
    post({ type: 'run', query: q });
  }
  function syncControls(q) {
    if (!q) return;
    if (q.range.preset) {
      $('preset').value = q.range.preset;
      $('custom').hidden = true;
    } else {
      $('preset').value = 'custom';
      $('custom').hidden = false;
      var utc = $('zone').value === 'utc';
      $('from').value = toLocalInput(q.range.startMs, utc);
      $('to').value = toLocalInput(q.range.endMs, utc);
    }
    $('filter-rows').textContent = '';
    (q.filters || []).forEach(function (f) {
      addFilterRow(f.field, f.value);
    });
    $('raw-pattern').value = q.rawPattern || '';
    if (q.rawPattern) $('advanced').open = true;
  }

  // ---------------------------------------------------------------- state
  function fmtTime(ms) {
    return ms === undefined || ms === null ? '' : localTime(ms);
  }
  // S3 sources: objects and bytes read of those listed so far, and the objects skipped (named).
  function s3Progress(s) {
    if (!s) return '';
    if (RP) return RP.s3FooterText(s);
    var mb = function (n) {
      return (n / 1048576).toFixed(1) + ' MB';
    };
    var text =
      ' · ' +
      s.objectsRead +
      ' of ' +
      s.objectsListed +
      (s.listedAll ? '' : '+') +
      ' objects (' +
      mb(s.bytesRead) +
      ' of ' +
      mb(s.bytesListed) +
      ')';
    if (s.skipped && s.skipped.length)
      text +=
        ' · skipped ' +
        s.skipped.length +
        ': ' +
        s.skipped
          .map(function (x) {
            return x.key.slice(x.key.lastIndexOf('/') + 1) + ' (' + x.why + ')';
          })
          .join('; ');
    // Objects read whose columns do not fit the flow log's format (their rows are marked).
    if (s.misfit && s.misfit.length)
      text +=
        ' · not fitting the format: ' +
        (s.misfitCount || s.misfit.length) +
        ' (' +
        s.misfit
          .slice(0, 3)
          .map(function (x) {
            return x.key.slice(x.key.lastIndexOf('/') + 1);
          })
          .join('; ') +
        (s.misfit.length > 3 ? '; …' : '') +
        '): ' +
        s.misfit[0].why;
    return text;
  }
  function showProgress(p) {
    if (!p) return;
    $('progress').textContent =
      S.rows.length.toLocaleString() +
      ' records loaded · ' +
      p.requests +
      ' request' +
      (p.requests === 1 ? '' : 's') +
      ' · ' +
      p.scanned.toLocaleString() +
      ' events read' +
      (p.lastTimestamp ? ' · read up to ' + fmtTime(p.lastTimestamp) : '') +
      s3Progress(p.s3);
  }
  var ACTION_LABELS = {
    retry: 'Retry',
    signIn: 'Sign In',
    openConfig: 'Open AWS Config',
    editFilters: 'Edit filters',
    showDelivery: 'Show delivery status',
  };
  function showState(m) {
    S.status = m.status;
    S.requestedMore = false;
    var box = $('state');
    box.textContent = '';
    box.className = 'state ' + m.status;
    var loading = m.status === 'loading';
    $('cancel').hidden = !loading;
    var canMore = m.status === 'more' || m.status === 'paused' || m.status === 'cancelled' || (m.status === 'error' && S.rows.length > 0);
    $('load-more').hidden = loading || !canMore || m.status === 'error';
    $('load-all').hidden = loading || !canMore || m.status === 'error';
    if (S.init) $('load-all').textContent = 'Load all in range (up to ' + Number(m.cap || S.init.cap).toLocaleString() + ')';
    var text = '';
    if (loading) text = 'Loading…';
    else if (m.status === 'done')
      text = S.rows.length
        ? 'All ' + S.rows.length.toLocaleString() + ' matching records in the range are loaded.'
        : 'No records match in this range.';
    else if (m.status === 'more') text = 'More records are available: scroll down, or Load more.';
    else if (m.status === 'capped')
      text =
        'Stopped at ' +
        Number(m.cap).toLocaleString() +
        ' records (setting flowLogs.records.maxRecords); narrow the range or the filters to see the rest.';
    else if (m.status === 'paused') text = 'Paused: ' + m.why + '.';
    else if (m.status === 'cancelled') text = 'Cancelled; the ' + S.rows.length.toLocaleString() + ' records loaded are kept.';
    if (text) box.appendChild(el('span', '', text));
    if (m.hint) box.appendChild(el('div', 'hint', m.hint));
    if (m.status === 'error' && m.error) {
      var err = el('div', 'error');
      err.setAttribute('role', 'alert');
      err.appendChild(el('span', 'codicon codicon-error'));
      err.appendChild(el('span', 'error-message', ' ' + m.error.message));
      if (S.rows.length)
        err.appendChild(
          el(
            'div',
            'muted',
            'The ' + S.rows.length.toLocaleString() + ' records loaded before the error are kept; Retry continues from the failed request.',
          ),
        );
      (m.error.actions || []).forEach(function (a) {
        var b = el('button', a === 'retry' ? 'primary' : '', ACTION_LABELS[a] || a);
        b.type = 'button';
        b.setAttribute('data-error-action', a);
        err.appendChild(b);
      });
      box.appendChild(err);
    }
    showProgress(m.progress);
  }
  $('state').addEventListener('click', function (e) {
    var b = e.target.closest ? e.target.closest('[data-error-action]') : null;
    if (!b) return;
    var a = b.getAttribute('data-error-action');
    if (a === 'retry') post({ type: 'retry' });
    else if (a === 'editFilters') {
      var i = $('filter-rows').querySelector('input');
      (i || $('raw-pattern')).focus();
      if (!i) $('advanced').open = true;
    } else post({ type: 'action', action: a });
  });

  function showPlan(plan) {
    var box = $('plan');
    box.textContent = '';
    if (!plan) return;
    if (plan.pattern) {
      box.appendChild(el('span', '', 'Sent to CloudWatch Logs: '));
      box.appendChild(el('code', 'pattern', plan.pattern));
    } else box.appendChild(el('span', '', 'No filter pattern: every event in the range is read.'));
    (plan.items || []).forEach(function (it) {
      var where =
        it.placement === 'server'
          ? 'in CloudWatch'
          : it.placement === 'both'
            ? 'in CloudWatch (wider) and here'
            : 'here, on the returned records';
      var line = el(
        'div',
        'plan-item placement-' + it.placement,
        it.filter.field + ' ' + it.filter.value + ': ' + where + (it.note ? ' (' + it.note + ')' : ''),
      );
      box.appendChild(line);
    });
  }

  // ---------------------------------------------------------------- buttons
  document.addEventListener('click', function (e) {
    var b = e.target.closest ? e.target.closest('button[data-action]') : null;
    if (!b) return;
    var a = b.getAttribute('data-action');
    if (a === 'run') run();
    else if (a === 'addFilter') addFilterRow(null, '').focus();
    else if (a === 'loadMore' || a === 'loadAll' || a === 'cancel' || a === 'openCsv' || a === 'openConsole') post({ type: a });
    else if (a.indexOf('export-') === 0) post({ type: 'export', format: a.slice(7) });
  });

  function saveState() {
    if (!vscode || !S.init) return;
    vscode.setState({
      profile: S.init.flowLog.profile,
      region: S.init.flowLog.region,
      flowLogId: S.init.flowLog.id,
      query: S.query,
      columns: S.columns,
    });
  }

  var statusTimer;
  window.addEventListener('message', function (event) {
    var m = event.data;
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'init':
        S.init = m;
        S.fields = m.fields;
        S.columns = m.columns || saved.columns || [];
        $('subtitle').textContent = m.flowLog.logGroup + ' · ' + m.flowLog.profile + ' · ' + m.flowLog.region;
        renderColumnChooser();
        renderHeader();
        syncControls(m.query);
        resetSummary();
        renderSummary();
        break;
      case 'reset':
        S.rows = [];
        S.order = [];
        S.selected = -1;
        S.query = m.query;
        saveState();
        syncControls(m.query);
        resetSummary();
        renderSummary();
        renderDetails();
        showPlan(m.plan);
        viewport.scrollTop = 0;
        renderRows(true);
        break;
      case 'rows':
        for (var i = 0; i < m.rows.length; i++) S.rows.push(m.rows[i]);
        addToSummary(m.rows);
        if (S.sortKey !== null) applySort();
        else for (var j = S.order.length; j < S.rows.length; j++) S.order.push(j);
        renderSummary();
        showProgress(m.progress);
        renderRows(true);
        break;
      case 'state':
        showState(m);
        break;
      case 'names': {
        var got = m.names && typeof m.names === 'object' ? m.names : {};
        (Array.isArray(m.done) ? m.done : []).forEach(function (a) {
          if (typeof a === 'string') S.answered[a] = true;
        });
        Object.keys(got).forEach(function (a) {
          S.names[a] = got[a];
        });
        var ns = $('names-status');
        if (ns) ns.textContent = m.error ? 'Names: ' + m.error : m.unnamed ? 'Names: ' + m.unnamed + ' addresses left unnamed' : '';
        renderRows(true);
        if (S.selected >= 0) renderDetails();
        break;
      }
      case 'status':
        $('progress').textContent = m.text;
        clearTimeout(statusTimer);
        statusTimer = setTimeout(function () {
          showProgress(null);
        }, 3000);
        break;
    }
  });
  post({ type: 'ready' });
})();
