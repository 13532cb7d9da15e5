// The MFA code prompt: the AWS workers ask for a code (through the pool) when a profile's role
// needs one. Prompts are queued, one at a time: VS Code shows one input box, and a second one would
// dismiss the first (read as a cancel), so two profiles asking at once would cancel each other.
import * as vscode from 'vscode';

/** An MFA code provider for the AWS worker pool that asks for one code after the other. */
export function queuedMfaPrompt(): (serial: string, profile: string) => Promise<string> {
  let queue: Promise<unknown> = Promise.resolve();
  return (serial, profile) => {
    const ask = async () => {
      const code = await vscode.window.showInputBox({
        title: `MFA code for profile ${profile}`,
        prompt: `Enter the code of ${serial}`,
        ignoreFocusOut: true,
        validateInput: (v) => (/^\d{6}$/.test(v.trim()) ? undefined : 'Six digits'),
      });
      if (!code) throw new Error(`MFA code entry for profile ${profile} was cancelled`);
      return code.trim();
    };
    // The next prompt waits for this one, whether it was answered or cancelled.
    const next = queue.then(ask, ask);
    queue = next.catch(() => undefined);
    return next;
  };
}
