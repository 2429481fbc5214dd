/**
 * The PostgreSQL schema as an ordered list of migrations. `schema_version`
 * records how many have run; a migration is never edited once released, only
 * followed by another. Ids come from identity sequences (BIGINT), times are
 * BIGINT epoch milliseconds from the caller's clock, bytes are BYTEA, and
 * names that are sorted (file, host, name) use the "C" collation so their
 * order is the same byte order as SQLite's, whatever the database's locale.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sources (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    origin TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (host, name)
  );
  CREATE TABLE contents (
    id TEXT COLLATE "C" PRIMARY KEY,
    format TEXT NOT NULL,
    size BIGINT NOT NULL,
    bom BOOLEAN NOT NULL,
    eol TEXT NOT NULL,
    document TEXT,
    raw BYTEA,
    secret BOOLEAN NOT NULL
  );
  CREATE TABLE snapshots (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id BIGINT NOT NULL REFERENCES sources (id),
    taken_at BIGINT NOT NULL,
    digest TEXT NOT NULL,
    key_id TEXT NOT NULL,
    file_count INTEGER NOT NULL
  );
  CREATE INDEX snapshots_by_source ON snapshots (source_id, id);
  CREATE TABLE snapshot_files (
    snapshot_id BIGINT NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    file TEXT COLLATE "C" NOT NULL,
    type TEXT NOT NULL,
    mode BIGINT NOT NULL,
    uid BIGINT NOT NULL,
    gid BIGINT NOT NULL,
    size BIGINT NOT NULL,
    mtime_ms DOUBLE PRECISION NOT NULL,
    content_id TEXT COLLATE "C",
    target TEXT,
    PRIMARY KEY (snapshot_id, file)
  );
  CREATE INDEX snapshot_files_by_content ON snapshot_files (content_id);
  CREATE TABLE baselines (
    source_id BIGINT PRIMARY KEY REFERENCES sources (id),
    snapshot_id BIGINT NOT NULL REFERENCES snapshots (id),
    accepted_at BIGINT NOT NULL,
    accepted_by TEXT NOT NULL,
    reason TEXT
  );
  CREATE TABLE baseline_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id BIGINT NOT NULL,
    snapshot_id BIGINT NOT NULL,
    accepted_at BIGINT NOT NULL,
    accepted_by TEXT NOT NULL,
    reason TEXT
  );
  CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    identity TEXT COLLATE "C" NOT NULL UNIQUE,
    source_id BIGINT NOT NULL,
    against_snapshot_id BIGINT NOT NULL,
    snapshot_id BIGINT NOT NULL,
    file TEXT NOT NULL,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    attribute TEXT,
    before TEXT,
    after TEXT,
    severity TEXT NOT NULL,
    type TEXT NOT NULL,
    secret BOOLEAN NOT NULL,
    detected_at BIGINT NOT NULL
  );
  CREATE INDEX events_by_time ON events (detected_at);
  CREATE INDEX events_by_source ON events (source_id, id);
  CREATE TABLE checks (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id BIGINT NOT NULL,
    snapshot_id BIGINT,
    at BIGINT NOT NULL,
    status TEXT NOT NULL,
    changes INTEGER NOT NULL,
    problem_count INTEGER NOT NULL
  );
  CREATE INDEX checks_by_source ON checks (source_id, id);
  CREATE TABLE problems (
    check_id BIGINT NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    file TEXT NOT NULL,
    code TEXT NOT NULL,
    line INTEGER,
    col INTEGER,
    key TEXT,
    message TEXT NOT NULL,
    PRIMARY KEY (check_id, seq)
  );
  CREATE TABLE scan_caches (
    source_id BIGINT PRIMARY KEY,
    data BYTEA NOT NULL
  );
  CREATE TABLE source_health (
    source_id BIGINT PRIMARY KEY,
    updated_at BIGINT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE TABLE silences (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    match TEXT NOT NULL,
    owner TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX silences_by_expiry ON silences (expires_at);
  CREATE TABLE alerts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    host TEXT,
    source TEXT,
    severity TEXT NOT NULL,
    decided_at BIGINT NOT NULL,
    held BOOLEAN NOT NULL,
    reason TEXT NOT NULL,
    counted BOOLEAN NOT NULL,
    due_at BIGINT,
    digest_id BIGINT,
    receiver TEXT,
    summary TEXT
  );
  CREATE INDEX alerts_counted_by_time ON alerts (decided_at) WHERE counted;
  CREATE INDEX alerts_waiting_for_digest ON alerts (id) WHERE held AND digest_id IS NULL;
  CREATE TABLE alert_items (
    alert_id BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    event_id BIGINT,
    key TEXT NOT NULL,
    severity TEXT NOT NULL,
    type TEXT NOT NULL,
    detected_at BIGINT NOT NULL,
    detail TEXT NOT NULL,
    PRIMARY KEY (alert_id, seq)
  );
  CREATE INDEX alert_items_by_event ON alert_items (event_id) WHERE event_id IS NOT NULL;
  CREATE TABLE alert_deliveries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    receiver TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    reason TEXT,
    created_at BIGINT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    sent_at BIGINT,
    digest_id BIGINT,
    UNIQUE (alert_id, receiver)
  );
  CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE status = 'pending';
  CREATE INDEX alert_deliveries_by_receiver ON alert_deliveries (receiver, created_at);
  CREATE INDEX alert_deliveries_waiting_for_digest ON alert_deliveries (receiver) WHERE status = 'suppressed' AND digest_id IS NULL;
  CREATE TABLE alert_cooldowns (
    key TEXT PRIMARY KEY,
    sent_at BIGINT NOT NULL
  );
  `,
];

/** The value of driftwatch_meta's `application` row: a schema without it is not a driftwatch store. */
export const POSTGRES_APPLICATION = 'driftwatch';

/** The two tables that say whose schema this is and how far it is migrated; created before migration 1. */
export const POSTGRES_META_TABLES = `
  CREATE TABLE driftwatch_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE schema_version (
    only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    version INTEGER NOT NULL
  );
`;
