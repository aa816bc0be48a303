-- Every room RUN, per user, across all rooms: the quota on programs running
-- at once and started per minute (worker/room/code.ts) counts these rows.
-- A row with no finished_at counts as running only until the room's deadline
-- for the runner's answer has passed, so a run whose room crashed holds no
-- slot for ever. The hourly sweep deletes rows older than the longest window.
CREATE TABLE code_runs (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  started_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX code_runs_user_started ON code_runs(user_id, started_at);
