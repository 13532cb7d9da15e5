// The flow log detail page (entry of media/dist/detailPage.js, bundled by esbuild as an IIFE and
// loaded by <script nonce src>). The page is drawn by the extension (webview/render.ts); this script
// only posts FromPanel messages (./protocol.ts) and shows the ToPanel status text: no inline
// handlers, no eval, textContent only.
import { oneOf } from '../protocolCheck';
import { CONSOLE_TARGETS, COPY_FIELDS, MAX_STATUS_LENGTH, type FromPanel, type ToPanel } from './protocol';
import { matchesTagFilter, tagCountText } from './tagFilter';

interface SavedState {
  flowLogId: string;
  profile: string;
  region: string;
  tagFilter: string;
  scrollY: number;
  refreshing: boolean;
}

interface VsCodeApi {
  postMessage(message: FromPanel): void;
  getState(): Partial<SavedState> | undefined;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called once per page.
const vscode: VsCodeApi | undefined = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;

function post(message: FromPanel): void {
  vscode?.postMessage(message);
}

const body = document.body;
const statusMessage = document.getElementById('status-message');
const filterInput = document.getElementById('tag-filter') as HTMLInputElement | null;
const tagCount = document.getElementById('tag-count');
const noMatch = document.getElementById('tags-no-match');
const tagRows = Array.from(document.querySelectorAll<HTMLTableRowElement>('table.tags tbody tr.tag'));
const shownId = body.getAttribute('data-flow-log-id') || '';

const previous: Partial<SavedState> = vscode?.getState() ?? {};

// True from a Refresh click until the new page is shown (it says "Refreshed", at the same scroll).
let refreshing = false;

/** Minimal state so a restored panel knows which flow log to fetch again, and the filter. */
function saveState(): void {
  vscode?.setState({
    flowLogId: shownId,
    profile: body.getAttribute('data-profile') || '',
    region: body.getAttribute('data-region') || '',
    tagFilter: filterInput ? filterInput.value : '',
    scrollY: window.scrollY || 0,
    refreshing,
  });
}

function setRefreshing(on: boolean): void {
  refreshing = on;
  const b = document.querySelector<HTMLButtonElement>('button[data-action="refresh"]');
  if (!b) return;
  b.disabled = on;
  b.setAttribute('aria-busy', on ? 'true' : 'false');
  const icon = b.querySelector('.codicon');
  if (icon) icon.className = on ? 'codicon codicon-loading codicon-modifier-spin' : 'codicon codicon-refresh';
}

let statusTimer: ReturnType<typeof setTimeout> | undefined;
function showStatus(text: string): void {
  if (!statusMessage) return;
  statusMessage.textContent = text;
  clearTimeout(statusTimer);
  statusTimer = setTimeout(() => {
    statusMessage.textContent = '';
  }, 2500);
}

// ---- status from the extension (only a known type, shown as text)
window.addEventListener('message', (event: MessageEvent<ToPanel>) => {
  const data = event.data;
  if (data && data.type === 'status' && typeof data.text === 'string') {
    if (refreshing) setRefreshing(false); // a failed Refresh keeps this page: the button works again
    showStatus(data.text.slice(0, MAX_STATUS_LENGTH));
  }
});

// ---- buttons: one delegated click handler (Enter and Space on a <button> fire click too)
document.addEventListener('click', (event) => {
  const target = event.target as Element | null;
  const button = target?.closest?.<HTMLButtonElement>('button[data-action]');
  if (!button || button.disabled) return;
  switch (button.getAttribute('data-action')) {
    case 'copy': {
      const field = button.getAttribute('data-field');
      if (!oneOf(field, COPY_FIELDS)) break;
      // The extension checks again (and that a tag value is this flow log's).
      if (field === 'tagValue') post({ type: 'copy', field, value: button.getAttribute('data-value') || '' });
      else post({ type: 'copy', field });
      showStatus('Copying…'); // "Copied" comes back from the extension once it is done
      break;
    }
    case 'openConsole': {
      const target = button.getAttribute('data-target');
      if (oneOf(target, CONSOLE_TARGETS)) post({ type: 'openConsole', target });
      break;
    }
    case 'refresh':
      setRefreshing(true);
      saveState(); // the scroll position now: the refreshed page scrolls back to it
      post({ type: 'refresh' });
      showStatus('Refreshing…');
      break;
    case 'filterByResource':
      post({ type: 'filterByResource' });
      break;
    case 'showRecords':
      post({ type: 'showRecords' });
      break;
    default:
      break;
  }
});

// ---- tag filter: case-insensitive on key and value
function applyFilter(): void {
  if (!filterInput) return;
  let shown = 0;
  for (const row of tagRows) {
    const match = matchesTagFilter(filterInput.value, row.cells[0].textContent ?? '', row.cells[1].textContent ?? '');
    row.hidden = !match;
    if (match) shown++;
  }
  if (tagCount) tagCount.textContent = tagCountText(shown, tagRows.length);
  if (noMatch) noMatch.hidden = shown !== 0;
}

if (filterInput) {
  if (typeof previous.tagFilter === 'string' && previous.flowLogId === shownId) filterInput.value = previous.tagFilter;
  filterInput.addEventListener('input', () => {
    applyFilter();
    saveState();
  });
  filterInput.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && filterInput.value !== '') {
      filterInput.value = '';
      applyFilter();
      saveState();
      event.stopPropagation();
    }
  });
  applyFilter();
}

// "/" jumps to the tag filter, as in many list views.
document.addEventListener('keydown', (event) => {
  const active = document.activeElement;
  const typing = !!active && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA');
  if (event.key === '/' && filterInput && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    filterInput.focus();
  }
});

let scrollTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('scroll', () => {
  clearTimeout(scrollTimer);
  scrollTimer = setTimeout(saveState, 200);
});

if (typeof previous.scrollY === 'number' && previous.flowLogId === shownId) {
  window.scrollTo(0, previous.scrollY);
  if (previous.refreshing) showStatus('Refreshed');
}
saveState();
post({ type: 'ready' });
