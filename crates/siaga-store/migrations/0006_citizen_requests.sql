-- Citizen requests (SKCK, report of loss) of the desk's Polda as the central last showed them, so the
-- Layanan Warga queue reads offline. The central is the truth: rows are replaced by its answers.
CREATE TABLE service_request (
    id TEXT PRIMARY KEY,
    polda TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    submitted_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    view TEXT NOT NULL
);
CREATE INDEX service_request_by_update ON service_request (updated_ms);
