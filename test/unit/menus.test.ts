// The context menus of package.json against the context values the nodes really carry: a menu
// whose `viewItem =~ /.../` can never match is an action the user never sees.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorContextValue, flowLogContextValue, regionContextValue } from '../../src/tree/nodeLabels';

interface MenuItem {
  command: string;
  when: string;
  group?: string;
}
const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8'));
const itemMenus: MenuItem[] = pkg.contributes.menus['view/item/context'];

/** The commands whose context menu entry shows for a node with this context value. */
function shownFor(contextValue: string): Set<string> {
  const shown = new Set<string>();
  for (const m of itemMenus) {
    const re = /viewItem =~ \/(.*)\/$/.exec(m.when)?.[1];
    assert.ok(re, `menu of ${m.command} has a viewItem regex: ${m.when}`);
    if (new RegExp(re).test(contextValue)) shown.add(m.command);
  }
  return shown;
}

describe('context menus match the nodes context values', () => {
  it('every menu command is declared', () => {
    const declared = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    for (const m of itemMenus) assert.ok(declared.has(m.command), m.command);
  });

  it('error nodes show exactly the actions they carry', () => {
    assert.deepEqual([...shownFor(errorContextValue(['retry']))].sort(), ['flowLogs.retry', 'flowLogs.showOutput']);
    const sso = shownFor(errorContextValue(['signIn', 'retry']));
    assert.ok(sso.has('flowLogs.signIn') && sso.has('flowLogs.retry'));
    assert.ok(shownFor(errorContextValue(['editFilters', 'retry'])).has('flowLogs.editFilters'));
    const config = shownFor(errorContextValue(['openConfig']));
    assert.ok(config.has('flowLogs.openConfigFile'));
    assert.ok(!config.has('flowLogs.retry'), 'no Retry where the error has none');
  });

  it('Load All shows on "Load more…" and on a region with more pages, not on a complete one', () => {
    assert.ok(shownFor('loadMore').has('flowLogs.loadAll'));
    assert.ok(shownFor(regionContextValue(true)).has('flowLogs.loadAll'));
    assert.ok(!shownFor(regionContextValue(false)).has('flowLogs.loadAll'));
    assert.ok(shownFor(regionContextValue(false)).has('flowLogs.checkPermissions'));
  });

  it('flow log actions are hidden where their value is absent', () => {
    const full = shownFor(
      flowLogContextValue({
        FlowLogId: 'fl-1',
        ResourceId: 'vpc-1',
        LogDestination: 'arn:aws:s3:::b',
        LogGroupName: 'g',
        DeliverLogsPermissionArn: 'arn:aws:iam::1:role/r',
      }),
    );
    for (const c of [
      'flowLogs.copyArn',
      'flowLogs.copyId',
      'flowLogs.copyResourceId',
      'flowLogs.copyDestinationArn',
      'flowLogs.copyRoleArn',
      'flowLogs.filterByResource',
      'flowLogs.filterByLogGroup',
    ]) {
      assert.ok(full.has(c), c);
    }
    const bare = shownFor(flowLogContextValue({ FlowLogId: 'fl-1' }));
    assert.ok(bare.has('flowLogs.copyId'));
    for (const c of [
      'flowLogs.copyResourceId',
      'flowLogs.copyDestinationArn',
      'flowLogs.copyRoleArn',
      'flowLogs.filterByResource',
      'flowLogs.filterByLogGroup',
    ]) {
      assert.ok(!bare.has(c), c);
    }
  });

  it('profile nodes offer Select Regions and Check Permissions', () => {
    const p = shownFor('profile static');
    assert.ok(p.has('flowLogs.selectRegions') && p.has('flowLogs.checkPermissions'));
  });

  it('write actions: Create Flow Log on uncovered VPC rows and verdict groups, Delete and Edit Tags on flow logs, all hidden by flowLogs.readOnly and outside a trusted workspace', () => {
    for (const v of ['notCovered', 'partlyCovered', 'failing']) assert.ok(shownFor(`vpc.${v}`).has('flowLogs.createFlowLog'), v);
    for (const v of ['covered', 'shared']) assert.ok(!shownFor(`vpc.${v}`).has('flowLogs.createFlowLog'), v);
    assert.ok(shownFor('coverageGroup').has('flowLogs.createFlowLog'));
    const fl = shownFor(flowLogContextValue({ FlowLogId: 'fl-1', ResourceId: 'vpc-1' }));
    assert.ok(fl.has('flowLogs.deleteFlowLogs') && fl.has('flowLogs.editFlowLogTags'));
    const writes = ['flowLogs.createFlowLog', 'flowLogs.deleteFlowLogs', 'flowLogs.editFlowLogTags'];
    for (const m of itemMenus.filter((x) => writes.includes(x.command))) {
      assert.match(m.when, /isWorkspaceTrusted && !config\.flowLogs\.readOnly/, m.command);
    }
    const palette: MenuItem[] = pkg.contributes.menus.commandPalette;
    for (const c of writes) {
      const entry = palette.find((x) => x.command === c);
      assert.ok(entry && (entry.when === 'false' || /isWorkspaceTrusted && !config\.flowLogs\.readOnly/.test(entry.when)), c);
    }
    assert.equal(pkg.contributes.configuration.properties['flowLogs.readOnly'].default, false);
  });
});
