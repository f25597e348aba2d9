-- What several instances sharing the database need. claimed_by is the id of the instance that
-- claimed an outbox message: each instance holds an advisory lock on its id for as long as its
-- database session lives, so a claim whose instance no longer holds it was left by a killed
-- instance and is taken over at once. settings keeps values every instance must share, such
-- as generated session keys.
ALTER TABLE outbox ADD COLUMN claimed_by BIGINT;
CREATE TABLE settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
