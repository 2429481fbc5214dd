import type { ScanCacheEntry } from './store.js';

const MAGIC = 0x31535744; // "DWS1", little-endian

/**
 * The scan cache of one source as one compact blob: it is read on every
 * re-check, and one blob decodes several times faster than a row per file
 * (numbers land in one Float64Array, names in one string split).
 *
 * Layout: magic u32, count u32, count x 4 float64 (size, mtimeMs, ctimeMs,
 * ino), count x u8 racy, then UTF-8 text: the file names and content ids,
 * each followed by NUL (no file name can hold a NUL).
 */
export function encodeScanCache(entries: Iterable<ScanCacheEntry>): Buffer {
  const list = [...entries];
  const count = list.length;
  const numbers = new Float64Array(count * 4);
  const racy = new Uint8Array(count);
  const text: string[] = [];
  list.forEach((e, i) => {
    numbers.set([e.size, e.mtimeMs, e.ctimeMs, e.ino], i * 4);
    racy[i] = e.racy ? 1 : 0;
    text.push(e.file);
  });
  for (const e of list) text.push(e.contentId ?? '');
  const head = Buffer.alloc(8);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(count, 4);
  const body = count === 0 ? '' : text.join('\0') + '\0';
  return Buffer.concat([head, Buffer.from(numbers.buffer), Buffer.from(racy), Buffer.from(body, 'utf8')]);
}

export function decodeScanCache(blob: Uint8Array): Map<string, ScanCacheEntry> {
  const out = new Map<string, ScanCacheEntry>();
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 8 || buf.readUInt32LE(0) !== MAGIC) return out;
  const count = buf.readUInt32LE(4);
  // Copied into its own buffer: a Float64Array needs 8-byte alignment the blob may not have.
  const numbers = new Float64Array(count * 4);
  buf.copy(new Uint8Array(numbers.buffer), 0, 8, 8 + count * 32);
  const racyAt = 8 + count * 32;
  const text = buf.toString('utf8', racyAt + count).split('\0');
  for (let i = 0; i < count; i++) {
    const file = text[i]!;
    const contentId = text[count + i]!;
    out.set(file, {
      file, size: numbers[i * 4]!, mtimeMs: numbers[i * 4 + 1]!, ctimeMs: numbers[i * 4 + 2]!, ino: numbers[i * 4 + 3]!,
      racy: buf[racyAt + i] === 1, contentId: contentId === '' ? null : contentId,
    });
  }
  return out;
}
