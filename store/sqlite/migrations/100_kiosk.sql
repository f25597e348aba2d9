-- Kiosks: clinic tablets on which walk-ins book (booking.Kiosk). code_hash is the hash of the
-- pending one-time enrollment code (NULL when none), usable until code_expires (unix seconds);
-- an enrollment consumes it and moves version on, which the tablet's signed cookie must name,
-- so a revoke or a later enrollment ends the older cookie at its next request.
CREATE TABLE kiosks (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL,
	location     TEXT NOT NULL,
	version      INTEGER NOT NULL DEFAULT 0,
	code_hash    TEXT UNIQUE,
	code_expires INTEGER NOT NULL DEFAULT 0,
	enrolled_at  INTEGER NOT NULL DEFAULT 0,
	revoked      INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL
);
