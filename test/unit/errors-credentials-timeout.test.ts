// Issue 13, defect 10: a credential provider's timeout is a credentials error of the profile
// (one error node, Open Config), not "The request timed out" under every region.
import assert from 'node:assert/strict';
import { classifyError } from '../../src/aws/worker/classifyError';

const providerError = (message: string) => Object.assign(new Error(message), { name: 'CredentialsProviderError' });

describe('classifyError: credential timeouts (issue 13, defect 10)', () => {
  for (const message of [
    'Connection timed out after 1000 ms',
    'TimeoutError: request timed out',
    'the credential program (credential_process) did not finish within 2 s and was stopped; it timed out',
    'Timeout while waiting for the credential process',
  ]) {
    it(`CredentialsProviderError "${message}" -> credentials, not timeout`, () => {
      const e = classifyError(providerError(message), { profile: 'slow' });
      assert.equal(e.kind, 'credentials');
      assert.deepEqual(e.actions, ['openConfig', 'retry']);
      assert.match(e.message, /^Credentials could not be loaded for profile "slow": /);
      assert.doesNotMatch(e.message, /requestTimeoutSeconds/);
    });
  }

  it('an SSO profile whose token refresh timed out still says to sign in', () => {
    const e = classifyError(providerError('SSO token refresh timed out'), { profile: 'corp', ssoProfile: true });
    assert.equal(e.kind, 'sso');
  });

  it('a request timeout of EC2 itself is still a timeout', () => {
    const e = classifyError(Object.assign(new Error('Request timed out'), { name: 'TimeoutError' }));
    assert.equal(e.kind, 'timeout');
  });
});
