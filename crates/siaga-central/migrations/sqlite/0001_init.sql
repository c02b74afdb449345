-- Siaga central schema (SQLite). Times are Unix milliseconds; ids are text (UUIDs or stable names).
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    polda TEXT,
    created_ms INTEGER NOT NULL
);

CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    role TEXT NOT NULL,
    polda TEXT,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX tokens_expiry ON tokens (expires_ms);

CREATE TABLE polda_seq (
    polda TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
);

CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    polda TEXT NOT NULL,
    status TEXT NOT NULL,
    category TEXT NOT NULL,
    lat REAL,
    lon REAL,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    version INTEGER NOT NULL,
    snapshot TEXT NOT NULL
);
CREATE INDEX incidents_polda_updated ON incidents (polda, updated_ms);

CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL,
    polda TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    actor TEXT NOT NULL,
    recorded_ms INTEGER NOT NULL,
    UNIQUE (polda, seq)
);
CREATE INDEX events_incident ON events (incident_id, seq);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    payload TEXT NOT NULL,
    published_ms INTEGER
);
CREATE INDEX outbox_pending ON outbox (published_ms, id);

CREATE TABLE kiosks (
    id TEXT PRIMARY KEY,
    station TEXT NOT NULL,
    polda TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    secret_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    battery_pct INTEGER,
    last_heartbeat_ms INTEGER,
    created_ms INTEGER NOT NULL
);

CREATE TABLE kiosk_alerts (
    kiosk_id TEXT NOT NULL,
    alert_id TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    PRIMARY KEY (kiosk_id, alert_id)
);

CREATE TABLE routing (
    number TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    forward_to_110 INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE calls (
    id TEXT PRIMARY KEY,
    dialed TEXT NOT NULL,
    via_legacy INTEGER NOT NULL,
    polda TEXT NOT NULL,
    incident_id TEXT,
    recorded_ms INTEGER NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX calls_polda ON calls (polda, recorded_ms);

INSERT INTO routing (number, description, forward_to_110, updated_ms, updated_by) VALUES
    ('112', 'national emergency number (legacy)', 1, 0, 'migration'),
    ('113', 'fire brigade (legacy police line share)', 0, 0, 'migration'),
    ('119', 'medical emergency (legacy)', 0, 0, 'migration');
