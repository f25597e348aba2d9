-- Deliveries from the EHR that Doorway read but could not apply (booking.DeadLetter): the
-- webhook answers them 200, so Redox's feed goes on, and keeps them here for a person to read
-- and replay. key is the delivery's dedupe key: a redelivery keeps no second letter. body is
-- the delivery as it arrived, sealed with AES-256-GCM (store/deadletters.go): it holds PHI.
-- replayed_at is set once, when a replay applied it.
CREATE TABLE dead_letters (
	id          INTEGER PRIMARY KEY,
	key         TEXT NOT NULL UNIQUE,
	received_at INTEGER NOT NULL,
	event       TEXT NOT NULL,
	code        TEXT NOT NULL,
	msg         TEXT NOT NULL,
	field       TEXT NOT NULL,
	detail      TEXT NOT NULL,
	body        BLOB NOT NULL,
	replayed_at INTEGER
);
