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

/** Collects lines in memory: for tests and benchmarks. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  info(m: string): void {
    this.lines.push(`INFO ${m}`);
  }
  warn(m: string): void {
    this.lines.push(`WARN ${m}`);
  }
  error(m: string): void {
    this.lines.push(`ERROR ${m}`);
  }
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
