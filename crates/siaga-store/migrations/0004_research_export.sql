-- Every research export made at this desk (decision 0012): who made it, when, which period and rules, how
-- many rows left, and the folder they were written to. Rows are only ever added.
CREATE TABLE research_export (
    id        INTEGER PRIMARY KEY,
    at_ms     INTEGER NOT NULL,
    operator  TEXT    NOT NULL,
    role      TEXT    NOT NULL,
    since_ms  INTEGER NOT NULL,
    until_ms  INTEGER NOT NULL,
    rules     TEXT    NOT NULL,
    rows      INTEGER NOT NULL,
    folder    TEXT    NOT NULL
) STRICT;
