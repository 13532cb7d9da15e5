// Fault suite, malformed AWS config and credentials files: garbage lines, duplicate sections,
// missing keys, a BOM, CRLF line ends, a 1 MB file, a 6 MB file, a missing file, a directory
// where a file should be. The problems are shown in one root node, valid profiles still work,
// and nothing throws.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fixture, Fixture, children, profileNode, regionNode, ids, label, description, setting, isError, defaultAccounts } from './helpers';
import type { TreeNode } from './helpers';
import { registerSecret } from './faultHelpers';

const [A1, A2] = defaultAccounts(12);

describe('faults: malformed AWS config and credentials files', function () {
  this.timeout(60_000);
  let fx: Fixture;
  let goodConfig: string;
  let goodCredentials: string;

  const profileLines = () => ({
    config: [
      '[profile acct1]',
      'region = us-east-1',
      `endpoint_url = ${fx.emulator.url}`,
      '',
      '[profile acct2]',
      'region = us-east-1',
      `endpoint_url = ${fx.emulator.url}`,
      '',
    ],
    credentials: [
      '[acct1]',
      `aws_access_key_id = ${A1.accessKeyId}`,
      `aws_secret_access_key = ${A1.secretAccessKey}`,
      '',
      '[acct2]',
      `aws_access_key_id = ${A2.accessKeyId}`,
      `aws_secret_access_key = ${A2.secretAccessKey}`,
      '',
    ],
  });

  async function roots(): Promise<TreeNode[]> {
    await vscode.commands.executeCommand('flowLogs.refresh');
    return children(fx.api);
  }
  const problemsNode = (nodes: TreeNode[]) => nodes.find((n) => n.id === 'configProblems');
  const tooltip = (n: TreeNode) => String(n.getTreeItem().tooltip ?? '');

  async function assertWorks(profile: string, accountId: string) {
    const kids = await children(fx.api, await regionNode(fx.api, profile, 'us-east-1'));
    assert.deepEqual(
      ids(kids),
      fx.emulator
        .flowLogs(accountId, 'us-east-1')
        .slice(0, 5)
        .map((f) => f.FlowLogId),
      `${profile} lists its flow logs`,
    );
  }

  before(async () => {
    await setting('pageSize', 5);
    await setting('maxAttempts', 2);
    registerSecret(A1.secretAccessKey, A2.secretAccessKey);
    fx = await fixture({ accounts: [A1, A2], profiles: (a) => [{ name: 'acct1', account: a[0], region: 'us-east-1' }] });
    const l = profileLines();
    goodConfig = l.config.join('\n');
    goodCredentials = l.credentials.join('\n');
  });
  afterEach(() => fx.writeConfig(goodConfig, goodCredentials));
  after(async () => {
    await setting('pageSize', undefined);
    await setting('maxAttempts', undefined);
    await fx.stop();
  });

  it('garbage lines, a duplicate section, missing keys, a BOM and CRLF: N problems shown, valid profiles work', async () => {
    const l = profileLines();
    const config = [
      ...l.config.slice(0, 3),
      'this line is garbage',
      ...l.config.slice(3),
      '[profile acct2]',
      'output = json',
      '',
      '[profile halfkeys]',
      'region = us-east-1',
      '= a value without a key',
      '',
      '[profile nokeys]',
      'region = us-east-1',
      '',
    ];
    const credentials = [
      ...l.credentials,
      '[halfkeys]',
      `aws_access_key_id = ${A1.accessKeyId}`,
      '',
      '\u0001\u0002 binary <<<garbage>>>',
      '',
    ];
    // A BOM at the start of both files (Windows editors) and CRLF line ends everywhere.
    fx.writeConfig(`\uFEFF${config.join('\r\n')}`, `\uFEFF${credentials.join('\r\n')}`);
    const nodes = await roots();
    assert.deepEqual(nodes.filter((n) => n.kind === 'profile').map(label), ['acct1', 'acct2', 'halfkeys', 'nokeys']);
    const problems = problemsNode(nodes);
    assert.ok(problems, 'a problems node at the root');
    assert.equal(label(problems), '4 problems in the AWS config files');
    const cfg = path.join(fx.dir, 'config');
    const crd = path.join(fx.dir, 'credentials');
    const line = (lines: string[], text: string) => lines.lastIndexOf(text) + 1;
    const tip = tooltip(problems);
    assert.ok(tip.includes(`${cfg}:${line(config, 'this line is garbage')}: not a "key = value" line`), tip);
    assert.ok(!tip.includes('this line is garbage'), 'the text of a malformed line is never shown');
    assert.ok(tip.includes(`${cfg}:${line(config, '[profile acct2]')}: [acct2] appears more than once; later values win`), tip);
    assert.ok(tip.includes(`${cfg}:${line(config, '= a value without a key')}: not a "key = value" line`), tip);
    assert.ok(tip.includes(`${crd}:${line(credentials, '\u0001\u0002 binary <<<garbage>>>')}: not a "key = value" line`), tip);
    assert.match(description(problems), /not a "key = value" line .*\(line 4\)/);
    const cmd = problems.getTreeItem().command;
    assert.equal(cmd?.command, 'flowLogs.openConfigFile');
    assert.deepEqual(cmd?.arguments, [cfg, 4]);

    await assertWorks('acct1', A1.accountId); // the BOM did not hide the first section
    await assertWorks('acct2', A2.accountId); // the duplicate section merged, region kept
    const half = await children(fx.api, await profileNode(fx.api, 'halfkeys'));
    assert.equal(half.length, 1);
    assert.ok(isError(half[0]));
    assert.match(label(half[0]), /Profile "halfkeys" cannot be used: aws_secret_access_key is missing/);
    const none = await children(fx.api, await profileNode(fx.api, 'nokeys'));
    assert.ok(isError(none[0]));
    assert.match(label(none[0]), /no credentials/);
  });

  it('a 1 MB config file is read to its end: the one bad line at the end is reported with its line number', async () => {
    const l = profileLines();
    const filler = Array.from({ length: 16_000 }, (_, i) => `# comment ${i} ${'x'.repeat(50)}`);
    const config = [
      ...l.config,
      ...filler,
      '[profile late]',
      'region = us-east-1',
      `endpoint_url = ${fx.emulator.url}`,
      'garbage at the very end',
      '',
    ];
    const text = config.join('\n');
    assert.ok(text.length > 1_000_000, `the file is ${text.length} bytes`);
    fx.writeConfig(
      text,
      [...l.credentials, '[late]', `aws_access_key_id = ${A2.accessKeyId}`, `aws_secret_access_key = ${A2.secretAccessKey}`, ''].join('\n'),
    );
    const nodes = await roots();
    assert.deepEqual(nodes.filter((n) => n.kind === 'profile').map(label), ['acct1', 'acct2', 'late']);
    const problems = problemsNode(nodes);
    assert.ok(problems);
    assert.equal(label(problems), '1 problem in the AWS config files');
    assert.match(
      description(problems),
      new RegExp(`not a "key = value" line .*\\(line ${config.indexOf('garbage at the very end') + 1}\\)`),
    );
    await assertWorks('acct1', A1.accountId);
    await assertWorks('late', A2.accountId);
  });

  it('a 6 MB credentials file is not read: reported, and the config file profiles still show', async () => {
    const l = profileLines();
    const huge = [...l.credentials, ...Array.from({ length: 100_000 }, (_, i) => `# ${i} ${'y'.repeat(60)}`)].join('\n');
    assert.ok(huge.length > 5 * 1024 * 1024);
    // Keys for acct1 in the config file (allowed there), so one profile still works.
    const config = [
      ...l.config.slice(0, 3),
      `aws_access_key_id = ${A1.accessKeyId}`,
      `aws_secret_access_key = ${A1.secretAccessKey}`,
      ...l.config.slice(3),
    ];
    fx.writeConfig(config.join('\n'), huge);
    const nodes = await roots();
    const problems = problemsNode(nodes);
    assert.ok(problems);
    assert.equal(label(problems), '1 problem in the AWS config files');
    assert.match(description(problems), /The credentials file is 6\.\d MB; files over 5 MB are not read/);
    await assertWorks('acct1', A1.accountId);
    const acct2 = await children(fx.api, await profileNode(fx.api, 'acct2'));
    assert.ok(isError(acct2[0]));
    assert.match(label(acct2[0]), /no credentials/);
  });

  it('a missing config file is normal: no problem, profiles of the credentials file work', async () => {
    const l = profileLines();
    // region and endpoint_url in the credentials file sections (merged like the config file's).
    const credentials = [
      '[acct1]',
      `aws_access_key_id = ${A1.accessKeyId}`,
      `aws_secret_access_key = ${A1.secretAccessKey}`,
      'region = us-east-1',
      `endpoint_url = ${fx.emulator.url}`,
      '',
    ];
    fx.writeConfig('', credentials.join('\n'));
    process.env.AWS_CONFIG_FILE = path.join(fx.dir, 'no-such-dir', 'config');
    const nodes = await roots();
    assert.deepEqual(nodes.map(label), ['acct1']);
    assert.equal(problemsNode(nodes), undefined);
    await assertWorks('acct1', A1.accountId);
    assert.ok(l.config.length > 0);
  });

  it('both files missing: an empty tree (the welcome view), nothing throws', async () => {
    process.env.AWS_CONFIG_FILE = path.join(fx.dir, 'missing-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(fx.dir, 'missing-credentials');
    const nodes = await roots();
    assert.deepEqual(nodes.map(label), []);
  });

  it('a directory where the config file should be: "is not a file" shown, credentials profiles work', async () => {
    const dirAsFile = path.join(fx.dir, 'config-is-a-dir');
    fs.mkdirSync(dirAsFile, { recursive: true });
    const credentials = [
      '[acct1]',
      `aws_access_key_id = ${A1.accessKeyId}`,
      `aws_secret_access_key = ${A1.secretAccessKey}`,
      'region = us-east-1',
      `endpoint_url = ${fx.emulator.url}`,
      '',
    ];
    fx.writeConfig('', credentials.join('\n'));
    process.env.AWS_CONFIG_FILE = dirAsFile;
    const nodes = await roots();
    const problems = problemsNode(nodes);
    assert.ok(problems, nodes.map(label).join(' | '));
    assert.equal(label(problems), '1 problem in the AWS config files');
    assert.equal(description(problems), 'The config file is not a file');
    assert.match(tooltip(problems), new RegExp(`${dirAsFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: The config file is not a file`));
    await assertWorks('acct1', A1.accountId);
  });

  it('the problems were logged to the output channel, once per problem per read', () => {
    const lines = fx.api.outputLines();
    assert.ok(lines.some((l) => /config-is-a-dir: The config file is not a file/.test(l)));
    assert.ok(lines.some((l) => /config:4: not a "key = value" line/.test(l)));
  });
});
