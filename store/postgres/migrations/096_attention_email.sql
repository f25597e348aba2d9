-- Emails to patients that failed for good are items of the "Needs attention" list of their
-- own: a resolution names them with source 'email' (see SQLite's 096, which must rebuild the
-- table; PostgreSQL swaps the CHECK in place). A resolution written before, under 'outbox', of
-- an outbox message that is an email moves to 'email', so that item stays resolved.
ALTER TABLE attention_resolved DROP CONSTRAINT attention_resolved_source_check;
UPDATE attention_resolved r SET source = 'email'
	WHERE r.source = 'outbox' AND EXISTS (SELECT 1 FROM outbox o WHERE o.id = r.source_id AND o.lane <> 'ehr');
ALTER TABLE attention_resolved ADD CONSTRAINT attention_resolved_source_check
	CHECK (source IN ('outbox', 'email', 'dead_letter'));
