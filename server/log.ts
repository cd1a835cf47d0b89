import { pino, stdTimeFunctions, type DestinationStream } from 'pino';

/**
 * JSON-lines logging on pino. Callers should pass only non-secret fields, and the redaction
 * below is the net under that rule: any field named like a secret (tokens, credentials,
 * cookies, WebAuthn responses), at the top level or one level down, is written as
 * "[redacted]" — configured here once for every logger the server makes.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const SECRET_FIELDS = [
  'token',
  'credential',
  'cookie',
  'authorization',
  'password',
  'secret',
  'enrollmentCode',
  'code',
  'response',
  'privateKey',
  'privateJwk',
];
export const REDACTED_PATHS = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]);

export function createLogger(
  opts: { level?: LogLevel; write?: (line: string) => void } = {},
): Logger {
  const destination: DestinationStream | undefined = opts.write
    ? { write: (line: string) => opts.write!(line.replace(/\n$/, '')) }
    : undefined;
  const p = pino(
    {
      level: opts.level ?? 'info',
      base: undefined, // no pid/hostname: one server, and logs say nothing about the host
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
  const emit = (level: LogLevel) => (msg: string, fields?: LogFields) =>
    fields ? p[level](fields, msg) : p[level](msg);
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** A logger that drops everything, for tests. */
export const silentLogger: Logger = createLogger({ write: () => undefined, level: 'error' });
