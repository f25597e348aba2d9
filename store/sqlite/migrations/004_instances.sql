-- What several instances sharing one database need (PostgreSQL); SQLite has the same columns
-- and tables so both schemas stay one and a database can be copied between them (migrate-db).
-- claimed_by names the instance that claimed an outbox message (0 in SQLite: one process per
-- file); settings keeps values every instance must share, such as generated session keys.
ALTER TABLE outbox ADD COLUMN claimed_by INTEGER;
CREATE TABLE settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
