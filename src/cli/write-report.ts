import { toJsonText } from '../core/json-text.js';
import { DriftError } from '../errors.js';
import type { CliIo } from './cli-io.js';
import type { GlobalOptions } from './global-options.js';
import { createPaint, type Paint } from './paint.js';

/** Renderings only some commands have (check: SARIF for code scanning, Markdown for pull requests). */
export interface ExtraFormats {
  sarif?: () => unknown;
  markdown?: () => string;
}

/**
 * Prints a command's result: with --format json the one JSON document and
 * nothing else on stdout; otherwise the text, coloured on a terminal.
 */
export function writeReport(io: CliIo, options: GlobalOptions, document: unknown, text: (paint: Paint) => string, extra: ExtraFormats = {}): void {
  if (options.format === 'sarif' || options.format === 'markdown') {
    const render = extra[options.format];
    if (!render) throw new DriftError('USAGE', `--format ${options.format} is for driftwatch check; use text or json here`);
    io.stdout(options.format === 'sarif' ? toJsonText((render as () => unknown)(), 2) + '\n' : (render as () => string)());
    return;
  }
  if (options.format === 'json') {
    io.stdout(toJsonText(document, 2) + '\n');
    return;
  }
  if (options.quiet) return;
  io.stdout(text(createPaint(options.color && io.isTty && !io.env.NO_COLOR)));
}
