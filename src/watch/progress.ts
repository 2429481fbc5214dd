import type { Logger } from './logger.js';

export interface Progress {
  /** One more source finished its first scan, with this many files. */
  advance(files: number): void;
  /** Removes the bar (the scan is over). */
  finish(): void;
}

export interface ProgressOptions {
  logger: Pick<Logger, 'status'>;
  /** Sources in the first scan. */
  total: number;
  /** Only a terminal gets a bar. */
  enabled: boolean;
  /** A first scan quicker than this shows no bar. Default 1000 ms. */
  delayMs?: number;
  /** Redraws at most this often. Default 100 ms. */
  frameMs?: number;
  clock?: () => number;
}

const WIDTH = 20;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * The first-scan progress bar: nothing for a scan that ends within a second,
 * then `⠹ first scan [██████░░░░░░] 3/5 sources · 12,345 files · 4.2s` on
 * the logger's status line, redrawn while it runs. Nothing at all off a
 * terminal (the JSON log says when the scan ends).
 *
 * @example
 * const progress = createProgress({ logger, total: 2, enabled: io.isTty });
 * progress.advance(120); progress.advance(40); progress.finish();
 */
export function createProgress(options: ProgressOptions): Progress {
  const clock = options.clock ?? Date.now;
  const started = clock();
  let done = 0;
  let files = 0;
  let frame = 0;
  let shown = false;
  const timer = options.enabled
    ? setInterval(() => {
      if (clock() - started >= (options.delayMs ?? 1000)) draw();
    }, options.frameMs ?? 100)
    : undefined;
  timer?.unref();

  function draw(): void {
    shown = true;
    const filled = options.total === 0 ? WIDTH : Math.round((done / options.total) * WIDTH);
    const seconds = ((clock() - started) / 1000).toFixed(1);
    options.logger.status(
      `${SPINNER[frame++ % SPINNER.length]} first scan [${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ` +
      `${done}/${options.total} sources · ${files.toLocaleString('en-US')} files · ${seconds}s`,
    );
  }

  return {
    advance(count) {
      done++;
      files += count;
      if (shown) draw();
    },
    finish() {
      if (timer) clearInterval(timer);
      if (shown) options.logger.status(null);
    },
  };
}
