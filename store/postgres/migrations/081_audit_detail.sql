-- What an audit row's action was about, in words a person reads: an override's rules and
-- reason ("lead_time: urgent (seen by Dr Lee)"). No patient details beyond what staff typed.
ALTER TABLE audit ADD COLUMN detail TEXT NOT NULL DEFAULT '';
