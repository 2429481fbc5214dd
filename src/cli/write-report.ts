import { toJsonText } from '../core/json-text.js';
import type { CliIo } from './cli-io.js';
import type { GlobalOptions } from './global-options.js';
import { createPaint, type Paint } from './paint.js';

/**
 * Prints a command's result: with --format json the one JSON document and
 * nothing else on stdout; otherwise the text, coloured on a terminal.
 */
export function writeReport(io: CliIo, options: GlobalOptions, document: unknown, text: (paint: Paint) => string): void {
  if (options.format === 'json') {
    io.stdout(toJsonText(document, 2) + '\n');
    return;
  }
  if (options.quiet) return;
  io.stdout(text(createPaint(options.color && io.isTty && !io.env.NO_COLOR)));
}
