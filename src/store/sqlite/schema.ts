/**
 * The SQLite schema as an ordered list of migrations. `PRAGMA user_version`
 * records how many have run; a migration is never edited once released, only
 * followed by another.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    host TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    origin TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (host, name)
  );
  CREATE TABLE contents (
    id TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    size INTEGER NOT NULL,
    bom INTEGER NOT NULL,
    eol TEXT NOT NULL,
    document TEXT,
    raw BLOB,
    secret INTEGER NOT NULL
  );
  CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id INTEGER NOT NULL REFERENCES sources (id),
    taken_at INTEGER NOT NULL,
    digest TEXT NOT NULL,
    key_id TEXT NOT NULL,
    file_count INTEGER NOT NULL
  );
  CREATE INDEX snapshots_by_source ON snapshots (source_id, id);
  CREATE TABLE snapshot_files (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    file TEXT NOT NULL,
    type TEXT NOT NULL,
    mode INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    gid INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    content_id TEXT,
    target TEXT,
    PRIMARY KEY (snapshot_id, file)
  ) WITHOUT ROWID;
  CREATE INDEX snapshot_files_by_content ON snapshot_files (content_id);
  CREATE TABLE baselines (
    source_id INTEGER PRIMARY KEY REFERENCES sources (id),
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
    accepted_at INTEGER NOT NULL,
    accepted_by TEXT NOT NULL,
    reason TEXT
  );
  CREATE TABLE baseline_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id INTEGER NOT NULL,
    snapshot_id INTEGER NOT NULL,
    accepted_at INTEGER NOT NULL,
    accepted_by TEXT NOT NULL,
    reason TEXT
  );
  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    identity TEXT NOT NULL UNIQUE,
    source_id INTEGER NOT NULL,
    against_snapshot_id INTEGER NOT NULL,
    snapshot_id INTEGER NOT NULL,
    file TEXT NOT NULL,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    attribute TEXT,
    before TEXT,
    after TEXT,
    severity TEXT NOT NULL,
    type TEXT NOT NULL,
    secret INTEGER NOT NULL,
    detected_at INTEGER NOT NULL
  );
  CREATE INDEX events_by_time ON events (detected_at);
  CREATE INDEX events_by_source ON events (source_id, id);
  CREATE TABLE checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id INTEGER NOT NULL,
    snapshot_id INTEGER,
    at INTEGER NOT NULL,
    status TEXT NOT NULL,
    changes INTEGER NOT NULL,
    problem_count INTEGER NOT NULL
  );
  CREATE INDEX checks_by_source ON checks (source_id, id);
  CREATE TABLE problems (
    check_id INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    file TEXT NOT NULL,
    code TEXT NOT NULL,
    line INTEGER,
    col INTEGER,
    key TEXT,
    message TEXT NOT NULL
  );
  CREATE INDEX problems_by_check ON problems (check_id);
  CREATE TABLE scan_caches (
    source_id INTEGER PRIMARY KEY,
    data BLOB NOT NULL
  );
  `,
  `
  CREATE TABLE alert_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    event_id INTEGER,
    decided_at INTEGER NOT NULL,
    sent INTEGER NOT NULL,
    reason TEXT NOT NULL
  );
  CREATE INDEX alert_decisions_sent_by_time ON alert_decisions (sent, decided_at);
  CREATE INDEX alert_decisions_by_key ON alert_decisions (key, decided_at);
  `,
  `
  CREATE TABLE source_health (
    source_id INTEGER PRIMARY KEY,
    updated_at INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  `,
  `
  CREATE TABLE silences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    match TEXT NOT NULL,
    owner TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX silences_by_expiry ON silences (expires_at);
  `,
];

/** Marks the file as a driftwatch store, so a stranger's database is refused, not migrated. */
export const SQLITE_APPLICATION_ID = 0x44524654;
