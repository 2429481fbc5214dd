import pg from 'pg';

/**
 * SQL text with its values written inline as literals, for the statements
 * that travel in one round trip with BEGIN, a lock, or COMMIT (the simple
 * query protocol takes no parameters). Every value goes through
 * pg.escapeLiteral or is a checked number, so no value is ever read as SQL.
 * Arrays become ARRAY[...]: write the cast after them (`${ids}::bigint[]`).
 *
 * @example sql`SELECT * FROM events WHERE identity = ANY(${['a', "b'c"]}::text[])`
 * // "SELECT * FROM events WHERE identity = ANY(ARRAY['a','b''c']::text[])"
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += literal(value) + strings[i + 1]!;
  });
  return out;
}

export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} as an SQL number`);
    // Parenthesised: a negative number stays one operand whatever precedes it.
    return value < 0 ? `(${value})` : String(value);
  }
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (Buffer.isBuffer(value)) return `${pg.escapeLiteral(`\\x${value.toString('hex')}`)}::bytea`;
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(',')}]`;
  throw new TypeError(`cannot write a ${typeof value} as an SQL literal`);
}
