// UI walk of Check Coverage in the real workbench (code-server in headless Chromium): run it from
// the command palette, and see the Coverage view's summary, verdict groups with their counts and
// icons, and VPC rows. Leaves test-artifacts/ui-coverage.png (the README's docs/coverage.png).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { defaultAccounts, startEmulator, type Emulator } from '../emulator/server';
import { expectedVerdicts } from '../emulator/vpcs/truth';
import { artifactsDir, openFlowLogsView, openWorkbench, runPaletteCommand, suiteHooks, treeRow, type Workbench } from './harness';

describe('Coverage view UI (real VS Code in headless Chromium)', function () {
  this.timeout(240_000);
  let emulator: Emulator | undefined;
  let wb: Workbench | undefined;
  let page: Page;
  const accounts = defaultAccounts(12);

  before(async function () {
    this.timeout(180_000);
    emulator = await startEmulator({ accounts, seed: 42, coverageCases: true });
    wb = await openWorkbench({ name: 'coverage', emulator, profiles: [{ name: 'acme-prod', account: accounts[0], region: 'eu-west-1' }] });
    page = wb.page;
  });

  suiteHooks('coverage', () => ({ wb, emulator }));

  it('Check Coverage from the palette fills the Coverage view: summary, verdict groups, VPCs', async function () {
    this.timeout(180_000);
    await openFlowLogsView(page);
    await treeRow(page, 'acme-prod').waitFor({ state: 'visible', timeout: 60_000 });
    await runPaletteCommand(page, 'Flow Logs: Check Coverage');

    const truth = expectedVerdicts(
      accounts[0].accountId,
      emulator!.network(accounts[0].accountId, 'eu-west-1'),
      emulator!.flowLogs(accounts[0].accountId, 'eu-west-1'),
    );
    const count = (v: string) => [...truth.values()].filter((x) => x === v).length;
    const summary = `${count('covered')} of ${truth.size - count('shared')} VPCs covered (${count('shared')} shared)`;
    await treeRow(page, summary).waitFor({ state: 'visible', timeout: 90_000 });
    // The groups of the region, worst first, each with its count; the worst ones open.
    for (const [label, verdict] of [
      ['Not covered', 'notCovered'],
      ['Covered but failing', 'failing'],
      ['Partly covered', 'partlyCovered'],
      ['Shared VPC', 'shared'],
      ['Covered', 'covered'],
    ]) {
      const row = treeRow(page, label);
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal((await row.locator('.label-description').innerText()).trim(), String(count(verdict)), label);
    }
    await treeRow(page, 'legacy-no-flow-logs').waitFor({ state: 'visible', timeout: 30_000 });
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
    await treeRow(page, 'Partly covered').click();
    await page.mouse.move(1300, 700, { steps: 5 });
    await page.waitForTimeout(1000); // the sash's hover highlight fades (not an assertion)
    await page.screenshot({ path: path.join(artifactsDir, 'ui-coverage.png') });
  });
});
