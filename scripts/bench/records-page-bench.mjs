// The records webview's side of a load (issue 22 item 5): the longest stall of the page's thread
// and the host-side work per message while 100,000 records load and the table is scrolled, for the
// page before the change (media/records.js + its rows messages, from git) and after it (the
// TypeScript page asking for windows). The page runs in headless Chromium from the real shell
// (records/renderPanel.ts, its CSP); the host is simulated here in Node with the real code: the
// old way posts every loaded batch's rows, the new way posts the total and answers window
// requests from ArrayResultSet. Messages cross as JSON (VS Code serializes postMessage that way).
// Excluded on both sides: the AWS worker and the loader (the same code before and after).
//   node scripts/bench/records-page-bench.mjs [count] [git revision of the old page]
// Needs `node scripts/build.mjs --tests` (out/, media/dist/) and Chromium (scripts/lib/vscode-host.mjs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../lib/vscode-host.mjs';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const out = (f) => require(join(root, 'out', f));
const { recordLayout } = out('src/shared/recordsFields.js');
const { parseMessage } = out('src/shared/recordsParse.js');
const { ArrayResultSet } = out('test/support/referenceResultSet.js');
const { renderRecordsShell } = out('src/records/renderPanel.js');
const { decodeTables } = out('src/shared/recordsDecode.js');
const { filterableFields } = out('src/shared/recordsFilters.js');

const COUNT = Number(process.argv[2] ?? 100_000);
const OLD_REV = process.argv[3] ?? 'faaf289';
const BATCH = 10_000; // the loader's MAX_BATCH: one onProgress per batch
const layout = recordLayout(undefined);

function makeRecords(n) {
  const recs = [];
  const t0 = Date.UTC(2026, 11, 6, 12);
  for (let i = 0; i < n; i++) {
    const line = `2 123456789012 eni-0a1b2c3d4e5f6071${i % 8} 10.0.${(i >> 8) & 255}.${i & 255} 10.1.0.${i % 200} ${1024 + (i % 50000)} ${[22, 443, 80, 3306][i % 4]} 6 ${1 + (i % 90)} ${100 + ((i * 7919) % 1_000_000)} 1765022400 1765022460 ${i % 5 ? 'ACCEPT' : 'REJECT'} OK`;
    recs.push(parseMessage(layout, line, t0 + i * 10, `eni-0a1b2c3d4e5f6071${i % 8}-all`, String(i)));
  }
  return recs;
}

// The old page's files, from git (media/records.js and the old pure-part bundle).
function oldPage(dir) {
  const src = join(dir, 'old');
  mkdirSync(src, { recursive: true });
  const tar = execFileSync('git', ['archive', OLD_REV, 'src/webviews', 'src/shared/text.ts', 'media/records.js'], { cwd: root });
  execFileSync('tar', ['-x', '-C', src], { input: tar });
  execFileSync(join(root, 'node_modules/.bin/esbuild'), [
    join(src, 'src/webviews/records/main.ts'),
    '--bundle',
    '--format=iife',
    '--platform=browser',
    `--outfile=${join(src, 'recordsPage.js')}`,
    '--log-level=warning',
  ]);
  return { script: readFileSync(join(src, 'media/records.js'), 'utf8'), pure: readFileSync(join(src, 'recordsPage.js'), 'utf8') };
}

const initMessage = () => ({
  type: 'init',
  flowLog: {
    id: 'fl-bench',
    label: 'bench',
    logGroup: 'bench',
    profile: 'p',
    region: 'us-east-1',
    deliveryStatus: 'SUCCESS',
    deliveryError: '',
    interval: 60,
  },
  source: 'cloudWatchLogs',
  fields: layout.fields.map((x) => ({ name: x.name, kind: x.kind, known: x.known, description: x.description ?? '' })),
  filterable: filterableFields(layout),
  tables: decodeTables(),
  cap: 1_000_000,
  columns: null,
  query: { range: { preset: '1h' }, filters: [] },
});

