import { DriftError } from '../../errors.js';
import { parsePointer, type Segment } from '../pointer.js';

/** Tests a path (its segments, as a Change carries them) against one compiled glob. */
export type PointerMatcher = (path: readonly Segment[]) => boolean;

// Wildcard tokens; every other token is one literal, already unescaped, segment.
const ONE = Symbol('*');
const ANY = Symbol('**');
type Token = string | typeof ONE | typeof ANY;

/**
 * Compiles a JSON Pointer glob.
 *
 * - The glob is a JSON Pointer whose segments may be wildcards: a segment that is exactly `*`
 *   matches one segment, exactly `**` any number of segments, none included. Any other segment
 *   is literal (`a*` is the key `a*`), compared after RFC 6901 unescaping (`~1` is `/`, `~0` is `~`).
 * - It matches a path itself, not what lies below: `/metadata/annotations/*` matches
 *   `/metadata/annotations/foo`, but neither `/metadata/annotations` nor `/metadata/annotations/a/b`.
 *   A glob ending in `/**` takes the node and its whole subtree.
 * - It starts with `/`, or with `**` (read as `/**`, the way file globs read), or is `""`, the
 *   whole document only. Anything else is refused, as is a `~` not followed by 0 or 1.
 * - A list index is a segment like any other: `/servers/0/port`, `/servers/*\/port`.
 *
 * @example
 * const tls = compilePointerGlob('**\/tls/**');
 * tls(['server', 'tls', 'enabled']); // true
 * tls(['tls']);                      // true
 * tls(['tlsx']);                     // false
 */
export function compilePointerGlob(glob: string): PointerMatcher {
  const tokens = parseGlob(glob);
  if (!tokens.some((t) => typeof t !== 'string')) {
    // No wildcard: a plain comparison, segment by segment.
    return (path) => path.length === tokens.length && path.every((segment, i) => String(segment) === tokens[i]);
  }
  return (path) => matchTokens(tokens, path);
}

/**
 * Whether a JSON Pointer (text) matches a glob; for a one-off test. Rules compile once instead.
 *
 * @example matchesPointerGlob('/metadata/annotations/*', '/metadata/annotations/a~1b') // true
 */
export function matchesPointerGlob(glob: string, pointer: string): boolean {
  return compilePointerGlob(glob)(parsePointer(pointer));
}

function parseGlob(glob: string): Token[] {
  if (glob === '') return [];
  const text = glob === '**' || glob.startsWith('**/') ? '/' + glob : glob;
  if (!text.startsWith('/')) {
    throw new DriftError('CONFIG_INVALID', `a JSON Pointer glob starts with "/" or "**", found ${JSON.stringify(glob)}; write "/${glob}" for a path from the document's root`);
  }
  const tokens: Token[] = [];
  for (const segment of text.slice(1).split('/')) {
    if (/~(?![01])/.test(segment)) {
      throw new DriftError('CONFIG_INVALID', `in the JSON Pointer glob ${JSON.stringify(glob)}, "~" must be followed by 0 (for "~") or 1 (for "/")`);
    }
    const token = segment === '*' ? ONE : segment === '**' ? ANY : segment.replaceAll('~1', '/').replaceAll('~0', '~');
    // `/**/**` means what `/**` means; one is enough for the matcher.
    if (!(token === ANY && tokens.at(-1) === ANY)) tokens.push(token);
  }
  return tokens;
}

/**
 * Wildcard matching over segments: `*` is one segment, `**` any run. On a mismatch after a `**`,
 * that `**` takes one more segment and the match resumes (correct for this pattern language,
 * and linear unless there are several `**`).
 */
function matchTokens(tokens: readonly Token[], path: readonly Segment[]): boolean {
  let t = 0;
  let s = 0;
  let anyAt = -1;
  let resumeAt = 0;
  while (s < path.length) {
    const token = tokens[t];
    if (token === ANY) {
      anyAt = t++;
      resumeAt = s;
    } else if (token !== undefined && (token === ONE || token === String(path[s]))) {
      t++;
      s++;
    } else if (anyAt >= 0) {
      t = anyAt + 1;
      s = ++resumeAt;
    } else return false;
  }
  while (tokens[t] === ANY) t++;
  return t === tokens.length;
}
