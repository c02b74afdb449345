-- The heads of desks' own audit trails the central signed (decision 0015): a desk proves with them that its
-- trail was not rewritten, and the central refuses a head behind or beside one it signed before.
-- Each desk belongs to the Polda of the account that first had a head signed ("national" for none).
CREATE TABLE desk_audit_desk (
    desk_id TEXT PRIMARY KEY,
    polda TEXT NOT NULL,
    first_ms BIGINT NOT NULL
);

CREATE TABLE desk_audit_head (
    desk_id TEXT NOT NULL REFERENCES desk_audit_desk (desk_id),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL,
    actor TEXT NOT NULL,
    PRIMARY KEY (desk_id, seq)
);
