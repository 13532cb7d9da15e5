// The "Flow Logs" output channel, behind the core's Logger interface. Every line passes through
// `redact` on its way out: the core never logs credentials, and this makes sure of it.
import * as vscode from 'vscode';
import { Logger, redact } from './shared/logger';

export class OutputLogger implements Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly written = new vscode.EventEmitter<string>();
  /** Each line as it was written to the channel (redacted). */
  readonly onDidWrite = this.written.event;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Flow Logs', { log: true });
  }

  private safe(line: string): string {
    const safe = redact(line);
    this.written.fire(safe);
    return safe;
  }

  info(m: string): void {
    this.channel.info(this.safe(m));
  }
  warn(m: string): void {
    this.channel.warn(this.safe(m));
  }
  error(m: string): void {
    this.channel.error(this.safe(m));
  }
  dispose(): void {
    this.written.dispose();
    this.channel.dispose();
  }
}

/**
 * The last `max` lines written to the output channel from now on, for the extension's exported
 * test API (the integration tests scan them for secrets and for what was logged).
 */
export function keepOutputLines(logger: OutputLogger, max = 2000): () => readonly string[] {
  const kept: string[] = [];
  logger.onDidWrite((line) => {
    kept.push(line);
    if (kept.length > max) kept.splice(0, kept.length - max);
  });
  return () => kept;
}
