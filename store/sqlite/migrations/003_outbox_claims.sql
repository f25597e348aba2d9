-- When a deliverer claims an outbox message (DueMessages), claimed_at is stamped; recording
-- the attempt (RecordAttempt) clears it. A due message still stamped was claimed by a
-- deliverer that never recorded its outcome (the process died or was stopped mid-send), so
-- the EHR may already have it: it is checked against the EHR before it is sent again.
ALTER TABLE outbox ADD COLUMN claimed_at INTEGER;
