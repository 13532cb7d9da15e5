// The records page (bundled by esbuild into media/dist/recordsPage.js, loaded by the shell with its
// nonce). It keeps no records: it knows how many are loaded and asks the panel for the window of
// rows around the viewport (protocol.ts `window`), for one row for the details pane (`row`), and
// for a new order (`sort`); the summary bar comes from the panel. No inline handlers, no eval,
// data in the DOM by textContent only.
import { MAX_WINDOW_ROWS, type RecordSort, type RecordSummary, type RecordWindow, type WindowRow } from '../../shared/resultSet';
import { displayValue, fromMinuteInput, localTime, meaningOf, toMinuteInput } from './format';
import {
  chooseColumns,
  chooserOrder,
  DESTINATION_NAME,
  nameColumns,
  resourceFilterValue,
  SOURCE_NAME,
  shownColumns,
  visibleText,
} from './pageText';
import { emptySummary, progressText, stateButtons, stateText, summaryChips } from './pageModel';
import {
  EXPLAIN_FIELDS,
  MAX_NAME_ADDRESSES,
  type FromPanel,
  type InitMessage,
  type PageField,
  type PageName,
  type PagePlan,
  type PageProgress,
  type RecordsQueryInput,
  type ReadPathMessage,
  type StateMessage,
  type ToPanel,
} from './protocol';
import { covers, rowAt, visibleSpan, wantedWindow, WindowRequests, type Span } from './virtualWindow';

