import { redactValue, type RedactOptions } from '../core/redact.js';
import { encodeValue } from '../core/value-codec.js';
import type { FileProblem, FormatName } from '../formats/format.js';
import type { ContentRecord } from '../store/store.js';

export type BuiltContent = { content: ContentRecord } | { problems: FileProblem[] };

/**
 * Parses one file's bytes and redacts the document: the only path by which
 * file content reaches the store. Raw bytes are kept only when nothing in
 * the file was a secret.
 */
export async function buildContent(redaction: RedactOptions, id: string, bytes: Buffer, format: FormatName): Promise<BuiltContent> {
  // Loaded on first use: a re-check that finds nothing new never pays for the parsers.
  const { parseFile } = await import('../formats/parse-file.js');
  const parsed = parseFile(bytes, format);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const base = { id, format: parsed.format, size: bytes.length, encoding: parsed.encoding };
  if (parsed.document === undefined) {
    // Binary: compared by its keyed hash only. Raw bytes are not kept, they may hold anything.
    return { content: { ...base, secret: false } };
  }
  const redacted = redactValue(parsed.document, redaction, parsed.format === 'text');
  const content: ContentRecord = { ...base, document: encodeValue(redacted.value), secret: redacted.secret };
  if (!redacted.secret) content.raw = bytes;
  return { content };
}
