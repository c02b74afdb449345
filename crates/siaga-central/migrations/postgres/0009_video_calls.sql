-- Video validation calls (decision 0006): one row per call, its state moved by the domain's rules
-- (siaga_domain::video), the session descriptions relayed between the desk and the 110 app (no offer while a
-- reporter's request waits for an operator).
CREATE TABLE video_call (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL,
    polda TEXT NOT NULL,
    state TEXT NOT NULL,
    offer TEXT,
    answer TEXT,
    reason TEXT,
    requested_by TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);

CREATE INDEX video_call_by_polda ON video_call (polda, state, created_ms);
