// UI walk of Check Coverage in the real workbench (code-server in headless Chromium): run it from
// the command palette, and see the Coverage view's summary, verdict groups with their counts and
// icons, and VPC rows. Leaves test-artifacts/ui-coverage.png (the README's docs/coverage.png).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { awsConfigFor, defaultAccounts, startEmulator, type Emulator } from '../emulator/server';
import { expectedVerdicts } from '../emulator/vpcs/truth';

const repoRoot = path.resolve(__dirname, '../../..');
const hostModule = pathToFileURL(path.join(repoRoot, 'scripts/lib/vscode-host.mjs')).href;

interface CodeServer {
  url: string;
  stop(): Promise<void>;
}

const rowWithLabel = (page: Page, label: string) =>
  page
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
    .first();

describe('Coverage view UI (real VS Code in headless Chromium)', function () {
  this.timeout(240_000);
  const artifacts = process.env.FLOWLOGS_TEST_ARTIFACTS ?? path.join(repoRoot, 'test-artifacts');
  let emulator: Emulator | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dir: string;
  const accounts = defaultAccounts(12);

  before(async function () {
    this.timeout(180_000);
    const host = await import(hostModule);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlogs-ui-coverage-'));
    const workspace = path.join(dir, 'workspace');
    fs.mkdirSync(workspace);
    fs.mkdirSync(artifacts, { recursive: true });
    emulator = await startEmulator({ accounts, seed: 42, coverageCases: true });
    const files = awsConfigFor(emulator, [{ name: 'acme-prod', account: accounts[0], region: 'eu-west-1' }]);
    fs.writeFileSync(path.join(dir, 'config'), files.config);
    fs.writeFileSync(path.join(dir, 'credentials'), files.credentials);
    const env: Record<string, string | undefined> = {};
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) env[k] = undefined;
    Object.assign(env, {
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    server = (await host.startCodeServer({ env })) as CodeServer;
    browser = (await host.launchChromium()) as Browser;
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(host.workbenchUrl(server.url, { folder: workspace, extensionDevelopmentPath: repoRoot }));
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
  });

  after(async function () {
    this.timeout(60_000);
    await browser?.close().catch(() => {});
    await server?.stop().catch(() => {});
    await emulator?.stop().catch(() => {});
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page)
      await page.screenshot({ path: path.join(artifacts, 'ui-failed-coverage.png') }).catch(() => {});
  });

  it('Check Coverage from the palette fills the Coverage view: summary, verdict groups, VPCs', async function () {
    this.timeout(180_000);
    const item = page
      .locator('.activitybar .action-item [aria-label^="VPC Flow Logs"], .activitybar .action-item[aria-label^="VPC Flow Logs"]')
      .first();
    await item.waitFor({ state: 'visible', timeout: 90_000 });
    await item.click();
    await rowWithLabel(page, 'acme-prod').waitFor({ state: 'visible', timeout: 60_000 });
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill('>Flow Logs: Check Coverage');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Check Coverage' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Enter');

    const truth = expectedVerdicts(
      accounts[0].accountId,
      emulator!.network(accounts[0].accountId, 'eu-west-1'),
      emulator!.flowLogs(accounts[0].accountId, 'eu-west-1'),
    );
    const count = (v: string) => [...truth.values()].filter((x) => x === v).length;
    const summary = `${count('covered')} of ${truth.size - count('shared')} VPCs covered (${count('shared')} shared)`;
    await rowWithLabel(page, summary).waitFor({ state: 'visible', timeout: 90_000 });
    // The groups of the region, worst first, each with its count; the worst ones open.
    for (const [label, verdict] of [
      ['Not covered', 'notCovered'],
      ['Covered but failing', 'failing'],
      ['Partly covered', 'partlyCovered'],
      ['Shared VPC', 'shared'],
      ['Covered', 'covered'],
    ]) {
      const row = rowWithLabel(page, label);
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal((await row.locator('.label-description').innerText()).trim(), String(count(verdict)), label);
    }
    await rowWithLabel(page, 'legacy-no-flow-logs').waitFor({ state: 'visible', timeout: 30_000 });
    const failing = page.locator('.monaco-list-row .codicon-warning');
    assert.ok((await failing.count()) >= 1, 'failing VPCs carry the warning icon');
    assert.ok((await page.locator('.monaco-list-row .codicon-circle-slash').count()) >= 2, 'not-covered group and VPCs carry their icon');
    const defaultRow = page.locator('.monaco-list-row', {
      has: page.locator('.label-description', { hasText: /172\.31\.0\.0\/16 · default/ }),
    });
    await defaultRow.first().waitFor({ state: 'visible', timeout: 30_000 });
    // For the picture: a wider side bar (drag its sash) so descriptions are readable, the mouse parked.
    const bar = await page.locator('.part.sidebar').boundingBox();
    if (bar) {
      await page.mouse.move(bar.x + bar.width + 1, bar.y + bar.height / 2);
      await page.mouse.down();
      await page.mouse.move(bar.x + bar.width + 330, bar.y + bar.height / 2, { steps: 10 });
      await page.mouse.up();
    }
    await rowWithLabel(page, 'Partly covered').click();
    await page.mouse.move(1300, 700, { steps: 5 });
    await page.waitForTimeout(1000); // the sash's hover highlight fades (not an assertion)
    await page.screenshot({ path: path.join(artifacts, 'ui-coverage.png') });
  });
});
