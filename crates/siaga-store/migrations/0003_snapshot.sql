-- Version 3: initial sync and full resync by the central's snapshots (GET /v1/sync/snapshot).
-- A snapshot arrives without its events, so the store cannot recognise them by id when the feed brings
-- them after the snapshot: `snapshot_polda`/`snapshot_seq` say that `confirmed` already contains every
-- event of that Polda's feed of this incident up to that sequence, and such feed events are skipped.
ALTER TABLE incident ADD COLUMN snapshot_polda TEXT;
ALTER TABLE incident ADD COLUMN snapshot_seq INTEGER;
