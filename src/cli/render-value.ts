import { toJsonText } from '../core/json-text.js';
import { DateTime, Secret, type Value } from '../core/value.js';

/** A value on one line for a terminal: strings bare when plain, everything else as JSON, long ones cut. */
export function renderValue(value: Value | undefined, width = 60): string {
  if (value === undefined) return '(none)';
  const text = value instanceof Secret || value instanceof DateTime ? String(value instanceof Secret ? value.display : value.text) : typeof value === 'string' && /^[\x21-\x7e][\x20-\x7e]*$/.test(value) && !/\s$/.test(value)
    ? value
    : toJsonText(value);
  return text.length > width ? text.slice(0, width - 1) + '…' : text;
}
