// The PostgreSQL server the tests use, and a fresh schema per test so tests
// never share state and never drop databases. The server is
// DRIFTWATCH_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/test).
// When it does not answer: in CI (CI=true) the PostgreSQL tests run anyway
// and fail; elsewhere they are skipped, saying so on the console.
import pg from 'pg';

export const POSTGRES_TEST_URL = process.env.DRIFTWATCH_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

let checked: Promise<string | null> | undefined;

/** Why the server cannot be used, or null when it answers. Asked once per process. */
export function postgresProblem(): Promise<string | null> {
  checked ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_TEST_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return null;
    } catch (error) {
      return `${POSTGRES_TEST_URL}: ${(error as Error).message || (error as { code?: string }).code}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return checked;
}

/**
 * Whether to run the PostgreSQL tests: yes when the server answers, and in
 * CI always (so an unreachable server fails them); otherwise no, with a
 * console message naming what was tried.
 */
export async function shouldRunPostgres(what: string): Promise<boolean> {
  const problem = await postgresProblem();
  if (problem === null || process.env.CI === 'true') return true;
  console.warn(`[driftwatch tests] SKIPPING ${what}: PostgreSQL is not reachable (${problem}). Set DRIFTWATCH_TEST_POSTGRES, or CI=true to make this a failure.`);
  return false;
}

let counter = 0;

/** A schema name no other test (or process) uses. */
export function freshSchema(prefix = 'dw_test'): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${++counter}`;
}

/**
 * The test server's URL with `?schema=NAME`. Unless the URL sets server
 * options, commits do not wait for the disk (synchronous_commit=off): what
 * the tests prove rests on locks, unique keys and visibility, which that
 * setting does not change (it only matters when the server itself crashes),
 * and waiting for fsync under a global lock would make them several times slower.
 */
export function postgresUrl(schema: string, base = POSTGRES_TEST_URL): string {
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  if (!url.searchParams.has('options')) url.searchParams.set('options', '-c synchronous_commit=off');
  return url.toString();
}

/** The schema a store URL names, if it names one. */
export function schemaOf(url: string): string | null {
  return /^postgres(ql)?:/i.test(url) ? new URL(url).searchParams.get('schema') : null;
}

/** Runs `work` on one plain connection to the test server (for setting up or inspecting a schema). */
export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops test schemas and everything in them. */
export async function dropSchemas(schemas: Iterable<string>): Promise<void> {
  const list = [...schemas];
  if (list.length === 0) return;
  await withAdmin(async (client) => {
    for (const schema of list) await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(schema)} CASCADE`);
  });
}