interface VsCodeApi {
  postMessage(m: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode: VsCodeApi | undefined = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
function post(m: FromPanel): void {
  vscode?.postMessage(m);
}
function $(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} is missing from the records page`);
  return e;
}
function $input(id: string): HTMLInputElement {
  return $(id) as HTMLInputElement;
}
function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string | number): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = String(text);
  return e;
}
function button(cls: string, text: string, attrs: Record<string, string>): HTMLButtonElement {
  const b = el('button', cls, text);
  b.type = 'button';
  for (const [k, v] of Object.entries(attrs)) b.setAttribute(k, v);
  return b;
}
const closestOf = (t: EventTarget | null, sel: string): HTMLElement | null =>
  t instanceof Element ? (t.closest(sel) as HTMLElement | null) : null;

const ROW_H = 22;
/** Rows asked for beyond the drawn ones, each side. */
const MARGIN = 200;

interface Column {
  key: string;
  label: string;
  field?: PageField;
  index?: number;
  side?: 'src' | 'dst';
}

const S = {
  init: undefined as InitMessage | undefined,
  fields: [] as PageField[],
  total: 0,
  win: undefined as RecordWindow | undefined,
  /** The order of the rows shown (the header's arrow). */
  sort: null as RecordSort | null,
  /** The order asked for and not shown yet. */
  sortShown: undefined as RecordSort | null | undefined,
  pendingSort: undefined as RecordSort | null | undefined,
  columns: [] as string[],
  selected: -1,
  focusCol: 0,
  status: 'idle',
  cap: 0,
  query: null as RecordsQueryInput | null,
  requestedMore: false,
  summary: emptySummary([]),
  progress: undefined as PageProgress | undefined,
  detail: undefined as WindowRow | undefined,
  rowSeq: 0,
  // Address names (issue 27): name map by address, addresses asked and answered.
  names: new Map<string, PageName>(),
  asked: new Set<string>(),
  answered: new Set<string>(),
  pendingNames: [] as string[],
};
const saved = ((vscode?.getState() as { columns?: unknown } | undefined) ?? {}) as { columns?: unknown };

const requests = new WindowRequests((seq, start, count) => post({ type: 'window', seq, start, count }));

// ---------------------------------------------------------------- columns
const fieldNames = () => S.fields.map((f) => f.name);
function columnDefs(): Column[] {
  const defs: Column[] = [{ key: '@time', label: 'event time' }];
  S.fields.forEach((f, i) => defs.push({ key: f.name, label: f.name, field: f, index: i }));
  for (const label of nameColumns(fieldNames())) {
    const src = label === SOURCE_NAME;
    defs.push({ key: src ? '@srcname' : '@dstname', label: src ? SOURCE_NAME : DESTINATION_NAME, side: src ? 'src' : 'dst' });
  }
  return defs;
}
const shownLabels = () => shownColumns(fieldNames(), S.columns);
const defByLabel = (label: string) => columnDefs().find((d) => d.label === label);
const visibleColumns = (): Column[] => shownLabels().flatMap((l) => defByLabel(l) ?? []);

function fieldIndex(names: string[]): number {
  for (const n of names) {
    const i = S.fields.findIndex((f) => f.name === n);
    if (i >= 0) return i;
  }
  return -1;
}
function addressOf(rec: WindowRow, side: 'src' | 'dst'): string {
  const i = fieldIndex(side === 'src' ? ['srcaddr', 'pkt-srcaddr'] : ['dstaddr', 'pkt-dstaddr']);
  const v = i >= 0 ? rec.v[i] : '';
  return v && v !== '-' ? v : '';
}
function interfaceOf(rec: WindowRow): string {
  const i = fieldIndex(['interface-id']);
  const v = i >= 0 ? rec.v[i] : '';
  return /^eni-[0-9a-f]{8,17}$/.test(v ?? '') ? v : '';
}
function nameText(addr: string): string {
  if (!addr) return '';
  const n = S.names.get(addr);
  if (n) return n.label;
  return S.asked.has(addr) && !S.answered.has(addr) ? '…' : '';
}

// ---------------------------------------------------------------- address names (issue 27)
let namesTimer: ReturnType<typeof setTimeout> | undefined;
/** Asks the panel (debounced) for the names of the given addresses not asked yet, 500 at most. */
function askNames(addresses: string[], now: boolean): void {
  const want: string[] = [];
  for (const a of addresses) {
    if (want.length >= MAX_NAME_ADDRESSES) break;
    if (a && !S.asked.has(a) && !want.includes(a)) want.push(a);
  }
  if (!want.length) return;
  for (const a of want) S.asked.add(a);
  S.pendingNames = S.pendingNames.concat(want).slice(0, MAX_NAME_ADDRESSES);
  clearTimeout(namesTimer);
  namesTimer = setTimeout(
    () => {
      const batch = S.pendingNames;
      S.pendingNames = [];
      if (batch.length) post({ type: 'names', addresses: batch });
    },
    now ? 0 : 200,
  );
}
function askVisibleNames(span: Span, cols: Column[]): void {
  const sides = cols.flatMap((c) => (c.side ? [c.side] : []));
  if (!sides.length) return;
  const want: string[] = [];
  for (let i = span.first; i < span.last; i++) {
    const rec = rowAt(S.win, i);
    if (!rec) continue;
    for (const side of sides) {
      const a = addressOf(rec, side);
      if (a) want.push(a);
    }
  }
  askNames(want, false);
}

function renderColumnChooser(): void {
  const box = $('columns');
  box.textContent = '';
  const vis = shownLabels();
  for (const d of chooserOrder(fieldNames(), vis).flatMap((l) => defByLabel(l) ?? [])) {
    const lab = el('label', 'col-choice');
    const cb = el('input');
    cb.type = 'checkbox';
    cb.checked = vis.includes(d.label);
    cb.setAttribute('data-col', d.label);
    lab.appendChild(cb);
    lab.appendChild(document.createTextNode(` ${d.label}`));
    box.appendChild(lab);
  }
}
$('columns').addEventListener('change', () => {
  let chosen: string[] = [];
  $('columns')
    .querySelectorAll('input[data-col]')
    .forEach((cb) => {
      if ((cb as HTMLInputElement).checked) chosen.push(cb.getAttribute('data-col') ?? '');
    });
  if (!chosen.length) return;
  // The columns still checked keep the user's order; a newly checked one goes last.
  chosen = chooseColumns(shownLabels(), chosen);
  S.columns = chosen;
  post({ type: 'columns', columns: chosen });
  saveState();
  renderHeader();
  renderRows(true);
});

// ---------------------------------------------------------------- table
function renderHeader(): void {
  const head = $('thead');
  head.textContent = '';
  for (const c of visibleColumns()) {
    const h = el('div', `th${c.field?.kind === 'time' ? ' time' : ''}`, c.label);
    h.setAttribute('role', 'columnheader');
    // The name columns are the page's own (names looked up for the rows in view): not sortable.
    if (!c.side) h.setAttribute('data-sort', c.key);
    if (c.field?.description) h.title = c.field.description;
    if (S.sort?.key === c.key) {
      h.setAttribute('aria-sort', S.sort.descending ? 'descending' : 'ascending');
      h.appendChild(el('span', `codicon codicon-${S.sort.descending ? 'arrow-down' : 'arrow-up'}`));
    }
    head.appendChild(h);
  }
}
$('thead').addEventListener('click', (e) => {
  const h = closestOf(e.target, '[data-sort]');
  if (!h) return;
  const key = h.getAttribute('data-sort') ?? '';
  // The header shows the new order when the first rows in that order arrive.
  const base = S.sortShown ?? S.sort;
  const sort = base?.key === key ? { key, descending: !base.descending } : { key, descending: false };
  S.sortShown = sort;
  post({ type: 'sort', sort });
});

const viewport = $('viewport');
let lastRange = '';
function renderRows(force: boolean): void {
  const total = S.total;
  $('spacer').style.height = `${total * ROW_H}px`;
  const top = viewport.scrollTop;
  const h = viewport.clientHeight || 400;
  const span = visibleSpan(top, h, ROW_H, total);
  if (!covers(S.win, span)) {
    const w = wantedWindow(span, total, MARGIN, MAX_WINDOW_ROWS);
    requests.want(w.start, w.count);
  }
  const winKey = S.win ? `${S.win.start}+${S.win.rows.length}` : '-';
  const key = `${span.first}:${span.last}:${total}:${S.selected}:${S.focusCol}:${winKey}`;
  if (!force && key === lastRange) return;
  lastRange = key;
  const box = $('rows');
  box.style.transform = `translateY(${span.first * ROW_H}px)`;
  box.textContent = '';
  const cols = visibleColumns();
  const tables = S.init?.tables;
  const frag = document.createDocumentFragment();
  for (let i = span.first; i < span.last; i++) {
    const rec = rowAt(S.win, i);
    const row = el('div', `tr${i === S.selected ? ' selected' : ''}${rec?.bad ? ' bad' : ''}${rec ? '' : ' pending'}`);
    row.setAttribute('role', 'row');
    row.setAttribute('data-row', String(i));
    row.setAttribute('aria-rowindex', String(i + 1));
    if (rec?.bad) row.title = `Does not fit the format (${rec.bad}): ${visibleText(rec.raw ?? '')}`;
    cols.forEach((col, c) => {
      let td: HTMLDivElement;
      if (!rec || !tables) td = el('div', 'td none', '');
      else if (col.side) {
        const addr = addressOf(rec, col.side);
        td = el('div', 'td name', visibleText(nameText(addr)));
        const nm = S.names.get(addr);
        td.title = nm ? visibleText(`${nm.label} · ${nm.kind}${nm.interfaceId ? ` · ${nm.interfaceId}` : ''}`) : addr;
      } else if (col.key === '@time') {
        td = el('div', 'td', localTime(rec.t));
        td.title = new Date(rec.t).toISOString() + (rec.s ? ` · ${rec.s}` : '');
      } else {
        const field = col.field!;
        const v = rec.v[col.index!] ?? '';
        const [shown, title] = displayValue(field, v, tables);
        td = el(
          'div',
          `td${field.kind === 'time' ? ' time' : ''}${field.name === 'action' ? ` action-${v}` : ''}${v === '-' ? ' none' : ''}`,
          visibleText(shown),
        );
        td.title = visibleText(title);
      }
      td.setAttribute('role', 'gridcell');
      td.setAttribute('data-col', String(c));
      if (i === S.selected && c === S.focusCol) td.classList.add('focus');
      row.appendChild(td);
    });
    frag.appendChild(row);
  }
  box.appendChild(frag);
  askVisibleNames(span, cols);
  maybeAutoLoad(top, h, total);
}
// Scrolling draws at most once a frame; the window request waits for the one in flight.
let frame = 0;
viewport.addEventListener('scroll', () => {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    renderRows(false);
  });
});
window.addEventListener('resize', () => renderRows(true));

function maybeAutoLoad(top: number, h: number, total: number): void {
  if (S.status !== 'more' || S.requestedMore || S.sort !== null) return;
  if (top + h >= total * ROW_H - ROW_H * 20) {
    S.requestedMore = true;
    post({ type: 'loadMore' });
  }
}

function select(i: number, col?: number): void {
  const total = S.total;
  if (!total) return;
  S.selected = Math.max(0, Math.min(total - 1, i));
  if (col !== undefined) S.focusCol = Math.max(0, Math.min(visibleColumns().length - 1, col));
  const y = S.selected * ROW_H;
  if (y < viewport.scrollTop) viewport.scrollTop = y;
  else if (y + 2 * ROW_H > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = y + 2 * ROW_H - viewport.clientHeight;
  renderRows(true);
  askDetail();
}
/** The details pane shows the selected row as the panel gives it (`row`), asked by its id. */
function askDetail(): void {
  const rec = S.selected >= 0 ? rowAt(S.win, S.selected) : undefined;
  if (!rec) {
    if (S.selected < 0) {
      S.detail = undefined;
      renderDetails();
    }
    return; // the window arrives, then the row is asked
  }
  if (S.detail?.id === rec.id) return renderDetails();
  S.rowSeq++;
  post({ type: 'row', seq: S.rowSeq, id: rec.id });
}
$('rows').addEventListener('click', (e) => {
  const td = closestOf(e.target, '[data-col]');
  const tr = closestOf(e.target, '[data-row]');
  if (!tr) return;
  hideMenu();
  select(Number(tr.getAttribute('data-row')), td ? Number(td.getAttribute('data-col')) : undefined);
  $('table').focus();
});
$('rows').addEventListener('contextmenu', (e) => {
  const td = closestOf(e.target, '[data-col]');
  const tr = closestOf(e.target, '[data-row]');
  if (!tr || !td) return;
  e.preventDefault();
  select(Number(tr.getAttribute('data-row')), Number(td.getAttribute('data-col')));
  showMenu(e.clientX, e.clientY);
});

interface Cell {
  rec: WindowRow;
  col: Column;
  value: string;
}
function focusedCell(): Cell | undefined {
  if (S.selected < 0) return undefined;
  const rec = rowAt(S.win, S.selected);
  const col = visibleColumns()[S.focusCol];
  if (!rec || !col) return undefined;
  const value = col.side ? nameText(addressOf(rec, col.side)) : col.key === '@time' ? new Date(rec.t).toISOString() : rec.v[col.index!];
  return { rec, col, value };
}
const rowText = (rec: WindowRow) => S.fields.map((_, i) => rec.v[i]).join(' ');

$('table').addEventListener('keydown', (e) => {
  const page = Math.max(1, Math.floor(viewport.clientHeight / ROW_H) - 1);
  const k = e.key;
  if (k === 'ArrowDown') select(S.selected + 1);
  else if (k === 'ArrowUp') select(S.selected - 1);
  else if (k === 'PageDown') select(S.selected + page);
  else if (k === 'PageUp') select(S.selected - page);
  else if (k === 'Home') select(0);
  else if (k === 'End') select(S.total - 1);
  else if (k === 'ArrowRight') select(S.selected, S.focusCol + 1);
  else if (k === 'ArrowLeft') select(S.selected, S.focusCol - 1);
  else if ((e.ctrlKey || e.metaKey) && k === 'c') {
    const c = focusedCell();
    if (c) post({ type: 'copy', text: e.shiftKey ? rowText(c.rec) : c.value });
  } else if (k === 'f') {
    const fc = focusedCell();
    if (fc) filterBy(fc, false);
  } else if (k === 'Escape') hideMenu();
  else return;
  e.preventDefault();
});

// ---------------------------------------------------------------- cell menu
const menu = el('div', 'menu');
menu.hidden = true;
menu.setAttribute('role', 'menu');
for (const [what, label] of [
  ['filter', 'Filter by this value'],
  ['exclude', 'Exclude this value'],
  ['copy', 'Copy value'],
  ['copyRow', 'Copy row'],
  ['explain', 'Explain this record'],
]) {
  menu.appendChild(button('menu-item', label, { 'data-menu': what, role: 'menuitem' }));
}
document.body.appendChild(menu);
function showMenu(x: number, y: number): void {
  menu.hidden = false;
  menu.style.left = `${Math.min(x, window.innerWidth - 200)}px`;
  menu.style.top = `${Math.min(y, window.innerHeight - 120)}px`;
  menu.querySelector('button')?.focus();
}
function hideMenu(): void {
  menu.hidden = true;
}
menu.addEventListener('click', (e) => {
  const b = closestOf(e.target, '[data-menu]');
  if (!b) return;
  const c = focusedCell();
  hideMenu();
  if (!c) return;
  const what = b.getAttribute('data-menu');
  if (what === 'filter') filterBy(c, false);
  else if (what === 'exclude') filterBy(c, true);
  else if (what === 'copy') post({ type: 'copy', text: c.value });
  else if (what === 'explain') explain(c.rec);
  else post({ type: 'copy', text: rowText(c.rec) });
});
document.addEventListener('click', (e) => {
  if (!(e.target instanceof Node) || !menu.contains(e.target)) hideMenu();
});

/** Explain this record (flowLogs.explainRecord): the record's fields the panel passes on, by name. */
function explain(rec: WindowRow): void {
  if (!interfaceOf(rec)) {
    $('progress').textContent = 'This record has no interface ID: there is nothing to explain.';
    return;
  }
  const record: Record<string, string> = {};
  for (const name of EXPLAIN_FIELDS) {
    const i = fieldIndex([name]);
    if (i >= 0 && typeof rec.v[i] === 'string' && rec.v[i].length <= 100) record[name] = rec.v[i];
  }
  post({ type: 'explain', record });
}
/**
 * "Filter by this resource" on a name column: a filter on the address field by every address the
 * resource has (the filter model takes addresses, not names; a comma list means any of).
 */
function nameFilter(rec: WindowRow, side: 'src' | 'dst'): { field: string; value: string } | undefined {
  const addr = addressOf(rec, side);
  if (!addr) return undefined;
  const n = S.names.get(addr);
  const field = S.fields[fieldIndex(side === 'src' ? ['srcaddr', 'pkt-srcaddr'] : ['dstaddr', 'pkt-dstaddr'])].name;
  return { field, value: resourceFilterValue(addr, n?.addresses) };
}
function filterBy(c: Cell, exclude: boolean): void {
  if (c.col.key === '@time') return;
  if (c.col.side) {
    const nf = nameFilter(c.rec, c.col.side);
    if (!nf) return;
    addFilterRow(nf.field, (exclude ? '!' : '') + nf.value);
    run();
    return;
  }
  addFilterRow(c.col.field!.name, (exclude ? '!' : '') + c.value);
  run();
}

// ---------------------------------------------------------------- details
function renderDetails(): void {
  const box = $('details');
  const c = S.selected >= 0 ? S.detail : undefined;
  if (!c || !S.init) {
    box.hidden = true;
    return;
  }
  const tables = S.init.tables;
  box.hidden = false;
  box.textContent = '';
  const head = el('div', 'details-head');
  head.appendChild(el('strong', '', `Record ${S.selected + 1} of ${S.total}`));
  const close = button('icon', '×', { 'data-details': 'close' });
  close.title = 'Close details';
  head.appendChild(close);
  box.appendChild(head);
  const dl = el('dl');
  const item = (name: string, value: string, extra?: string, fieldName?: string) => {
    const dt = el('dt', '', name);
    const dd = el('dd');
    dd.appendChild(el('code', '', visibleText(value)));
    if (extra) dd.appendChild(el('div', 'muted', visibleText(extra)));
    if (fieldName) dd.appendChild(button('small', 'Filter', { 'data-details': 'filter', 'data-field': fieldName, 'data-value': value }));
    dd.appendChild(button('small', 'Copy', { 'data-details': 'copy', 'data-value': value }));
    dl.appendChild(dt);
    dl.appendChild(dd);
  };
  // Who each end is (issue 27): asked for at once, shown when the panel answers.
  const ends: [string, string][] = [
    ['source', addressOf(c, 'src')],
    ['destination', addressOf(c, 'dst')],
    ['interface', interfaceOf(c)],
  ];
  askNames(
    ends.map((x) => x[1]),
    true,
  );
  if (interfaceOf(c)) {
    const ex = button('small primary', 'Explain', { 'data-details': 'explain' });
    ex.title = 'Explain this record: which security group or network ACL rule decided it';
    head.insertBefore(ex, close);
  }
  for (const [end, addr] of ends) {
    if (!addr) continue;
    const n = S.names.get(addr);
    const dt = el('dt', '', `${end} resource`);
    const dd = el('dd', 'resource');
    dd.setAttribute('data-end', end);
    if (!n) {
      dd.appendChild(el('span', 'muted', S.asked.has(addr) && !S.answered.has(addr) ? `looking up ${addr}…` : `${addr}: not named`));
    } else {
      dd.appendChild(el('strong', 'resource-label', visibleText(n.label)));
      if (n.kind !== n.label) dd.appendChild(el('span', 'muted', ` ${n.kind}`));
      const facts: string[] = [];
      if (n.interfaceId) facts.push(`interface ${n.interfaceId}`);
      if (n.subnetId) facts.push(`subnet ${n.subnetId}`);
      if (n.vpcId) facts.push(`VPC ${n.vpcId}`);
      if (n.groups?.length) facts.push(`security groups ${n.groups.join(', ')}`);
      if (facts.length) dd.appendChild(el('div', 'muted', visibleText(facts.join(' · '))));
      dd.appendChild(button('small', 'Copy', { 'data-details': 'copy', 'data-value': [n.label, ...facts].join(' · ') }));
      // Filter by this resource: the interface by its ID, an end by every address it has.
      let field = 'interface-id';
      let value = addr;
      if (end !== 'interface') {
        const nf = nameFilter(c, end === 'source' ? 'src' : 'dst');
        field = nf ? nf.field : '';
        value = nf ? nf.value : addr;
      }
      dd.appendChild(button('small', 'Filter by this resource', { 'data-details': 'filter', 'data-field': field, 'data-value': value }));
      for (const id of (n.openable ?? []).slice(0, 3))
        dd.appendChild(button('small', `Open ${id} in Console`, { 'data-details': 'open', 'data-id': id }));
    }
    dl.appendChild(dt);
    dl.appendChild(dd);
  }
  item('event time', new Date(c.t).toISOString(), `${localTime(c.t)} local`);
  if (c.s) item('log stream', c.s);
  if (c.bad) item('problem', c.bad, c.raw ?? '');
  S.fields.forEach((f, i) => {
    const v = c.v[i] ?? '';
    item(
      f.name,
      v,
      meaningOf(f, v, tables) || (f.known ? '' : 'field unknown to this extension (kept as text)'),
      v === '' ? undefined : f.name,
    );
  });
  box.appendChild(dl);
}
$('details').addEventListener('click', (e) => {
  const b = closestOf(e.target, '[data-details]');
  if (!b) return;
  const what = b.getAttribute('data-details');
  if (what === 'close') {
    S.selected = -1;
    S.detail = undefined;
    renderDetails();
    renderRows(true);
  } else if (what === 'copy') post({ type: 'copy', text: b.getAttribute('data-value') ?? '' });
  else if (what === 'open') post({ type: 'openResource', id: b.getAttribute('data-id') ?? '' });
  else if (what === 'explain') {
    if (S.detail) explain(S.detail);
  } else if (what === 'filter') {
    addFilterRow(b.getAttribute('data-field') ?? '', b.getAttribute('data-value') ?? '');
    run();
  }
});

// ---------------------------------------------------------------- summary
function renderSummary(s: RecordSummary): void {
  const box = $('summary');
  box.textContent = '';
  for (const c of summaryChips(s)) {
    const chip = el('span', 'chip');
    if (c.id) chip.id = c.id;
    chip.appendChild(el('span', 'muted', `${c.label} `));
    chip.appendChild(el('strong', '', c.value));
    box.appendChild(chip);
  }
}

// ---------------------------------------------------------------- filters and range
function addFilterRow(field: string, value: string): HTMLInputElement {
  const row = el('div', 'filter-row');
  const sel = el('select');
  sel.setAttribute('aria-label', 'Field');
  const filterable = S.init?.filterable ?? [];
  for (const f of filterable) {
    const o = el('option', '', f.label);
    o.value = f.field;
    o.title = f.hint;
    sel.appendChild(o);
  }
  if (field) sel.value = field;
  const inp = el('input');
  inp.type = 'text';
  inp.setAttribute('aria-label', 'Value');
  inp.spellcheck = false;
  inp.value = value;
  const hint = () => {
    const f = filterable.find((x) => x.field === sel.value);
    inp.placeholder = f ? `${f.hint} (! negates)` : '';
  };
  sel.addEventListener('change', hint);
  hint();
  inp.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') run();
  });
  const rm = button('icon', '×', {});
  rm.title = 'Remove this filter';
  rm.addEventListener('click', () => row.remove());
  row.appendChild(sel);
  row.appendChild(inp);
  row.appendChild(rm);
  $('filter-rows').appendChild(row);
  return inp;
}
function currentFilters(): { field: string; value: string }[] {
  const out: { field: string; value: string }[] = [];
  $('filter-rows')
    .querySelectorAll('.filter-row')
    .forEach((r) => {
      const v = (r.querySelector('input') as HTMLInputElement).value.trim();
      if (v) out.push({ field: (r.querySelector('select') as HTMLSelectElement).value, value: v });
    });
  return out;
}
const selectValue = (id: string) => ($(id) as HTMLSelectElement).value;
$('preset').addEventListener('change', () => {
  const custom = selectValue('preset') === 'custom';
  $('custom').hidden = !custom;
  if (custom && !$input('from').value) {
    const utc = selectValue('zone') === 'utc';
    const now = Date.now();
    $input('from').value = toMinuteInput(now - 3_600_000, utc);
    $input('to').value = toMinuteInput(now, utc);
  }
});
function currentQuery(): RecordsQueryInput | undefined {
  const preset = selectValue('preset');
  let range: RecordsQueryInput['range'];
  if (preset === 'custom') {
    const utc = selectValue('zone') === 'utc';
    const r = { startMs: fromMinuteInput($input('from').value, utc), endMs: fromMinuteInput($input('to').value, utc) };
    if (!Number.isFinite(r.startMs) || !Number.isFinite(r.endMs)) return undefined;
    range = r;
  } else range = { preset: preset as never };
  const q: RecordsQueryInput = { range, filters: currentFilters() };
  const raw = $input('raw-pattern').value.trim();
  if (raw) q.rawPattern = raw;
  return q;
}
function run(): void {
  const q = currentQuery();
  if (!q) {
    showState({ type: 'state', status: 'error', error: { message: 'Enter a start and an end time (to the minute)', actions: [] } });
    return;
  }
  post({ type: 'run', query: q });
}
function syncControls(q: RecordsQueryInput | null): void {
  if (!q) return;
  if ('preset' in q.range) {
    ($('preset') as HTMLSelectElement).value = q.range.preset;
    $('custom').hidden = true;
  } else {
    ($('preset') as HTMLSelectElement).value = 'custom';
    $('custom').hidden = false;
    const utc = selectValue('zone') === 'utc';
    $input('from').value = toMinuteInput(q.range.startMs, utc);
    $input('to').value = toMinuteInput(q.range.endMs, utc);
  }
  $('filter-rows').textContent = '';
  for (const f of q.filters) addFilterRow(f.field, f.value);
  $input('raw-pattern').value = q.rawPattern ?? '';
  if (q.rawPattern) ($('advanced') as HTMLDetailsElement).open = true;
}

// ---------------------------------------------------------------- state
function showProgress(p: PageProgress | undefined): void {
  if (p) S.progress = p;
  if (!S.progress) return;
  $('progress').textContent = progressText(S.total, S.progress);
}
const ACTION_LABELS: Record<string, string> = {
  retry: 'Retry',
  signIn: 'Sign In',
  openConfig: 'Open AWS Config',
  editFilters: 'Edit filters',
  showDelivery: 'Show delivery status',
  athenaSettings: 'Open Athena Settings',
};
function showState(m: StateMessage): void {
  S.status = m.status;
  S.requestedMore = false;
  if (m.cap) S.cap = m.cap;
  const box = $('state');
  box.textContent = '';
  box.className = `state ${m.status}`;
  const buttons = stateButtons(m.status, S.total);
  $('cancel').hidden = !buttons.cancel;
  $('load-more').hidden = !buttons.more;
  $('load-all').hidden = !buttons.more;
  if (S.init) $('load-all').textContent = `Load all in range (up to ${Number(m.cap ?? S.init.cap).toLocaleString('en')})`;
  const text = stateText(m, S.total, S.cap);
  if (text) box.appendChild(el('span', '', text));
  if (m.hint) box.appendChild(el('div', 'hint', m.hint));
  if (m.status === 'error' && m.error) {
    const err = el('div', 'error');
    err.setAttribute('role', 'alert');
    err.appendChild(el('span', 'codicon codicon-error'));
    err.appendChild(el('span', 'error-message', ` ${m.error.message}`));
    if (S.total)
      err.appendChild(
        el(
          'div',
          'muted',
          `The ${S.total.toLocaleString('en')} records loaded before the error are kept; Retry continues from the failed request.`,
        ),
      );
    for (const a of m.error.actions)
      err.appendChild(button(a === 'retry' ? 'primary' : '', ACTION_LABELS[a] ?? a, { 'data-error-action': a }));
    box.appendChild(err);
  }
  showProgress(m.progress);
}
$('state').addEventListener('click', (e) => {
  const b = closestOf(e.target, '[data-error-action]');
  if (!b) return;
  const a = b.getAttribute('data-error-action');
  if (a === 'retry') post({ type: 'retry' });
  else if (a === 'editFilters') {
    const i = $('filter-rows').querySelector('input');
    (i ?? $('raw-pattern')).focus();
    if (!i) ($('advanced') as HTMLDetailsElement).open = true;
  } else if (a === 'showDelivery' || a === 'signIn' || a === 'openConfig' || a === 'athenaSettings') post({ type: 'action', action: a });
});

// ---------------------------------------------------------------- read path (S3: objects or Athena)
/** Which path reads an S3 flow log, and the offer when the range is large (issue 25.4). */
const readPathBox = el('div', 'plan read-path');
readPathBox.id = 'read-path';
readPathBox.setAttribute('aria-live', 'polite');
$('state').before(readPathBox);
function showReadPath(m: ReadPathMessage): void {
  readPathBox.textContent = '';
  readPathBox.appendChild(el('span', '', `${m.text} `));
  if (m.offer) {
    readPathBox.appendChild(button('primary', 'Read through Athena', { 'data-read-via': 'athena' }));
    readPathBox.appendChild(button('', 'Read the objects anyway', { 'data-read-via': 'objects' }));
    readPathBox.appendChild(button('', 'Narrow the range', { 'data-read-via': 'narrow' }));
  } else if (m.path === 'athena') {
    if (m.queryId) readPathBox.appendChild(button('', 'Open query', { 'data-read-via': 'query' }));
    readPathBox.appendChild(button('', 'Read the objects instead', { 'data-read-via': 'objects' }));
  } else readPathBox.appendChild(button('', 'Read through Athena', { 'data-read-via': 'athena' }));
}
readPathBox.addEventListener('click', (e) => {
  const b = closestOf(e.target, '[data-read-via]');
  const via = b?.getAttribute('data-read-via');
  if (via === 'athena' || via === 'objects') post({ type: 'readVia', path: via });
  else if (via === 'query') post({ type: 'openAthenaQuery' });
  else if (via === 'narrow') $('preset').focus();
});

function showPlan(plan: PagePlan | undefined): void {
  const box = $('plan');
  box.textContent = '';
  if (!plan) return;
  if (plan.pattern) {
    box.appendChild(el('span', '', 'Sent to CloudWatch Logs: '));
    box.appendChild(el('code', 'pattern', plan.pattern));
  } else box.appendChild(el('span', '', 'No filter pattern: every event in the range is read.'));
  for (const it of plan.items) {
    const where =
      it.placement === 'server'
        ? 'in CloudWatch'
        : it.placement === 'both'
          ? 'in CloudWatch (wider) and here'
          : 'here, on the returned records';
    box.appendChild(
      el('div', `plan-item placement-${it.placement}`, `${it.filter.field} ${it.filter.value}: ${where}${it.note ? ` (${it.note})` : ''}`),
    );
  }
}

// ---------------------------------------------------------------- buttons
document.addEventListener('click', (e) => {
  const b = closestOf(e.target, 'button[data-action]');
  if (!b) return;
  const a = b.getAttribute('data-action') ?? '';
  if (a === 'run') run();
  else if (a === 'addFilter') addFilterRow('', '').focus();
  else if (a === 'loadMore' || a === 'loadAll' || a === 'cancel' || a === 'openCsv' || a === 'openConsole') post({ type: a });
  else if (a === 'export-csv' || a === 'export-json' || a === 'export-ndjson') post({ type: 'export', format: a.slice(7) as 'csv' });
});

function saveState(): void {
  if (!vscode || !S.init) return;
  vscode.setState({
    profile: S.init.flowLog.profile,
    region: S.init.flowLog.region,
    flowLogId: S.init.flowLog.id,
    query: S.query,
    columns: S.columns,
  });
}

/**
 * The rows changed under the window (a reset, a new order, more rows in a sorted view): ask again.
 * `keep`: the rows shown stay until the new window arrives (more rows in a sorted view).
 */
function rowsChanged(keep = false): void {
  requests.invalidate();
  lastRange = '';
  if (!keep) {
    S.win = undefined;
    renderRows(true);
    return;
  }
  const span = visibleSpan(viewport.scrollTop, viewport.clientHeight || 400, ROW_H, S.total);
  const w = wantedWindow(span, S.total, MARGIN, MAX_WINDOW_ROWS);
  requests.want(w.start, w.count);
  renderRows(true);
}

let statusTimer: ReturnType<typeof setTimeout> | undefined;
function receive(m: ToPanel): void {
  switch (m.type) {
    case 'init':
      S.init = m;
      S.fields = m.fields;
      S.cap = m.cap;
      S.columns = m.columns ?? (Array.isArray(saved.columns) ? saved.columns.filter((c): c is string => typeof c === 'string') : []);
      $('subtitle').textContent = `${m.flowLog.logGroup} · ${m.flowLog.profile} · ${m.flowLog.region}`;
      renderColumnChooser();
      renderHeader();
      syncControls(m.query);
      S.summary = emptySummary(fieldNames());
      renderSummary(S.summary);
      break;
    case 'reset':
      S.total = 0;
      S.selected = -1;
      S.detail = undefined;
      S.query = m.query;
      saveState();
      syncControls(m.query);
      renderSummary(emptySummary(fieldNames()));
      renderDetails();
      showPlan(m.plan);
      viewport.scrollTop = 0;
      rowsChanged();
      break;
    case 'total': {
      const grew = m.total !== S.total;
      S.total = m.total;
      showProgress(m.progress);
      // New rows land at the end in load order; in another order they may land anywhere.
      if (grew && S.sort) rowsChanged(true);
      else renderRows(true);
      break;
    }
    case 'summary':
      S.summary = m.summary;
      renderSummary(m.summary);
      break;
    case 'window':
      if (!requests.answered(m.seq)) return;
      S.win = m.window;
      S.total = Math.max(S.total, m.window.total);
      if (S.pendingSort !== undefined) {
        S.sort = S.pendingSort;
        S.pendingSort = undefined;
        renderHeader();
      }
      renderRows(true);
      if (S.selected >= 0) askDetail();
      break;
    case 'row':
      if (m.seq !== S.rowSeq || !m.row) return;
      S.detail = m.row;
      renderDetails();
      break;
    case 'sorted':
      S.pendingSort = m.sort;
      S.sortShown = undefined;
      S.total = m.total;
      if (!m.total) {
        S.sort = m.sort;
        S.pendingSort = undefined;
        renderHeader();
      }
      rowsChanged();
      break;
    case 'state':
      showState(m);
      break;
    case 'readPath':
      showReadPath(m);
      break;
    case 'names': {
      for (const a of m.done) S.answered.add(a);
      for (const [a, n] of Object.entries(m.names)) S.names.set(a, n);
      $('names-status').textContent = m.error ? `Names: ${m.error}` : m.unnamed ? `Names: ${m.unnamed} addresses left unnamed` : '';
      renderRows(true);
      if (S.selected >= 0) renderDetails();
      break;
    }
    case 'status':
      $('progress').textContent = m.text;
      clearTimeout(statusTimer);
      statusTimer = setTimeout(() => showProgress(undefined), 3000);
      break;
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const m = event.data as ToPanel | null;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
  receive(m);
});
post({ type: 'ready' });
