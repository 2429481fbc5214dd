/** One step into a document: a map key or a list index. */
export type Segment = string | number;

/** RFC 6901 JSON Pointer for a path: `[]` -> `""`, `['a/b', 0]` -> `"/a~1b/0"`. */
export function toPointer(path: readonly Segment[]): string {
  let out = '';
  for (const segment of path) out += '/' + String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
  return out;
}

/** The inverse of toPointer; every segment comes back as a string. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`a JSON Pointer starts with "/": ${JSON.stringify(pointer)}`);
  return pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}
