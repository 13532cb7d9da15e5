// Script of the flow log detail webview. Plain browser JS, loaded by <script nonce src>:
// no inline handlers, no eval, no modules. It only posts messages; the extension decides.
// Message shapes: src/webview/messages.ts (the extension validates every one).
(function () {
  'use strict';

  // acquireVsCodeApi may be called once per page.
  var vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;

  function post(message) {
    if (vscode) vscode.postMessage(message);
  }

  var body = document.body;
  var statusMessage = document.getElementById('status-message');
  var filterInput = document.getElementById('tag-filter');
  var tagCount = document.getElementById('tag-count');
  var noMatch = document.getElementById('tags-no-match');
  var tagRows = Array.prototype.slice.call(document.querySelectorAll('table.tags tbody tr.tag'));

  var previous = (vscode && vscode.getState()) || {};

  /** Minimal state so a restored panel knows which flow log to fetch again, and the filter. */
  function saveState() {
    if (!vscode) return;
    vscode.setState({
      flowLogId: body.getAttribute('data-flow-log-id') || '',
      profile: body.getAttribute('data-profile') || '',
      region: body.getAttribute('data-region') || '',
      tagFilter: filterInput ? filterInput.value : '',
      scrollY: window.scrollY || 0,
      refreshing: refreshing,
    });
  }
  // True from a Refresh click until the new page is shown (it says "Refreshed", at the same scroll).
  var refreshing = false;
  function setRefreshing(on) {
    refreshing = on;
    var b = document.querySelector('button[data-action="refresh"]');
    if (!b) return;
    b.disabled = on;
    b.setAttribute('aria-busy', on ? 'true' : 'false');
    var icon = b.querySelector('.codicon');
    if (icon) icon.className = on ? 'codicon codicon-loading codicon-modifier-spin' : 'codicon codicon-refresh';
  }

  var statusTimer;
  function showStatus(text) {
    if (!statusMessage) return;
    statusMessage.textContent = text;
    clearTimeout(statusTimer);
    statusTimer = setTimeout(function () {
      statusMessage.textContent = '';
    }, 2500);
  }

  // ---- status from the extension (only a known type, shown as text)
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (data && data.type === 'status' && typeof data.text === 'string') {
      if (refreshing) setRefreshing(false); // a failed Refresh keeps this page: the button works again
      showStatus(data.text.slice(0, 200));
    }
  });

  // ---- buttons: one delegated click handler (Enter and Space on a <button> fire click too)
  document.addEventListener('click', function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest('button[data-action]') : null;
    if (!button || button.disabled) return;
    var action = button.getAttribute('data-action');
    switch (action) {
      case 'copy': {
        var field = button.getAttribute('data-field');
        if (field === 'tagValue') {
          post({ command: 'copy', field: field, value: button.getAttribute('data-value') || '' });
        } else {
          post({ command: 'copy', field: field });
        }
        showStatus('Copying…'); // "Copied" comes back from the extension once it is done
        break;
      }
      case 'openConsole':
        post({ command: 'openConsole', target: button.getAttribute('data-target') });
        break;
      case 'refresh':
        setRefreshing(true);
        saveState(); // the scroll position now: the refreshed page scrolls back to it
        post({ command: 'refresh' });
        showStatus('Refreshing…');
        break;
      case 'filterByResource':
        post({ command: 'filterByResource' });
        break;
      case 'showRecords':
        post({ command: 'showRecords' });
        break;
      default:
        break;
    }
  });

  // ---- tag filter: case-insensitive on key and value
  function applyFilter() {
    if (!filterInput) return;
    var query = filterInput.value.trim().toLowerCase();
    var shown = 0;
    tagRows.forEach(function (row) {
      var text = (row.cells[0].textContent + '\u0000' + row.cells[1].textContent).toLowerCase();
      var match = query === '' || text.indexOf(query) !== -1;
      row.hidden = !match;
      if (match) shown++;
    });
    if (tagCount) tagCount.textContent = shown + ' of ' + tagRows.length + ' tags';
    if (noMatch) noMatch.hidden = shown !== 0;
  }

  if (filterInput) {
    if (typeof previous.tagFilter === 'string' && previous.flowLogId === body.getAttribute('data-flow-log-id')) {
      filterInput.value = previous.tagFilter;
    }
    filterInput.addEventListener('input', function () {
      applyFilter();
      saveState();
    });
    filterInput.addEventListener('keydown', function (event) {
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
  document.addEventListener('keydown', function (event) {
    var active = document.activeElement;
    var typing = active && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA');
    if (event.key === '/' && filterInput && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      filterInput.focus();
    }
  });

  var scrollTimer;
  window.addEventListener('scroll', function () {
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(saveState, 200);
  });

  if (typeof previous.scrollY === 'number' && previous.flowLogId === body.getAttribute('data-flow-log-id')) {
    window.scrollTo(0, previous.scrollY);
    if (previous.refreshing) showStatus('Refreshed');
  }
  saveState();
  post({ command: 'ready' });
})();
