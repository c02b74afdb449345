-- The audit trail (decision 0015): one hash chain per Polda ("national" for what concerns none), each entry
-- holding the previous entry's hash; heads signed from time to time with the central's audit key.
CREATE TABLE audit_log (
    chain TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    polda TEXT,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);

-- Each chain's last number and hash: the row every append updates (its lock orders a chain's appends).
CREATE TABLE audit_head (
    chain TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE audit_signed_head (
    chain TEXT NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);

CREATE TABLE audit_key (
    key_id TEXT PRIMARY KEY,
    secret_hex TEXT NOT NULL,
    public_hex TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
