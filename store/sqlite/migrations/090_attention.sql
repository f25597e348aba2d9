-- The front desk's "Needs attention" list (booking/attention.go).
--
-- A resolution is a staff member's word that one occurrence of an item is dealt with: the
-- outbox message or dead letter it is about (source, source_id), the occurrence (since: when
-- the message failed, or when it became due and then stuck; when the letter arrived), the
-- note they wrote (it may name the patient: PHI, never logged), who and when. The item stays
-- off the list while that occurrence is the present one: the same message failing again is a
-- new occurrence, back on the list. The unique index makes one resolution per occurrence, so
-- two staff members resolving it at once cannot both succeed.
CREATE TABLE attention_resolved (
	id          INTEGER PRIMARY KEY,
	source      TEXT NOT NULL CHECK (source IN ('outbox', 'dead_letter')),
	source_id   INTEGER NOT NULL,
	since       INTEGER NOT NULL,
	note        TEXT NOT NULL,
	staff_id    INTEGER NOT NULL REFERENCES staff (id),
	resolved_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX attention_resolved_item ON attention_resolved (source, source_id, since);

-- A retry from the desk starts a new round of attempts: attempts goes on counting every
-- attempt (one per outbox_attempts row); attempts_base is the count the round started from,
-- what MaxAttempts and the backoff count from; retried_at is when, from which a message still
-- pending counts as stuck again.
ALTER TABLE outbox ADD COLUMN attempts_base INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN retried_at INTEGER;

-- The messages that failed, for the list: few, among the many delivered.
CREATE INDEX outbox_failed ON outbox (failed_at) WHERE failed_at IS NOT NULL AND delivered_at IS NULL;
