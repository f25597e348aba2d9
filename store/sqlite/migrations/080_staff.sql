-- Front desk staff accounts. email is the sign-in name (lower case); password_hash is bcrypt;
-- a disabled account cannot sign in. location is the clinic location the desk opens on.
CREATE TABLE staff (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL CHECK (role IN ('desk', 'admin')),
	location      TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL
);
CREATE INDEX audit_actor ON audit (actor, action, at);
