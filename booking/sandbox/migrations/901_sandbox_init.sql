-- The sandbox EHR's own tables. Numbered from 901 so that, should the caller ever open the
-- sandbox on the application's database file, its versions cannot collide with the app's
-- migrations in the shared schema_migrations table. Times are UTC unix seconds.

-- Every visit the sandbox knows: patient bookings and patient-less holds/blocks alike.
-- appointment is the whole booking.Appointment as JSON (what Booked answers with); the other
-- columns are the parts queried on. provider_id is '' for a department-wide block.
CREATE TABLE sandbox_visits (
	visit_number TEXT PRIMARY KEY,
	patient_ids  TEXT NOT NULL,          -- JSON array of {ID, IDType}; '[]' for holds/blocks
	is_block     INTEGER NOT NULL,       -- 1 when there is no patient identifier
	provider_id  TEXT NOT NULL,
	department   TEXT NOT NULL,
	start_unix   INTEGER NOT NULL,
	end_unix     INTEGER NOT NULL,
	status       TEXT NOT NULL,          -- booking.Status: booked, arrived, canceled, noshow
	appointment  TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	CHECK (end_unix > start_unix)
);
-- The overlap check and busy lookups scan one provider's (or department's) visits by time.
CREATE INDEX sandbox_visits_provider_time ON sandbox_visits (provider_id, start_unix);
CREATE INDEX sandbox_visits_department_time ON sandbox_visits (department, start_unix);
CREATE INDEX sandbox_visits_time ON sandbox_visits (start_unix);

-- The outgoing notification queue: one row per message per webhook, written in the same
-- transaction as the schedule change, so a crash or restart can neither lose a notification
-- nor send one for a change that did not commit. id orders delivery per webhook (FIFO).
CREATE TABLE sandbox_notifications (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	webhook_url     TEXT NOT NULL,
	event_type      TEXT NOT NULL,
	visit_number    TEXT NOT NULL DEFAULT '',
	body            BLOB NOT NULL,       -- the redox.Message JSON; AttemptID is set per attempt
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,    -- unix milliseconds: retries back off below a second
	delivered_at    INTEGER,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL
);
CREATE INDEX sandbox_notifications_pending ON sandbox_notifications (webhook_url, id) WHERE delivered_at IS NULL;
