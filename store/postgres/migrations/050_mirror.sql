-- The EHR's schedule as its notifications tell it (DESIGN §3 step 5). No PHI is kept here.
CREATE TABLE ehr_visits (
	visit_number TEXT PRIMARY KEY,
	provider_id  TEXT NOT NULL,
	department   TEXT NOT NULL,
	start_unix   BIGINT NOT NULL,
	end_unix     BIGINT NOT NULL,
	status       TEXT NOT NULL,
	is_block     INTEGER NOT NULL,
	updated_at   BIGINT NOT NULL
);
CREATE INDEX ehr_visits_time ON ehr_visits (start_unix, end_unix);

-- Inbound deliveries already applied: Redox delivers at least once, and maybe to any
-- instance; the primary key makes the dedupe exact across all of them.
CREATE TABLE inbox (
	key          TEXT PRIMARY KEY,
	event        TEXT NOT NULL,
	visit_number TEXT NOT NULL,
	received_at  BIGINT NOT NULL
);
