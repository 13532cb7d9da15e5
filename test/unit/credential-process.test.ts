// Issue 13, defect 3 (and defect 1 for credential programs): credential_process is bounded in
// time, killed on timeout (with its children), run once at a time per profile, and its failures
// never show its command line or output. Real processes (sh), no mocks.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveProcessCredentials, runningCredentialPrograms } from '../../src/aws/worker/credentialProcess';
import { classifyError } from '../../src/aws/worker/classifyError';
import { MemoryLogger } from '../support/loggers';

const GOOD = JSON.stringify({
  Version: 1,
  AccessKeyId: 'AKIAPROCESSEXAMPLE01',
  SecretAccessKey: 'processSecretKeyEXAMPLE0000000000000000000',
  SessionToken: 'tok',
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('credential_process (issue 13, defect 3)', function () {
  this.timeout(10_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowlogs-credproc-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a program that never exits is stopped at the timeout, with its children, and the error says so', async () => {
    const pids = join(dir, 'pids');
    const logger = new MemoryLogger();
    const command = `echo $$ > ${pids}; sleep 40 & echo $! >> ${pids}; wait`;
    const err = await resolveProcessCredentials({ profile: 'slow', command, timeoutMs: 700, logger }).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(err, 'it rejects');
    const e = classifyError(err, { profile: 'slow' });
    assert.equal(e.kind, 'credentials');
    assert.equal(
      e.message,
      'Credentials could not be loaded for profile "slow": the credential program (credential_process) did not finish within 1 s and was stopped (setting flowLogs.credentialProcessTimeoutSeconds)',
    );
    assert.ok(!e.message.includes('sleep') && !(e.detail ?? '').includes('sleep'));
    const [shell, sleeper] = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    // Killed: poll until both are gone (the hang guard is mocha's timeout, not a timed assertion).
    while (alive(shell) || alive(sleeper)) await new Promise((r) => setTimeout(r, 50));
    assert.equal(runningCredentialPrograms(), 0);
  });

  it('one run at a time per profile: concurrent callers share one run', async () => {
    const runs = join(dir, 'runs');
    const command = `echo run >> ${runs}; sleep 0.3; echo '${GOOD}'`;
    const logger = new MemoryLogger();
    const all = await Promise.all(
      Array.from({ length: 5 }, () => resolveProcessCredentials({ profile: 'shared', command, timeoutMs: 5000, logger })),
    );
    assert.equal(readFileSync(runs, 'utf8').trim().split('\n').length, 1, 'the program ran once');
    assert.ok(all.every((c) => c.accessKeyId === 'AKIAPROCESSEXAMPLE01' && c.sessionToken === 'tok'));
    await resolveProcessCredentials({ profile: 'shared', command, timeoutMs: 5000, logger });
    assert.equal(readFileSync(runs, 'utf8').trim().split('\n').length, 2, 'a later call runs it again');
  });

  it('a failing program: "failed (exit N)" without its command line or output; a redacted excerpt in the log', async () => {
    const logger = new MemoryLogger();
    const command = `echo "login failed for alice password=hunter2 token Abc123Xyz789" >&2; exit 3 # --api-token=SECRET`;
    const err = await resolveProcessCredentials({ profile: 'bad', command, timeoutMs: 5000, logger }).then(
      () => undefined,
      (e: Error) => e,
    );
    const e = classifyError(err, { profile: 'bad' });
    assert.equal(
      e.message,
      'Credentials could not be loaded for profile "bad": the credential program (credential_process) failed (exit 3); run it in a terminal to see why',
    );
    for (const word of ['SECRET', 'api-token', 'hunter2', 'Abc123Xyz789', 'alice'])
      assert.ok(!e.message.includes(word) && !(e.detail ?? '').includes(word), word);
    const log = logger.lines.join('\n');
    assert.match(
      log,
      /credential_process of profile bad failed \(exit 3\); its error output, redacted: login failed for alice password=\[redacted\] token \[redacted\]/,
    );
    for (const word of ['SECRET', 'hunter2', 'Abc123Xyz789']) assert.ok(!log.includes(word), word);
  });

  it('output that is not JSON, or not Version 1, or expired: a clear error', async () => {
    const logger = new MemoryLogger();
    for (const [out, want] of [
      ['not-json', /not JSON/],
      ['{"Version":2}', /Version 1/],
      [JSON.stringify({ Version: 1, AccessKeyId: 'a', SecretAccessKey: 'b', Expiration: '2000-01-01T00:00:00Z' }), /expired/],
    ] as const) {
      const err = await resolveProcessCredentials({ profile: 'p', command: `echo '${out}'`, timeoutMs: 5000, logger }).then(
        () => undefined,
        (e: Error) => e,
      );
      assert.match(classifyError(err, { profile: 'p' }).message, want);
    }
    assert.ok(!existsSync(join(dir, 'never')));
  });
});
