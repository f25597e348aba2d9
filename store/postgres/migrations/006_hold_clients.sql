-- Who holds each time (the client's address, never shown), so one client cannot hold many
-- times at once from many sessions: PutHold counts a client's live holds against its cap.
ALTER TABLE holds ADD COLUMN client TEXT NOT NULL DEFAULT '';
CREATE INDEX holds_client ON holds (client, expires_at);
