export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, extra?: unknown): void;
  info(message: string, extra?: unknown): void;
  warn(message: string, extra?: unknown): void;
  error(message: string, extra?: unknown): void;
}

/** Writes to stderr so the launcher's stdout stays free for the test harness. */
export function createLogger(level: LogLevel, prefix = 'engine'): Logger {
  const threshold = ORDER[level];
  const write = (lvl: LogLevel, message: string, extra?: unknown) => {
    if (ORDER[lvl] < threshold) return;
    const tail = extra === undefined ? '' : ` ${extra instanceof Error ? (extra.stack ?? extra.message) : JSON.stringify(extra)}`;
    process.stderr.write(`${new Date().toISOString()} ${lvl.toUpperCase()} [${prefix}] ${message}${tail}\n`);
  };
  return {
    debug: (m, e) => write('debug', m, e),
    info: (m, e) => write('info', m, e),
    warn: (m, e) => write('warn', m, e),
    error: (m, e) => write('error', m, e),
  };
}

export function parseLogLevel(value: string | undefined, fallback: LogLevel): LogLevel {
  const v = (value ?? '').toLowerCase();
  return v in ORDER ? (v as LogLevel) : fallback;
}
