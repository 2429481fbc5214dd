// The PostgreSQL store runs the same contract as SQLite, each test in a
// fresh schema of the test database (dropped afterwards), plus what only a
// server has: connection and permission failures, a schema that is not
// ours, concurrent first opens, and separate connections agreeing exactly.
import { afterEach, describe, expect, it } from 'vitest';
import { DriftError } from '../../src/errors.js';
import { openStore } from '../../src/store/open-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { maskPostgresUrl } from '../../src/store/postgres/postgres-url.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/postgres-schema.js';
import type { Store } from '../../src/store/store.js';
import { storeContract } from './contract.js';
import { dropSchemas, freshSchema, postgresProblem, postgresUrl, shouldRunPostgres, withAdmin } from './postgres-test-db.js';

const run = await shouldRunPostgres('the PostgreSQL store tests (test/store/postgres-store.test.ts)');
const made = new Set<string>();
const opened: Store[] = [];

/** A fresh schema's URL, dropped after the test. */
function freshUrl(): string {
  const schema = freshSchema();
  made.add(schema);
  return postgresUrl(schema);
}

async function open(url = freshUrl()): Promise<PostgresStore> {
  const store = await PostgresStore.open(url);
  opened.push(store);
  return store;
}

async function openError(url: string): Promise<DriftError> {
  try {
    opened.push(await PostgresStore.open(url, { busyLimitMs: 2000 }));
  } catch (error) {
    return error as DriftError;
  }
  throw new Error('expected the store to refuse to open');
}

// Registered before the contract's hooks, so it runs after them: stores are closed before their schemas go.
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await dropSchemas([...made]);
  made.clear();
});

describe.runIf(run)('PostgreSQL test server', () => {
  it('is reachable (in CI an unreachable server fails here)', async () => {
    expect(await postgresProblem()).toBeNull();
  });
});

if (run) storeContract('postgres', () => PostgresStore.open(freshUrl()));

describe.runIf(run)('PostgresStore opening', () => {
  it('reports an unreachable server as STORE_UNREACHABLE, naming the URL with its password masked', async () => {
    const error = await openError('postgres://fleet:s3cret-Passw0rd@127.0.0.1:1/test?schema=x');
    expect(error.code).toBe('STORE_UNREACHABLE');
    expect(error.message).toContain('postgres://fleet:***@127.0.0.1:1/test?schema=x');
    expect(error.message).not.toContain('s3cret-Passw0rd');
    expect(error.message).not.toMatch(/\n/);
  });

  it('reports a database that does not exist as STORE_UNREACHABLE', async () => {
    const url = new URL(freshUrl());
    url.pathname = '/no_such_database_dw';
    expect((await openError(url.toString())).code).toBe('STORE_UNREACHABLE');
  });

  it('reports a role the server refuses as STORE_UNWRITABLE', async () => {
    const url = new URL(freshUrl());
    url.username = 'no_such_role_dw';
    url.password = 'hunter2-secret';
    const error = await openError(url.toString());
    expect(error.code).toBe('STORE_UNWRITABLE');
    expect(error.message).not.toContain('hunter2-secret');
  });

  it('opens a schema made for it by an administrator, as a user without CREATE on the database; a user without rights on it is STORE_UNWRITABLE', async () => {
    const url = new URL(freshUrl());
    const schema = url.searchParams.get('schema')!;
    const [owner, stranger] = [`${schema}_owner`, `${schema}_stranger`];
    await withAdmin(async (c) => {
      await c.query(`CREATE ROLE ${owner} LOGIN; CREATE ROLE ${stranger} LOGIN; CREATE SCHEMA ${schema} AUTHORIZATION ${owner}`);
    });
    try {
      url.username = owner;
      const store = await open(url.toString());
      expect((await store.ensureSource({ host: 'h', name: 'app', kind: 'files', origin: '/', now: 1 })).id).toBeGreaterThan(0);
      await store.close();
      url.username = stranger;
      expect((await openError(url.toString())).code).toBe('STORE_UNWRITABLE');
    } finally {
      await withAdmin(async (c) => {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP ROLE ${owner}; DROP ROLE ${stranger}`);
      });
    }
  });

  it('masks the password wherever it is written in the URL', () => {
    expect(maskPostgresUrl('postgres://svc:p%40ss@db:5432/app')).toBe('postgres://svc:***@db:5432/app');
    expect(maskPostgresUrl('postgresql://svc:a@b@db/app')).toBe('postgresql://svc:***@db/app');
    expect(maskPostgresUrl('postgres://svc@db/app?password=x&schema=s')).toBe('postgres://svc@db/app?password=***&schema=s');
    expect(maskPostgresUrl('postgres://db/app')).toBe('postgres://db/app');
  });

  it('refuses a schema name that is not a plain identifier as USAGE', async () => {
    expect((await openError(postgresUrl('Bad-Name; DROP'))).code).toBe('USAGE');
  });

  it("refuses a schema holding someone else's tables as STORE_CORRUPT, without touching them", async () => {
    const url = freshUrl();
    const schema = new URL(url).searchParams.get('schema')!;
    await withAdmin(async (c) => {
      await c.query(`CREATE SCHEMA ${schema}`);
      await c.query(`CREATE TABLE ${schema}.t (x int); INSERT INTO ${schema}.t VALUES (1)`);
    });
    expect((await openError(url)).code).toBe('STORE_CORRUPT');
    await withAdmin(async (c) => {
      expect((await c.query(`SELECT x FROM ${schema}.t`)).rows).toEqual([{ x: 1 }]);
      expect((await c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1`, [schema])).rows[0].n).toBe(1);
    });
  });

  it('refuses a schema whose driftwatch_meta names another application as STORE_CORRUPT', async () => {
    const url = freshUrl();
    await (await open(url)).close();
    const schema = new URL(url).searchParams.get('schema')!;
    await withAdmin((c) => c.query(`UPDATE ${schema}.driftwatch_meta SET value = 'other' WHERE key = 'application'`));
    expect((await openError(url)).code).toBe('STORE_CORRUPT');
  });

  it('refuses a store from a newer schema as STORE_TOO_NEW', async () => {
    const url = freshUrl();
    await (await open(url)).close();
    const schema = new URL(url).searchParams.get('schema')!;
    await withAdmin((c) => c.query(`UPDATE ${schema}.schema_version SET version = 999`));
    const error = await openError(url);
    expect(error.code).toBe('STORE_TOO_NEW');
  });

  it('migrates once when 8 agents open a fresh schema at the same moment', async () => {
    const url = freshUrl();
    const stores = await Promise.all(Array.from({ length: 8 }, () => open(url)));
    expect(new Set(stores.map((s) => s.location))).toEqual(new Set([maskPostgresUrl(url)]));
    const schema = new URL(url).searchParams.get('schema')!;
    await withAdmin(async (c) => {
      expect((await c.query(`SELECT version FROM ${schema}.schema_version`)).rows).toEqual([{ version: POSTGRES_MIGRATIONS.length }]);
    });
    const sources = await Promise.all(stores.map((s) => s.ensureSource({ host: 'h', name: 'app', kind: 'files', origin: '/etc/app', now: 1 })));
    expect(new Set(sources.map((s) => s.id)).size).toBe(1);
  });

  it('is what openStore opens for postgres:// and postgresql:// URLs', async () => {
    const url = freshUrl();
    const a = await openStore(url);
    const b = await openStore(url.replace(/^postgres:/, 'postgresql:'));
    opened.push(a, b);
    expect(a).toBeInstanceOf(PostgresStore);
    expect(b).toBeInstanceOf(PostgresStore);
    expect(a.location).toBe(url);
  });
});

