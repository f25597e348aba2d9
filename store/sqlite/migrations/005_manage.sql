-- Managing an appointment after booking (find, cancel, reschedule). code is the confirmation
-- code a patient reads and types ("K7M-4QX"); replaces is the visit number a reschedule
-- replaced. An outbox message with after_id waits until that message is delivered (a
-- reschedule's Cancel of the old visit waits for the New of the new one) and is dropped when
-- it fails. audit keeps who found, canceled or moved what, when and from where, written in the
-- transaction of the change; never a name or other free-text PHI.
ALTER TABLE appointments ADD COLUMN code TEXT;
ALTER TABLE appointments ADD COLUMN replaces TEXT;
CREATE UNIQUE INDEX appointments_code ON appointments (code);
CREATE INDEX appointments_replaces ON appointments (replaces);
ALTER TABLE outbox ADD COLUMN after_id INTEGER REFERENCES outbox (id);
CREATE TABLE audit (
	id           INTEGER PRIMARY KEY,
	at           INTEGER NOT NULL,
	action       TEXT NOT NULL,
	actor_kind   TEXT NOT NULL,
	actor        TEXT NOT NULL DEFAULT '',
	visit_number TEXT NOT NULL DEFAULT '',
	other_visit  TEXT NOT NULL DEFAULT '',
	ip           TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_visit ON audit (visit_number, action, at);
