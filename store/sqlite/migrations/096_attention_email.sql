-- Emails to patients that failed for good are items of the "Needs attention" list of their
-- own (booking.AttentionEmail): a resolution names them with source 'email'. SQLite cannot
-- change a CHECK in place, so the table is rebuilt: created anew, copied, the old one dropped
-- and the new one renamed, its unique index made again (nothing refers to the table, so
-- dropping it with foreign keys on is safe; the migration's transaction makes the swap
-- whole). A resolution written before, under 'outbox', of an outbox message that is an email
-- moves to 'email', so that item stays resolved.
CREATE TABLE attention_resolved_new (
	id          INTEGER PRIMARY KEY,
	source      TEXT NOT NULL CHECK (source IN ('outbox', 'email', 'dead_letter')),
	source_id   INTEGER NOT NULL,
	since       INTEGER NOT NULL,
	note        TEXT NOT NULL,
	staff_id    INTEGER NOT NULL REFERENCES staff (id),
	resolved_at INTEGER NOT NULL
);
INSERT INTO attention_resolved_new (id, source, source_id, since, note, staff_id, resolved_at)
	SELECT r.id, CASE WHEN r.source = 'outbox' AND EXISTS (SELECT 1 FROM outbox o WHERE o.id = r.source_id AND o.lane <> 'ehr')
		THEN 'email' ELSE r.source END, r.source_id, r.since, r.note, r.staff_id, r.resolved_at
	FROM attention_resolved r;
DROP TABLE attention_resolved;
ALTER TABLE attention_resolved_new RENAME TO attention_resolved;
CREATE UNIQUE INDEX attention_resolved_item ON attention_resolved (source, source_id, since);
