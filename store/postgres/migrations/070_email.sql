-- Emails to patients go through the outbox, in lanes ('ehr', 'email', 'reminder'); a visit's
-- messages go out in order within their lane only. See SQLite's 070 and docs/EMAIL.md.
-- reminders_off is the patient's choice, per appointment, of no reminder email (INTEGER as in
-- SQLite, so migrate-db copies it as it is).
ALTER TABLE outbox ADD COLUMN lane TEXT NOT NULL DEFAULT 'ehr';
CREATE INDEX outbox_lane_pending ON outbox (lane, next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
ALTER TABLE appointments ADD COLUMN reminders_off INTEGER NOT NULL DEFAULT 0;
