-- Scheduling.PushSlots deliveries, kept per batch until the push is complete.
CREATE TABLE slot_push_batches (
	batch_id    TEXT NOT NULL,
	batch       TEXT NOT NULL,
	total       INTEGER NOT NULL,
	delivery    TEXT NOT NULL UNIQUE,
	slots       BLOB NOT NULL,
	received_at INTEGER NOT NULL,
	PRIMARY KEY (batch_id, batch)
);
-- The slots of the latest complete pushes; open = 0 for slots the EHR marks taken/blocked.
CREATE TABLE slot_cache (
	slot_key    TEXT PRIMARY KEY,
	provider_id TEXT NOT NULL,
	start_unix  INTEGER NOT NULL,
	end_unix    INTEGER NOT NULL,
	open        INTEGER NOT NULL,
	slot        BLOB NOT NULL,
	batch_id    TEXT NOT NULL,
	updated_at  INTEGER NOT NULL
);
CREATE INDEX slot_cache_time ON slot_cache (start_unix, end_unix);
