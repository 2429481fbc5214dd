import { styleText } from 'node:util';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured fields of one log record; values must be JSON-safe. */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, message: string, fields?: LogFields): void;
  info(event: string, message: string, fields?: LogFields): void;
  warn(event: string, message: string, fields?: LogFields): void;
  error(event: string, message: string, fields?: LogFields): void;
  /**
   * The one line at the bottom of a terminal that log lines scroll above
   * (the progress bar); null removes it. Ignored when not on a terminal.
   */
  status(line: string | null): void;
}

export interface LoggerOptions {
  /** Where lines go (stdout in the CLI). */
  write: (text: string) => void;
  /** JSON lines (for journald, files, pipes) or readable lines (for a terminal). */
  json: boolean;
  /** Records below this level are dropped. Default `info`. */
  level?: LogLevel;
  /** Colours on readable lines. Default false. */
  color?: boolean;
  /** Epoch ms. Default `Date.now`. */
  clock?: () => number;
}

const LEVEL_STYLE: Record<LogLevel, Parameters<typeof styleText>[0]> = {
  debug: 'gray', info: 'cyan', warn: 'yellow', error: ['bold', 'red'],
};

/**
 * The agent's logger: one JSON object per line off a terminal
 * (`{"time","level","event","msg",...fields}`), a short readable line on
 * one. `event` is a stable name scripts can match (`cycle`, `drift`,
 * `source.missing`); `msg` is for people.
 *
 * @example
 * const log = createLogger({ write: (t) => process.stdout.write(t), json: !process.stdout.isTTY });
 * log.info('watch.ready', 'watching 2 sources', { sources: 2 });
 */
export function createLogger(options: LoggerOptions): Logger {
  const clock = options.clock ?? Date.now;
  const min = LOG_LEVELS.indexOf(options.level ?? 'info');
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (options.color ? styleText(style, text) : text);
  let statusLine: string | null = null;

  const emit = (level: LogLevel, event: string, message: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const time = new Date(clock()).toISOString();
    if (options.json) {
      options.write(JSON.stringify({ time, level, event, msg: message, ...fields }) + '\n');
      return;
    }
    const line = `${time.slice(11, 19)} ${paint(LEVEL_STYLE[level], level.toUpperCase().padEnd(5))} ${printable(message)}\n`;
    // A log line scrolls above the status line: clear it, write, draw it again.
    options.write(statusLine === null ? line : `\r\x1b[2K${line}${statusLine}`);
  };

  return {
    debug: (event, message, fields) => emit('debug', event, message, fields),
    info: (event, message, fields) => emit('info', event, message, fields),
    warn: (event, message, fields) => emit('warn', event, message, fields),
    error: (event, message, fields) => emit('error', event, message, fields),
    status(line) {
      if (options.json) return;
      if (line === null) {
        if (statusLine !== null) options.write('\r\x1b[2K');
      } else {
        options.write(`\r\x1b[2K${printable(line)}`);
      }
      statusLine = line === null ? null : printable(line);
    },
  };
}

/** File names may hold control characters: a terminal gets them escaped, never raw. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\t' ? c : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** A logger that drops everything (library use without logging). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, status() {} };
