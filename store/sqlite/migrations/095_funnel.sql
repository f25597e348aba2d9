-- The booking funnel's counts (booking.Tally adds to them every few seconds): searches,
-- searches with no fitting time, holds, bookings, cancels and moves, per clinic-local day
-- (YYYY-MM-DD: a calendar date, not an instant), reason code, visit type code and channel.
-- Counts only: no patient, session, address or typed word is kept here.
CREATE TABLE funnel_counts (
	day        TEXT NOT NULL,
	event      TEXT NOT NULL,
	reason     TEXT NOT NULL,
	visit_type TEXT NOT NULL,
	channel    TEXT NOT NULL,
	n          INTEGER NOT NULL CHECK (n >= 0),
	PRIMARY KEY (day, event, reason, visit_type, channel)
) WITHOUT ROWID;
