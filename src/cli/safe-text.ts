/**
 * Text from the outside world (file names, keys, messages) made safe for a
 * terminal: control characters become visible escapes, so a file named to
 * clear the screen or forge a line prints as what it is.
 *
 * @example safeText('a\x1b[2Jb\n') // 'a\\u001b[2Jb\\n'
 */
export function safeText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
