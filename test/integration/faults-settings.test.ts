// Fault suite, workspace settings as an attack: a repository's .vscode/settings.json (and a
// Workspace-target update) setting flowLogs.endpointUrl must not redirect the user's requests
// (and credentials); the same value in the user's own settings is applied.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fixture, Fixture, children, regionNode, profileNode, ids, label, setting, defaultAccounts, sleep } from './helpers';
import { errorNodes, dfl, lastSeq, registerSecret } from './faultHelpers';

const EVIL = 'http://127.0.0.1:9/evil';
const ACCT1 = '111111111111';

describe('faults: flowLogs.endpointUrl from workspace settings is ignored, from user settings applied', function () {
  this.timeout(60_000);
  let fx: Fixture;
  let settingsFile: string;
  let vscodeDirExisted = false;
  let previous: string | undefined;

  const cfg = () => vscode.workspace.getConfiguration('flowLogs');

  async function until(what: string, cond: () => boolean, limitMs = 15_000): Promise<void> {
    for (let waited = 0; !cond(); waited += 100) {
      if (waited > limitMs) throw new Error(`${what}: still not true after ${limitMs / 1000} s`);
      await sleep(100);
    }
  }

  before(async () => {
    await setting('maxAttempts', 1);
    await setting('pageSize', undefined);
    fx = await fixture({ accounts: defaultAccounts(20) });
    for (const a of defaultAccounts()) registerSecret(a.secretAccessKey);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration host opens a workspace folder');
    const dir = path.join(folder.uri.fsPath, '.vscode');
    vscodeDirExisted = fs.existsSync(dir);
    settingsFile = path.join(dir, 'settings.json');
    previous = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
  });
  after(async () => {
    await setting('endpointUrl', undefined);
    try {
      await cfg().update('endpointUrl', undefined, vscode.ConfigurationTarget.Workspace);
    } catch {
      // Machine-scoped: VS Code refuses Workspace writes of it, so there is nothing to remove.
    }
    if (previous !== undefined) fs.writeFileSync(settingsFile, previous);
    else if (vscodeDirExisted) fs.rmSync(settingsFile, { force: true });
    else fs.rmSync(path.dirname(settingsFile), { recursive: true, force: true });
    await until('workspace pageSize removed', () => cfg().inspect('pageSize')?.workspaceValue === undefined).catch(() => undefined);
    await setting('maxAttempts', undefined);
    await fx.stop();
  });

  it('.vscode/settings.json with endpointUrl: ignored (requests still reach the profile endpoint), while its pageSize applies', async () => {
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(settingsFile, JSON.stringify({ 'flowLogs.endpointUrl': EVIL, 'flowLogs.pageSize': 7 }, null, 2));
    // Positive control: the file was read (its window-scoped pageSize is in effect)...
    await until('VS Code read .vscode/settings.json', () => cfg().inspect('pageSize')?.workspaceValue === 7);
    // ...and its machine-scoped endpointUrl is not.
    assert.equal(fx.api.services.settings.endpointUrl(), undefined);
    assert.notEqual(cfg().get('endpointUrl'), EVIL, 'VS Code does not apply a machine-scoped setting from a workspace');

    await vscode.commands.executeCommand('flowLogs.refresh');
    const seq = lastSeq(fx.emulator);
    const kids = await children(fx.api, await regionNode(fx.api, 'acct1', 'us-east-1'));
    assert.deepEqual(errorNodes(kids).map(label), []);
    assert.deepEqual(
      ids(kids),
      fx.emulator
        .flowLogs(ACCT1, 'us-east-1')
        .slice(0, 7)
        .map((f) => f.FlowLogId),
      'page of 7: the workspace pageSize',
    );
    assert.equal(dfl(fx.emulator, seq).length, 1, 'the emulator (profile endpoint_url) received the request');
  });

  it('Select Profiles… writes the names to user settings, never into the workspace .vscode/settings.json that sets flowLogs.profiles', async () => {
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    // The tests after this one rely on the file's other settings (pageSize 7): they stay, and come back.
    const earlier = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : '{}';
    const text = JSON.stringify({ ...JSON.parse(earlier), 'flowLogs.profiles': ['acct1'] }, null, 2);
    fs.writeFileSync(settingsFile, text);
    await until('VS Code read .vscode/settings.json', () => JSON.stringify(cfg().inspect('profiles')?.workspaceValue) === '["acct1"]');
    try {
      await vscode.commands.executeCommand('flowLogs.selectProfiles', ['acct2', 'acct1']);
      assert.deepEqual(cfg().inspect('profiles')?.globalValue, ['acct2', 'acct1'], 'the choice is in user settings');
      assert.equal(fs.readFileSync(settingsFile, 'utf8'), text, 'the workspace file is untouched');
      assert.deepEqual(cfg().inspect('profiles')?.workspaceValue, ['acct1']);
    } finally {
      await setting('profiles', undefined);
      fs.writeFileSync(settingsFile, earlier);
      await until('workspace profiles removed', () => cfg().inspect('profiles')?.workspaceValue === undefined);
    }
  });

  it('a Workspace-target update of endpointUrl is refused or ignored', async () => {
    let refused: unknown;
    try {
      await cfg().update('endpointUrl', EVIL, vscode.ConfigurationTarget.Workspace);
    } catch (err) {
      refused = err;
    }
    // VS Code refuses to write a machine-scoped setting to the workspace (observed: it throws).
    assert.ok(refused, 'the Workspace write was refused');
    assert.equal(fx.api.services.settings.endpointUrl(), undefined);
    await vscode.commands.executeCommand('flowLogs.refresh');
    const seq = lastSeq(fx.emulator);
    const kids = await children(fx.api, await regionNode(fx.api, 'acct1', 'us-east-1'));
    assert.equal(ids(kids).length, 7);
    assert.equal(dfl(fx.emulator, seq).length, 1, 'requests still go to the emulator');
  });

  it('the same value in user (Global) settings IS applied: requests go there and fail with a network error node', async () => {
    await setting('endpointUrl', EVIL);
    assert.equal(fx.api.services.settings.endpointUrl(), EVIL);
    await vscode.commands.executeCommand('flowLogs.refresh');
    const seq = lastSeq(fx.emulator);
    const kids = await children(fx.api, await regionNode(fx.api, 'acct1', 'us-east-1'));
    const errs = errorNodes(kids);
    assert.equal(errs.length, 1, kids.map(label).join(' | '));
    assert.equal(errs[0].error.kind, 'network');
    assert.match(label(errs[0]), /^Network error: .*ECONNREFUSED/);
    assert.equal(fx.emulator.requests.filter((q) => q.seq > seq).length, 0, 'nothing reached the emulator');

    // Back to no user value: the profile endpoint again.
    await setting('endpointUrl', undefined);
    await vscode.commands.executeCommand('flowLogs.refresh');
    const ok = await children(fx.api, await regionNode(fx.api, 'acct1', 'us-east-1'));
    assert.equal(ids(ok).length, 7);
  });

  it('a plain-http endpoint to a host that is not this machine is warned about on the profile tooltip (loopback is not)', async () => {
    const tooltip = async () => String((await profileNode(fx.api, 'acct1')).getTreeItem().tooltip ?? '');
    try {
      await setting('endpointUrl', 'http://192.0.2.10:8080/');
      await vscode.commands.executeCommand('flowLogs.refresh');
      assert.match(await tooltip(), /Warning: plain http:\/\/ to a host that is not this machine.*ec2: http:\/\/192\.0\.2\.10:8080\//s);
      await setting('endpointUrl', EVIL);
      await vscode.commands.executeCommand('flowLogs.refresh');
      assert.doesNotMatch(await tooltip(), /plain http/, 'loopback is not warned about');
    } finally {
      await setting('endpointUrl', undefined);
    }
  });
});
