-- Evidence pictures (decision 0022): the stills this desk kept in a validation call, and those it fetched from
-- the central to show another desk's entry. Named by their SHA-256 (64 lowercase hex digits); `uploaded_ms` is
-- set once the central holds the bytes (always set for a fetched picture). The store is encrypted at rest
-- (decision 0019), so the pictures are too.
CREATE TABLE evidence (
    sha256 TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    data BLOB NOT NULL,
    incident_id TEXT NOT NULL,
    kept_ms INTEGER NOT NULL,
    uploaded_ms INTEGER
);

CREATE INDEX evidence_to_upload ON evidence (kept_ms) WHERE uploaded_ms IS NULL;
