// The "Flow Logs" output channel, behind the core's Logger interface. Every line passes through
// `redact` on its way out: the core never logs credentials, and this makes sure of it.
import * as vscode from 'vscode';
import { Logger, redact } from './aws/logger';

export class OutputLogger implements Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  /** The last lines, kept for the tests' secret scan and for "Show Output". */
  readonly recent: string[] = [];

  constructor() {
    this.channel = vscode.window.createOutputChannel('Flow Logs', { log: true });
  }

  private keep(line: string): string {
    const safe = redact(line);
    this.recent.push(safe);
    if (this.recent.length > 2000) this.recent.splice(0, this.recent.length - 2000);
    return safe;
  }

  info(m: string): void {
    this.channel.info(this.keep(m));
  }
  warn(m: string): void {
    this.channel.warn(this.keep(m));
  }
  error(m: string): void {
    this.channel.error(this.keep(m));
  }
  dispose(): void {
    this.channel.dispose();
  }
}
