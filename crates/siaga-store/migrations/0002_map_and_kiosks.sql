-- The desk's store, version 2: what the map and the kiosk screens read.

-- The kiosk whose alert an incident is, while the alert is open (not acknowledged, not closed); NULL
-- otherwise. Kept by the same write as `view`, so the banner and the red marker follow the incident.
ALTER TABLE incident ADD COLUMN alert_kiosk TEXT;
UPDATE incident SET alert_kiosk = json_extract(view, '$.channel.kiosk')
 WHERE json_extract(view, '$.channel.kind') = 'station_kiosk'
   AND json_extract(view, '$.acknowledged') IS NULL
   AND json_extract(view, '$.closure') IS NULL;
CREATE INDEX incident_open_alert ON incident (alert_kiosk) WHERE alert_kiosk IS NOT NULL;
CREATE INDEX incident_by_received ON incident (received_ms);

-- The station kiosks of the desk's Polda as the central last listed them (refreshed while online).
CREATE TABLE kiosk (
    id                 TEXT PRIMARY KEY,
    station            TEXT    NOT NULL,
    polda              TEXT    NOT NULL,
    lat                REAL    NOT NULL,
    lon                REAL    NOT NULL,
    status             TEXT    NOT NULL,
    battery_pct        INTEGER,
    last_heartbeat_ms  INTEGER,
    listed_ms          INTEGER NOT NULL
) STRICT;
CREATE INDEX kiosk_by_polda ON kiosk (polda);

-- The desk's own settings that outlive a restart (notification mutes, …), as JSON values.
CREATE TABLE setting (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;
