-- The EHR's schedule as its notifications tell it (DESIGN §3 step 5). Patient-less visits are
-- holds and blocks; they make time unavailable like booked visits do. No PHI is kept here.
CREATE TABLE ehr_visits (
	visit_number TEXT PRIMARY KEY,
	provider_id  TEXT NOT NULL,
	department   TEXT NOT NULL,
	start_unix   INTEGER NOT NULL,
	end_unix     INTEGER NOT NULL,
	status       TEXT NOT NULL,
	is_block     INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
);
CREATE INDEX ehr_visits_time ON ehr_visits (start_unix, end_unix);

-- Inbound deliveries already applied: Redox delivers at least once.
CREATE TABLE inbox (
	key          TEXT PRIMARY KEY,
	event        TEXT NOT NULL,
	visit_number TEXT NOT NULL,
	received_at  INTEGER NOT NULL
);
