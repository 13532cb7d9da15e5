// The core logs through this interface; the VS Code layer backs it with the "Flow Logs" output
// channel. Callers log operations, counts and error codes only, never credentials; `redact`
// is a second line of defence for text that comes from elsewhere (error messages).
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The one redaction function (redact.ts), under the name the rest of the code uses. */
export { redactSecrets as redact } from './redact';
