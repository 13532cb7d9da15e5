// Loggers for tests and benchmarks (not shipped: the extension logs to its output channel).
import type { Logger } from '../../src/shared/logger';

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
