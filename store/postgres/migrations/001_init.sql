-- Sessions of the gorilla/sessions store: the cookie carries only a signed and encrypted id;
-- the wizard's answers live here, shared by every instance. Times are UTC unix seconds
-- (BIGINT, passed from Go: the schema is the SQLite one with PostgreSQL's types).
CREATE TABLE sessions (
	id         TEXT PRIMARY KEY,
	data       BYTEA NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
