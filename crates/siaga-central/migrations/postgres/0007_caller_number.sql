-- The caller number beside each incident, for the caller-history route (prank and empty-call triage
-- across a Polda, decision 0016): filled for the incidents already held, then by every receipt.
ALTER TABLE incidents ADD COLUMN caller_number TEXT;
UPDATE incidents SET caller_number = snapshot::jsonb ->> 'callerNumber';
CREATE INDEX incidents_caller ON incidents (caller_number, polda, created_ms) WHERE caller_number IS NOT NULL;
