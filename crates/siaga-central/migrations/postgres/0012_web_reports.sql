-- Reports a citizen made on the 110 web page (`/warga/lapor`): the incident and the SHA-256 of the receipt the page
-- chose (128 random bits that only the citizen's browser holds), which is how the page later finds and answers the
-- incident's video validation call without an account.
CREATE TABLE web_report (
    incident_id TEXT PRIMARY KEY,
    receipt_sha256 TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
