/**
 * Splits a key into lower-case words: `DB_PASSWORD`, `dbPassword`,
 * `db.password` and `db-password` all give ['db', 'password'].
 */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}
