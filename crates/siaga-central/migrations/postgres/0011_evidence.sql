-- Evidence pictures (decision 0022): the stills desks kept in validation calls, per incident, named by their
-- SHA-256 (an upload of the same bytes again is a no-op); scoped by the incident's Polda, kept here so that a
-- query never needs the incident's row to know whose they are.
CREATE TABLE evidence (
    incident_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    polda TEXT NOT NULL,
    media_type TEXT NOT NULL,
    data BYTEA NOT NULL,
    bytes BIGINT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_ms BIGINT NOT NULL,
    PRIMARY KEY (incident_id, sha256)
);
