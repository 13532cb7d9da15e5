// The core logs through this interface; the VS Code layer backs it with the "Flow Logs" output
// channel. Callers log operations, counts and error codes only, never credentials; `redact`
// is a second line of defence for text that comes from elsewhere (error messages).
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const SECRET_PATTERNS: RegExp[] = [
  /(aws_secret_access_key|aws_session_token|secretaccesskey|sessiontoken|x-amz-security-token|signature)(["'\s:=]+)([^\s"',;&]+)/gi,
  /\b(ASIA|AKIA)[A-Z0-9]{12,}\b/g, // access key IDs are not secret, but keep them out of logs too
];

export function redact(text: string): string {
  let out = text;
  out = out.replace(SECRET_PATTERNS[0], (_m, key: string, sep: string) => `${key}${sep}[redacted]`);
  out = out.replace(SECRET_PATTERNS[1], (m: string) => `${m.slice(0, 4)}…${m.slice(-4)}`);
  return out;
}

/** Collects lines in memory: for tests and benchmarks. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  info(m: string): void { this.lines.push(`INFO ${m}`); }
  warn(m: string): void { this.lines.push(`WARN ${m}`); }
  error(m: string): void { this.lines.push(`ERROR ${m}`); }
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