describe.runIf(run)('PostgresStore across connections', () => {
  it('8 stores (separate pools, as on 8 hosts) record one unchanged state once, one event once, and send exactly maxPerHour alerts', async () => {
    const url = freshUrl();
    const stores = await Promise.all(Array.from({ length: 8 }, () => open(url)));
    const source = await stores[0]!.ensureSource({ host: 'h', name: 'app', kind: 'files', origin: '/etc/app', now: 1 });
    const content = { id: 'c1', format: 'yaml' as const, size: 5, encoding: { bom: false, eol: 'lf' as const }, document: '{}', raw: Buffer.from([0, 1, 2, 255]), secret: false };
    const file = { file: 'a.yaml', type: 'file' as const, mode: 0o644, uid: 4_000_000_000, gid: 0, size: 5, mtimeMs: 1.25, contentId: 'c1', target: null };
    const snaps = await Promise.all(stores.flatMap((s) => [1, 2, 3].map((i) =>
      s.recordSnapshot({ sourceId: source.id, takenAt: i, digest: 'd', keyId: 'k', files: [file], contents: [content] }))));
    expect(snaps.filter((r) => r.status === 'created')).toHaveLength(1);
    expect((await stores[1]!.listSnapshots(source.id)).length).toBe(1);
    expect(await stores[2]!.snapshotFiles(snaps[0]!.status === 'missing-contents' ? 0 : snaps[0]!.snapshot.id)).toEqual([file]);
    expect((await stores[3]!.getContents(['c1'])).get('c1')!.raw).toEqual(content.raw);

    const event = {
      identity: 'e1', sourceId: source.id, againstSnapshotId: 1, snapshotId: 2, file: 'a.yaml', path: '/a', kind: 'modified' as const, attribute: null,
      before: 'i:1', after: 'i:2', severity: 'high' as const, type: 'manual_change' as const, secret: false, detectedAt: 5,
    };
    const recorded = await Promise.all(stores.map((s, i) => s.recordEvents([event, { ...event, identity: `own-${i}` }])));
    expect(new Set(recorded.map((r) => r.find((e) => e.identity === 'e1')!.id)).size).toBe(1);
    expect((await stores[0]!.listEvents()).length).toBe(9);

    const decisions = await Promise.all(stores.flatMap((s, i) => Array.from({ length: 25 }, (_, k) =>
      s.decideAlert({ key: `k-${i}-${k}`, eventId: null, now: 10_000, cooldownMs: 3_600_000, maxPerHour: 10 }))));
    expect(decisions.filter((d) => d.send)).toHaveLength(10);
    expect(new Set(decisions.map((d) => d.id)).size).toBe(200);
  });

  it('prune waits for a snapshot write in flight (the prune lock held shared) and runs once it commits', async () => {
    const url = freshUrl();
    const schema = new URL(url).searchParams.get('schema')!;
    const store = await open(url);
    const policy = { snapshots: { maxAgeMs: 0, keepLast: 1 }, events: { maxAgeMs: 1000 } };
    await withAdmin(async (writer) => {
      await writer.query(`BEGIN; SELECT pg_advisory_xact_lock_shared(hashtextextended('driftwatch:${schema}:prune', 0))`);
      let done = false;
      const pruning = store.prune(policy, 10_000).then((r) => { done = true; return r; });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(done).toBe(false);
      await writer.query('COMMIT');
      expect(await pruning).toEqual({ snapshots: 0, contents: 0, events: 0, checks: 0 });
    });
  });

  it('a lock held past the busy limit is STORE_BUSY, never a hang', async () => {
    const url = freshUrl();
    const schema = new URL(url).searchParams.get('schema')!;
    const store = await PostgresStore.open(url, { busyLimitMs: 500 });
    opened.push(store);
    await withAdmin(async (holder) => {
      await holder.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtextextended('driftwatch:${schema}:alerts', 0))`);
      const error = await store.decideAlert({ key: 'k', eventId: null, now: 1, cooldownMs: 0, maxPerHour: 1 }).catch((e: DriftError) => e);
      await holder.query('ROLLBACK');
      expect((error as DriftError).code).toBe('STORE_BUSY');
    });
    expect((await store.decideAlert({ key: 'k', eventId: null, now: 1, cooldownMs: 0, maxPerHour: 1 })).send).toBe(true);
  });

  it('a connection the server ends (an administrator, a restart) is replaced: the call runs again on a new one, whole', async () => {
    const url = new URL(freshUrl());
    const app = `dw_drop_${process.pid}`;
    url.searchParams.set('application_name', app);
    const schema = url.searchParams.get('schema')!;
    const store = await open(url.toString());
    const terminate = (c: { query(sql: string, args: unknown[]): Promise<unknown> }) =>
      c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [app]);
    await store.listSources();
    await withAdmin(async (admin) => {
      // An idle pooled connection ended: the next call finds it dead and runs on a new one.
      await terminate(admin);
      expect(await store.listSources()).toEqual([]);
      // A connection ended while its call waits for a lock: its transaction was rolled back; the call runs again.
      await admin.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtextextended('driftwatch:${schema}:alerts', 0))`);
      const waiting = store.decideAlert({ key: 'k', eventId: null, now: 1, cooldownMs: 0, maxPerHour: 1 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await terminate(admin);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await admin.query('ROLLBACK');
      expect((await waiting).send).toBe(true);
    });
    // Decided once: the second call finds the hour's one place taken.
    expect((await store.decideAlert({ key: 'k2', eventId: null, now: 1, cooldownMs: 0, maxPerHour: 1 })).send).toBe(false);
  });

  it('a summary is one point in time: events24h equals events and the severities sum to it while writers insert', async () => {
    const url = freshUrl();
    const [writer, reader] = await Promise.all([open(url), open(url)]);
    const source = await writer.ensureSource({ host: 'h', name: 'app', kind: 'files', origin: '/', now: 1 });
    let done = false;
    const writing = (async () => {
      for (let i = 0; i < 100; i++) {
        await writer.recordEvents([{ identity: `s-${i}`, sourceId: source.id, againstSnapshotId: 1, snapshotId: 2, file: 'f', path: `/${i}`, kind: 'added',
          attribute: null, before: null, after: 'i:1', severity: (['low', 'medium', 'high', 'critical'] as const)[i % 4]!, type: 'manual_change', secret: false, detectedAt: 1000 }]);
      }
      done = true;
    })();
    const seen: number[] = [];
    while (!done) {
      const s = await reader.summary(2000);
      expect(s.events24h).toBe(s.events);
      expect(s.restorable24h).toBe(s.events);
      seen.push(s.events);
    }
    await writing;
    expect(seen.every((n, i) => i === 0 || n >= seen[i - 1]!)).toBe(true);
    expect((await reader.summary(2000)).events).toBe(100);
  });
});