// In the page: the longest gap between 5 ms timer ticks and the longest task (PerformanceObserver).
const MONITOR = `
  window.__stall = { gap: 0, longTask: 0, tasks: 0 };
  let last = performance.now();
  setInterval(() => { const now = performance.now(); window.__stall.gap = Math.max(window.__stall.gap, now - last - 5); last = now; }, 5);
  try { new PerformanceObserver((l) => { for (const e of l.getEntries()) { window.__stall.longTask = Math.max(window.__stall.longTask, e.duration); window.__stall.tasks++; } }).observe({ type: 'longtask' }); } catch {}
`;

async function run(browser, variant, records, files) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const nonce = 'benchnonce';
  const base = 'http://bench.local/';
  const shell = renderRecordsShell({
    title: 'bench',
    cspSource: base,
    nonce,
    styleUri: `${base}records.css`,
    scriptUri: `${base}page.js`,
    codiconsUri: `${base}codicon.css`,
  });
  const used = /nonce-([A-Za-z0-9+/=_-]+)/.exec(shell)[1]; // the shell's own nonce rule may replace ours
  const scripts =
    variant === 'old'
      ? `<script nonce="${used}" src="${base}pure.js"></script><script nonce="${used}" src="${base}page.js"></script>`
      : `<script nonce="${used}" src="${base}page.js"></script>`;
  const html = shell.replace(/<script nonce="[^"]*" src="[^"]*page\.js"><\/script>/, scripts);
  await page.route(`${base}**`, (r) => {
    const name = new URL(r.request().url()).pathname.slice(1);
    const body =
      name === 'index.html'
        ? html
        : name === 'page.js'
          ? files.script
          : name === 'pure.js'
            ? files.pure
            : name === 'records.css'
              ? readFileSync(join(root, 'media/records.css'), 'utf8')
              : '';
    return r.fulfill({
      status: 200,
      contentType: name.endsWith('.html') ? 'text/html' : name.endsWith('.css') ? 'text/css' : 'text/javascript',
      body,
    });
  });
  let hostMax = 0;
  const hostBy = {};
  const note = (kind, dt) => (hostBy[kind] = +Math.max(hostBy[kind] ?? 0, dt).toFixed(1));
  let hostTotal = 0;
  let bytesToPage = 0;
  let biggest = 0;
  const send = async (m) => {
    const t = performance.now();
    const json = JSON.stringify(m);
    const dt = performance.now() - t;
    bytesToPage += json.length;
    biggest = Math.max(biggest, json.length);
    await page.evaluate((s) => window.postMessage(JSON.parse(s), '*'), json);
    return dt;
  };
  const loaded = [];
  const rs = new ArrayResultSet(layout, loaded);
  let resolveReady;
  const ready = new Promise((resolve) => (resolveReady = resolve));
  await page.exposeFunction('__toHost', async (raw) => {
    const m = JSON.parse(raw);
    if (m.type === 'ready') resolveReady();
    if (m.type === 'window') {
      const t = performance.now();
      const w = await rs.window(m.start, m.count);
      const work = performance.now() - t;
      const dt = work + (await send({ type: 'window', seq: m.seq, window: w }));
      note('window', dt);
      hostMax = Math.max(hostMax, dt);
      hostTotal += dt;
    }
    if (m.type === 'sort') {
      const t = performance.now();
      const total = await rs.order(m.sort ?? undefined);
      const dt = performance.now() - t + (await send({ type: 'sorted', sort: m.sort, total }));
      note('sort', dt);
      hostMax = Math.max(hostMax, dt);
      hostTotal += dt;
    }
  });
  page.on('pageerror', (e) => console.error(`[${variant} page] ${e.message}`));
  await page.addInitScript(
    `window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__toHost(JSON.stringify(m)), getState: () => undefined, setState: () => {} });${MONITOR}`,
  );
  await page.goto(`${base}index.html`);
  await ready;
  await send(initMessage());
  await send({ type: 'reset', plan: { pattern: '', items: [] }, range: { startMs: 0, endMs: 1 }, query: null });
  await send({ type: 'state', status: 'loading', progress: { loaded: 0, requests: 0, scanned: 0 }, cap: 1_000_000 });
  const started = performance.now();
  for (let from = 0; from < records.length; from += BATCH) {
    const fresh = records.slice(from, from + BATCH);
    for (const r of fresh) loaded.push(r);
    const progress = { loaded: loaded.length, requests: from / BATCH + 1, scanned: loaded.length };
    let dt;
    if (variant === 'old') dt = await send({ type: 'rows', rows: fresh, progress });
    else {
      dt = await send({ type: 'total', total: loaded.length, progress });
      const t = performance.now();
      const summary = await rs.summary();
      dt += performance.now() - t + (await send({ type: 'summary', summary }));
    }
    note(variant === 'old' ? 'rows' : 'total+summary', dt);
    hostMax = Math.max(hostMax, dt);
    hostTotal += dt;
    // Scroll while it loads.
    await page.evaluate(() => {
      const v = document.getElementById('viewport');
      v.scrollTop = Math.random() * v.scrollHeight;
    });
  }
  await send({ type: 'state', status: 'done', progress: { loaded: loaded.length, requests: 10, scanned: loaded.length }, cap: 1_000_000 });
  // Scroll through the table: 60 jumps, one a frame.
  await page.evaluate(async () => {
    const v = document.getElementById('viewport');
    for (let i = 0; i < 60; i++) {
      v.scrollTop = (i / 60) * v.scrollHeight;
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
  });
  // Sort by bytes, then scroll again.
  await page.locator('.th[data-sort]', { hasText: /^bytes$/ }).click();
  await page.locator('.th[aria-sort]').waitFor({ timeout: 60_000 });
  await page.evaluate(async () => {
    const v = document.getElementById('viewport');
    for (let i = 0; i < 30; i++) {
      v.scrollTop = (i / 30) * v.scrollHeight;
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
  });
  await page.waitForTimeout(300);
  const wall = performance.now() - started;
  const stall = await page.evaluate(() => window.__stall);
  const heap = await page.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize : NaN));
  const rows = await page.locator('.tr').count();
  await page.close();
  return {
    variant,
    records: records.length,
    pageGapMs: +stall.gap.toFixed(1),
    pageLongestTaskMs: +stall.longTask.toFixed(1),
    longTasks: stall.tasks,
    pageHeapMB: +(heap / 2 ** 20).toFixed(1),
    hostLongestMs: +hostMax.toFixed(1),
    hostLongestByMessage: hostBy,
    hostTotalMs: +hostTotal.toFixed(1),
    mbToPage: +(bytesToPage / 2 ** 20).toFixed(1),
    biggestMessageKB: +(biggest / 1024).toFixed(0),
    domRows: rows,
    wallMs: Math.round(wall),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'records-page-bench-'));
const files = { old: oldPage(dir), new: { script: readFileSync(join(root, 'media/dist/recordsPage.js'), 'utf8'), pure: '' } };
const records = makeRecords(COUNT);
// The floor: the same records through JSON.stringify + JSON.parse alone (what crossing them costs at least).
let t = performance.now();
JSON.parse(JSON.stringify(records.map((r) => ({ t: r.t, v: r.v, s: r.s }))));
const floorMs = performance.now() - t;
const browser = await launchChromium();
try {
  for (const variant of ['old', 'new']) console.log(JSON.stringify(await run(browser, variant, records, files[variant])));
  console.log(JSON.stringify({ floor: `JSON round trip of all ${COUNT} records in Node`, ms: +floorMs.toFixed(1) }));
} finally {
  await browser.close();
}
writeFileSync(join(dir, 'done'), '');
