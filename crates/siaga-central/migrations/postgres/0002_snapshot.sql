-- Snapshot paging (GET /v1/sync/snapshot): a Polda's incidents in id order.
CREATE INDEX incidents_polda_id ON incidents (polda, id);
