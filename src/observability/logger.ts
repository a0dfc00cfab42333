import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import pretty from 'pino-pretty';

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** JSON lines go here: the queryable record of every LLM call. */
  file?: string;
  level?: pino.LevelWithSilent;
  /** Human-readable output; `false` keeps the console quiet (the CLI draws a progress bar there). */
  console?: pino.LevelWithSilent | false;
  /**
   * How the console stream is written: `pretty` for a person at a terminal, `json` (pino's own
   * lines) for a log collector. Defaults to pretty on a TTY and json otherwise: pino-pretty
   * re-parses and formats every line, which cost a worker writing to a pipe 6% of its CPU.
   */
  consoleFormat?: 'pretty' | 'json';
  /** Secrets to scrub from any string that reaches a record, whatever field carries it. */
  secrets?: Array<string | undefined>;
}

/**
 * Field names that carry credentials anywhere in a record. Redaction by path is pino's own
 * mechanism; the `secrets` hook below also catches a key embedded in an error message.
 */
const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["api-key"]',
];

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? 'info';
  // multistream takes real levels only; 'silent' is expressed by the logger's own level.
  const streamLevel: pino.Level = level === 'silent' ? 'fatal' : level;
  const streams: pino.StreamEntry[] = [];
  if (opts.file) {
    mkdirSync(dirname(opts.file), { recursive: true });
    streams.push({
      level: streamLevel,
      stream: buffered(opts.file),
    });
  }
  if (opts.console !== false) {
    const format = opts.consoleFormat ?? (process.stdout.isTTY ? 'pretty' : 'json');
    streams.push({
      level: opts.console === undefined || opts.console === 'silent' ? streamLevel : opts.console,
      stream:
        format === 'pretty'
          ? pretty({
              colorize: process.stdout.isTTY,
              translateTime: 'SYS:HH:MM:ss.l',
              ignore: 'pid,hostname',
            })
          : buffered(1),
    });
  }
  const secrets = (opts.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 8);
  return pino(
    {
      level,
      base: { service: 'scoreline' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Only set when there is something to scrub: `hooks: undefined` would replace pino's defaults.
      ...(secrets.length
        ? {
            hooks: {
              logMethod(args, method) {
                method.apply(this, scrub(args, secrets) as Parameters<typeof method>);
              },
            },
          }
        : {}),
    },
    pino.multistream(streams),
  );
}

/**
 * Lines are written in blocks of about 4 KB rather than one write per record: a write per
 * record was 5% of a worker's CPU at zero latency (two per LLM call, file and console). The
 * cost is freshness, bounded by a flush every second, and what a SIGKILL takes with it: at
 * most the last block. A normal exit flushes (pino registers that), and the call itself is
 * never lost: its database row is written before the activity returns.
 */
export const LOG_BLOCK_BYTES = 4096;
const LOG_FLUSH_MS = 1000;
type Destination = ReturnType<typeof pino.destination>;
const bufferedStreams = new Set<Destination>();
let flushTimer: NodeJS.Timeout | undefined;

function buffered(dest: string | number): Destination {
  const stream = pino.destination({ dest, sync: false, mkdir: true, minLength: LOG_BLOCK_BYTES });
  bufferedStreams.add(stream);
  stream.on('close', () => bufferedStreams.delete(stream));
  flushTimer ??= setInterval(() => {
    for (const s of bufferedStreams) s.flush();
  }, LOG_FLUSH_MS).unref();
  return stream;
}

function scrub(value: unknown, secrets: string[]): unknown {
  if (typeof value === 'string')
    return secrets.reduce((s, secret) => s.split(secret).join('[redacted]'), value);
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets));
  if (value instanceof Error)
    return scrub({ name: value.name, message: value.message, stack: value.stack }, secrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, secrets)]));
  }
  return value;
}

/** Writes out what the buffered destinations hold: for readers of the log in this process. */
export function flushLogs(): Promise<void> {
  return Promise.all(
    [...bufferedStreams].map((s) => new Promise<void>((resolve) => s.flush(() => resolve()))),
  ).then(() => undefined);
}
