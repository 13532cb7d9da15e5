// One restore rule for every panel VS Code brings back after a reload (issue 23.8): the webview's
// state is not trusted, and only a profile the view shows is used.
import assert from 'node:assert/strict';
import { restoredPanelTarget } from '../../src/explorer/panelRestore';
import type { AwsProfile } from '../../src/shared/profiles';

const profile = (name: string): AwsProfile => ({ name, kind: 'static', settings: {} });
const shown = [profile('prod'), profile('staging')];
const ID = 'fl-0123456789abcdef0';

describe('restoredPanelTarget (one restore rule for every panel)', () => {
  it('gives the shown profile, the region and the flow log', () => {
    const t = restoredPanelTarget({ profile: 'staging', region: 'eu-west-1', flowLogId: ID, query: {} }, shown);
    assert.deepEqual(t, { profile: shown[1], region: 'eu-west-1', flowLogId: ID });
    assert.equal(t?.profile, shown[1], 'the profile object the view shows');
  });

  it('refuses a profile the view hides (it must not resolve credentials at reload)', () => {
    assert.equal(restoredPanelTarget({ profile: 'hidden', region: 'eu-west-1', flowLogId: ID }, shown), undefined);
    assert.equal(restoredPanelTarget({ profile: 'prod', region: 'eu-west-1', flowLogId: ID }, []), undefined);
  });

  it('refuses any state of the wrong shape', () => {
    for (const state of [
      undefined,
      null,
      'prod',
      42,
      [],
      {},
      { profile: 'prod', region: 'eu-west-1' },
      { profile: 'prod', region: 'not a region', flowLogId: ID },
      { profile: 'prod', region: 'eu-west-1', flowLogId: 'fl-nothex' },
      { profile: ['prod'], region: 'eu-west-1', flowLogId: ID },
      { profile: 'prod', region: { toString: () => 'eu-west-1' }, flowLogId: ID },
      Object.create({ profile: 'prod', region: 'eu-west-1', flowLogId: ID }),
    ])
      assert.equal(restoredPanelTarget(state, shown), undefined, JSON.stringify(state));
  });
});
