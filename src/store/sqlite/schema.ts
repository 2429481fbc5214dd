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
  // The alert outbox (sqlite-alerts.ts): every alert decided, sent or held back, with its changes;
  // the digests; one delivery per receiver; the last time each cooldown key went out.
  `
  CREATE TABLE alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    host TEXT,
    source TEXT,
    severity TEXT NOT NULL,
    decided_at INTEGER NOT NULL,
    held INTEGER NOT NULL,
    reason TEXT NOT NULL,
    counted INTEGER NOT NULL,
    due_at INTEGER,
    digest_id INTEGER,
    receiver TEXT,
    summary TEXT
  );
  CREATE INDEX alerts_counted_by_time ON alerts (decided_at) WHERE counted = 1;
  CREATE INDEX alerts_waiting_for_digest ON alerts (id) WHERE held = 1 AND digest_id IS NULL;
  CREATE TABLE alert_items (
    alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    event_id INTEGER,
    key TEXT NOT NULL,
    severity TEXT NOT NULL,
    type TEXT NOT NULL,
    detected_at INTEGER NOT NULL,
    detail TEXT NOT NULL,
    PRIMARY KEY (alert_id, seq)
  ) WITHOUT ROWID;
  CREATE INDEX alert_items_by_event ON alert_items (event_id) WHERE event_id IS NOT NULL;
  CREATE TABLE alert_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    receiver TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    reason TEXT,
    created_at INTEGER NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    sent_at INTEGER,
    digest_id INTEGER,
    UNIQUE (alert_id, receiver)
  );
  CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE status = 'pending';
  CREATE INDEX alert_deliveries_by_receiver ON alert_deliveries (receiver, created_at);
  CREATE INDEX alert_deliveries_waiting_for_digest ON alert_deliveries (receiver) WHERE status = 'suppressed' AND digest_id IS NULL;
  CREATE TABLE alert_cooldowns (
    key TEXT PRIMARY KEY,
    sent_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO alerts (kind, severity, decided_at, held, reason, counted)
    SELECT 'alert', 'low', decided_at, 0, 'sent', 1 FROM alert_decisions WHERE sent = 1;
  INSERT INTO alert_cooldowns (key, sent_at)
    SELECT key, max(decided_at) FROM alert_decisions WHERE sent = 1 GROUP BY key;
  `,
];

/** Marks the file as a driftwatch store, so a stranger's database is refused, not migrated. */
export const SQLITE_APPLICATION_ID = 0x44524654;
