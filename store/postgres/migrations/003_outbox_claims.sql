-- When a deliverer claims an outbox message (DueMessages), claimed_at is stamped; recording
-- the attempt (RecordAttempt) clears it. See SQLite's 003.
ALTER TABLE outbox ADD COLUMN claimed_at BIGINT;
