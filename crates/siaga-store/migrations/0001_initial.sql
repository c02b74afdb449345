-- The desk's store, version 1. See src/lib.rs for what each table is for.

-- One row per incident the desk knows. `confirmed` is the incident as the central last confirmed it;
-- `view` is what the desk shows: `confirmed` plus this desk's pending events. Columns beside the JSON
-- exist for the queries the UI makes (status, category, map box, time).
CREATE TABLE incident (
    id              TEXT PRIMARY KEY,
    polda           TEXT,
    status          TEXT    NOT NULL,
    category        TEXT,
    priority_rank   INTEGER NOT NULL,
    lat             REAL,
    lon             REAL,
    received_ms     INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL,
    server_version  INTEGER,
    confirmed       TEXT,
    view            TEXT    NOT NULL
) STRICT;
CREATE INDEX incident_by_status   ON incident (status, updated_ms);
CREATE INDEX incident_by_category ON incident (category, updated_ms);
CREATE INDEX incident_by_updated  ON incident (updated_ms);
CREATE INDEX incident_by_place    ON incident (lat, lon);

-- Every event the desk made or learned; its body is never updated. `id` is the UUIDv7 made by the desk
-- that wrote it, and the idempotency key at the central. `local_seq` is set for this desk's own events;
-- `server_seq` once the central has sequenced it; `in_confirmed` once it is folded into `incident.confirmed`
-- (which is exactly the fold of the central's feed, in feed order).
CREATE TABLE incident_event (
    id            TEXT PRIMARY KEY,
    incident_id   TEXT    NOT NULL,
    local_seq     INTEGER UNIQUE,
    polda         TEXT,
    server_seq    INTEGER,
    in_confirmed  INTEGER NOT NULL DEFAULT 0,
    body          TEXT    NOT NULL,
    recorded_ms   INTEGER NOT NULL
) STRICT;
CREATE INDEX incident_event_by_incident ON incident_event (incident_id, local_seq);

-- This desk's events on their way to the central, in the order they were made.
CREATE TABLE outbox (
    event_id    TEXT PRIMARY KEY REFERENCES incident_event (id),
    local_seq   INTEGER NOT NULL UNIQUE,
    state       TEXT    NOT NULL CHECK (state IN ('pending', 'acked', 'rejected')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    updated_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_pending ON outbox (state, local_seq);

-- How far the desk has read each Polda's change feed.
CREATE TABLE sync_cursor (
    polda       TEXT PRIMARY KEY,
    after_seq   INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
) STRICT;

-- Events the central refused, with its reason, until an operator has seen them.
CREATE TABLE rejection (
    event_id     TEXT PRIMARY KEY REFERENCES incident_event (id),
    incident_id  TEXT    NOT NULL,
    code         TEXT    NOT NULL,
    reason_id    TEXT    NOT NULL,
    reason_en    TEXT    NOT NULL,
    at_ms        INTEGER NOT NULL,
    seen         INTEGER NOT NULL DEFAULT 0
) STRICT;
