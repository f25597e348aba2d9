-- Holds, appointments and the outbox (DESIGN §3). Times are UTC unix seconds. The UNIQUE
-- constraints here, not the checks in Go, are what finally refuse a double booking.

-- A hold reserves one slot for one browser session while the patient types. At most one per
-- slot key (provider|department|start) and one per session; expired rows are taken over or
-- swept. session_id is the server-side session id, not a foreign key: a hold may be made
-- before the session row is first saved.
CREATE TABLE holds (
	id          TEXT PRIMARY KEY,
	session_id  TEXT NOT NULL UNIQUE,
	slot_key    TEXT NOT NULL UNIQUE,
	provider_id TEXT NOT NULL,
	department  TEXT NOT NULL,
	start_unix  INTEGER NOT NULL,
	end_unix    INTEGER NOT NULL,
	minutes     INTEGER NOT NULL,
	slot        TEXT NOT NULL, -- booking.Slot as JSON (no PHI)
	created_at  INTEGER NOT NULL,
	expires_at  INTEGER NOT NULL
);
CREATE INDEX holds_expires ON holds (expires_at);
CREATE INDEX holds_start ON holds (start_unix);
CREATE INDEX holds_provider_start ON holds (provider_id, start_unix);

-- Appointments written by Doorway (and, later, mirrored from the EHR). patient and
-- appointment are JSON and hold PHI: they stay in the database and never reach a log line.
-- idempotency_key is NULL for appointments that did not come from the confirm form.
CREATE TABLE appointments (
	visit_number    TEXT PRIMARY KEY,
	idempotency_key TEXT UNIQUE,
	slot_key        TEXT NOT NULL,
	provider_id     TEXT NOT NULL,
	department      TEXT NOT NULL,
	start_unix      INTEGER NOT NULL,
	end_unix        INTEGER NOT NULL,
	minutes         INTEGER NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('requested', 'booked', 'failed', 'canceled', 'noshow', 'arrived')),
	patient         TEXT NOT NULL,
	appointment     TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	booked_at       INTEGER,
	failed_at       INTEGER,
	canceled_at     INTEGER
);
-- The real guard against double booking: one live appointment per slot key.
CREATE UNIQUE INDEX appointments_live_slot ON appointments (slot_key) WHERE status IN ('requested', 'booked');
CREATE INDEX appointments_start ON appointments (start_unix);
CREATE INDEX appointments_provider_start ON appointments (provider_id, start_unix);

-- Scheduling messages waiting for the EHR, written in the same transaction as the appointment
-- change they announce. A row leaves the queue when delivered_at or failed_at is set.
CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	kind            TEXT NOT NULL,
	visit_number    TEXT NOT NULL REFERENCES appointments (visit_number),
	reason          TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	next_attempt_at INTEGER NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	delivered_at    INTEGER,
	failed_at       INTEGER,
	last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_visit ON outbox (visit_number);

-- Every delivery attempt, kept for the front desk and for proving "delivered exactly once".
CREATE TABLE outbox_attempts (
	id        INTEGER PRIMARY KEY,
	outbox_id INTEGER NOT NULL REFERENCES outbox (id),
	attempt   INTEGER NOT NULL,
	at        INTEGER NOT NULL,
	error     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_attempts_outbox ON outbox_attempts (outbox_id);
