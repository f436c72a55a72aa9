/**
 * The one structured logger: JSON lines on stderr. Fields whose names look secret are printed as
 * `[redacted]`, at any depth, so a secret cannot reach a log by accident.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_FIELD = /secret|password|token|private.?key|appcode|^key$|credential|authorization|^data$|^stringData$/i;

const REDACTED = '[redacted]';

/** Deep copy with secret-looking fields replaced; safe for logs, dumps and golden files. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = SECRET_FIELD.test(key) && field !== undefined ? REDACTED : redact(field, depth + 1);
  }
  return out;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  readonly level?: Level;
  readonly write?: (line: string) => void;
  readonly base?: Record<string, unknown>;
}

function errorFields(fields: Record<string, unknown>): Record<string, unknown> {
  const err = fields.err;
  return err instanceof Error ? { ...fields, err: err.message } : fields;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string): void => void process.stderr.write(`${line}\n`));
  const base = options.base ?? {};
  const emit = (level: Level, msg: string, fields: Record<string, unknown> = {}): void => {
    if (ORDER[level] < threshold) return;
    const record = redact({ time: new Date().toISOString(), level, msg, ...base, ...errorFields(fields) });
    write(JSON.stringify(record));
  };
  return {
    debug: (msg, fields) => { emit('debug', msg, fields); },
    info: (msg, fields) => { emit('info', msg, fields); },
    warn: (msg, fields) => { emit('warn', msg, fields); },
    error: (msg, fields) => { emit('error', msg, fields); },
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}
