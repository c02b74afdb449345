-- The caller number's history beside a live call (prank and empty call triage): incidents by the number
-- that called, without reading every incident's JSON.
CREATE INDEX incident_by_caller ON incident (json_extract(view, '$.callerNumber'))
    WHERE json_extract(view, '$.callerNumber') IS NOT NULL;
