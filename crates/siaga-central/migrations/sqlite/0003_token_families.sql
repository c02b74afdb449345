-- Sessions as token families: a sign-in starts a family; its access and refresh tokens, and every pair a
-- refresh makes, share it, so a logout ends the whole session and the reuse of a spent refresh token
-- (a stolen copy) revokes it. A refresh token is spent (spent_ms set) by exactly one refresh.
ALTER TABLE tokens ADD COLUMN family TEXT;
ALTER TABLE tokens ADD COLUMN spent_ms BIGINT;
CREATE INDEX tokens_family ON tokens (family);
