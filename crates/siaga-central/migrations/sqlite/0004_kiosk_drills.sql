-- Kiosk alerts that are not real emergencies (CAP status Test, Exercise, System or Draft): recorded for
-- the maintenance log, never an incident, so they never ring at a desk.
CREATE TABLE kiosk_drills (
    kiosk_id TEXT NOT NULL,
    alert_id TEXT NOT NULL,
    cap_status TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    PRIMARY KEY (kiosk_id, alert_id)
);
