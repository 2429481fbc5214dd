import { toJsonText } from '../core/json-text.js';
import { DateTime, Secret, type Value } from '../core/value.js';
import { safeText } from './safe-text.js';

/**
 * A value on one line for a terminal: plain strings bare (unless
 * `bareStrings` is off, to tell "8080" from 8080), everything else as JSON,
 * long ones cut, control characters never raw.
 */
export function renderValue(value: Value | undefined, width = 60, bareStrings = true): string {
  if (value === undefined) return '(none)';
  let text: string;
  if (value instanceof Secret) text = safeText(value.display);
  else if (value instanceof DateTime) text = value.text;
  else if (bareStrings && typeof value === 'string' && /^[\x21-\x7e][\x20-\x7e]*$/.test(value) && !/\s$/.test(value)) text = value;
  else text = safeText(toJsonText(value));
  return text.length > width ? text.slice(0, width - 1) + '…' : text;
}
