// The Coverage view's menus in package.json against the context values its nodes carry.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorContextValue } from '../../src/tree/nodeLabels';
import { VERDICT_ORDER } from '../../src/coverage/types';

interface MenuItem {
  command: string;
  when: string;
  group?: string;
}
const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8'));

function shown(menu: string, view: string, contextValue?: string): Set<string> {
  const out = new Set<string>();
  for (const m of pkg.contributes.menus[menu] as MenuItem[]) {
    const views = [...m.when.matchAll(/view == ([\w.]+)/g)].map((x) => x[1]);
    if (!views.includes(view)) continue;
    const re = /viewItem =~ \/(.*)\/$/.exec(m.when)?.[1];
    if (contextValue !== undefined ? re && new RegExp(re).test(contextValue) : !re) out.add(m.command);
  }
  return out;
}

describe('Coverage menus', () => {
  it('every VPC node, whatever its verdict, offers its actions; those a flow log would fix also Create Flow Log', () => {
    const fixable = new Set(['notCovered', 'partlyCovered', 'failing']);
    for (const v of VERDICT_ORDER) {
      assert.deepEqual(
        [...shown('view/item/context', 'flowLogs.coverage', `vpc.${v}`)].sort(),
        [
          'flowLogs.copyVpcId',
          ...(fixable.has(v) ? ['flowLogs.createFlowLog'] : []),
          'flowLogs.openVpcInConsole',
          'flowLogs.showVpcFlowLogs',
        ],
        v,
      );
    }
  });
  it('a region error in the Coverage view offers Retry and its other actions', () => {
    assert.deepEqual([...shown('view/item/context', 'flowLogs.coverage', errorContextValue(['retry']))].sort(), [
      'flowLogs.retry',
      'flowLogs.showOutput',
    ]);
    assert.ok(shown('view/item/context', 'flowLogs.coverage', errorContextValue(['signIn', 'retry'])).has('flowLogs.signIn'));
    assert.ok(shown('view/item/context', 'flowLogs.coverage', errorContextValue(['openConfig'])).has('flowLogs.openConfigFile'));
  });
  it('Check Coverage is on profile and region nodes and in the view titles; Export in the Coverage view', () => {
    assert.ok(shown('view/item/context', 'flowLogs.explorer', 'profile static').has('flowLogs.checkCoverageOfNode'));
    assert.ok(shown('view/item/context', 'flowLogs.explorer', 'region more').has('flowLogs.checkCoverageOfNode'));
    assert.ok(!shown('view/item/context', 'flowLogs.explorer', 'flowLog').has('flowLogs.checkCoverageOfNode'));
    // An SSO session: its accounts.
    assert.ok(shown('view/item/context', 'flowLogs.explorer', 'ssoSession').has('flowLogs.checkCoverageOfNode'));
    assert.ok(shown('view/title', 'flowLogs.explorer').has('flowLogs.checkCoverage'));
    assert.deepEqual([...shown('view/title', 'flowLogs.coverage')].sort(), ['flowLogs.checkCoverage', 'flowLogs.exportCoverage']);
  });
  it('commands that need a VPC node are hidden from the palette', () => {
    const hidden = new Set(
      (pkg.contributes.commandPalette ?? pkg.contributes.menus.commandPalette)
        .filter((m: MenuItem) => m.when === 'false')
        .map((m: MenuItem) => m.command),
    );
    for (const c of ['flowLogs.showVpcFlowLogs', 'flowLogs.openVpcInConsole', 'flowLogs.copyVpcId']) assert.ok(hidden.has(c), c);
    assert.ok(!hidden.has('flowLogs.checkCoverage'));
  });
});
