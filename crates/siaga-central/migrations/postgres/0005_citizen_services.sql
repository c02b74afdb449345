-- Citizen services: SKCK and report-of-loss requests from the 110 app, their history, the letters issued
-- (numbered per Polres, kind and year, signed with the central's Ed25519 letter keys), and every view of
-- a citizen's document.
CREATE TABLE service_request (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    polda TEXT NOT NULL,
    polres TEXT NOT NULL,
    status TEXT NOT NULL,
    -- the app account that submitted it and its id of the citizen
    submitted_by TEXT NOT NULL,
    citizen_ref TEXT NOT NULL,
    -- the submission as JSON, and the SHA-256 of the whole submitted body (idempotency by id)
    body TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    -- SHA-256 of the NIK's digits (finds a repeated request without an index of NIKs)
    nik_sha256 TEXT NOT NULL,
    photo_base64 TEXT,
    flags TEXT NOT NULL,
    submitted_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX service_request_queue ON service_request (polda, updated_ms);
CREATE INDEX service_request_citizen ON service_request (submitted_by, citizen_ref);
CREATE INDEX service_request_nik ON service_request (nik_sha256, kind);

CREATE TABLE service_step (
    request_id TEXT NOT NULL REFERENCES service_request (id),
    version BIGINT NOT NULL,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    reason TEXT,
    note TEXT,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (request_id, version)
);

CREATE TABLE letter_key (
    key_id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    secret_hex TEXT NOT NULL,
    active BIGINT NOT NULL,
    created_ms BIGINT NOT NULL
);

CREATE TABLE letter_series (
    polres TEXT NOT NULL,
    kind TEXT NOT NULL,
    year BIGINT NOT NULL,
    next_sequence BIGINT NOT NULL,
    PRIMARY KEY (polres, kind, year)
);

CREATE TABLE letter (
    letter_id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL UNIQUE REFERENCES service_request (id),
    number TEXT NOT NULL UNIQUE,
    polres TEXT NOT NULL,
    kind TEXT NOT NULL,
    year BIGINT NOT NULL,
    sequence BIGINT NOT NULL,
    canonical TEXT NOT NULL,
    digest TEXT NOT NULL,
    key_id TEXT NOT NULL REFERENCES letter_key (key_id),
    pdf_base64 TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    valid_until TEXT,
    issued_ms BIGINT NOT NULL,
    revoked_ms BIGINT,
    UNIQUE (polres, kind, year, sequence)
);

CREATE TABLE document_view (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    what TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX document_view_request ON document_view (request_id, at_ms);
