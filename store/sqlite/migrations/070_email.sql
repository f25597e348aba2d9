-- Emails to patients go through the outbox with the EHR's messages (booking/notify.go), in
-- lanes: 'ehr' (Scheduling New and Cancel), 'email' (confirmation, change, cancellation) and
-- 'reminder'. A visit's messages go out in order within their lane only, so an SMTP server
-- that is down holds up no EHR delivery, and a reminder due tomorrow holds up no email today.
-- A reminder is a message whose next_attempt_at is when it is due. An email message that left
-- the queue unsent on purpose (its visit canceled or moved, reminders turned off) has
-- failed_at set, no attempts, and the why in last_error; one the server refused (5xx) or that
-- ran out of attempts has failed_at and attempts > 0: see docs/EMAIL.md.
-- reminders_off is the patient's choice, per appointment, of no reminder email.
ALTER TABLE outbox ADD COLUMN lane TEXT NOT NULL DEFAULT 'ehr';
CREATE INDEX outbox_lane_pending ON outbox (lane, next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
ALTER TABLE appointments ADD COLUMN reminders_off INTEGER NOT NULL DEFAULT 0;
