-- The console's lists in their own order without sorting the whole table: a queue (one status, most urgent
-- first, longest waiting first) and the list of every incident (most urgent first, most recent first) read
-- the first rows of an index (decision 0016: 100,000 incidents on a desk).
CREATE INDEX incident_queue ON incident (status, priority_rank, updated_ms);
CREATE INDEX incident_by_priority ON incident (priority_rank, updated_ms DESC);
