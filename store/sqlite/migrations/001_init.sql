-- Sessions of the gorilla/sessions store: the cookie carries only a signed and encrypted id;
-- the wizard's answers live here. Times are UTC unix seconds.
CREATE TABLE sessions (
	id         TEXT PRIMARY KEY,
	data       BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
