-- The desk's id (the central knows its trail as chain `desk:<id>`) and the heads of its trail the central
-- signed (decision 0015): the proof, checked by `siaga-store-audit`, that the trail was not rewritten or cut
-- since. One row of `desk` only.
CREATE TABLE desk (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    desk_id TEXT NOT NULL
);

CREATE TABLE audit_signed_head (
    seq INTEGER PRIMARY KEY,
    chain TEXT NOT NULL,
    hash TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL,
    public_hex TEXT NOT NULL
);
