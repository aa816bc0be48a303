-- Every submission is kept: version n of a student's work on an assignment,
-- numbered from 1. The files are in R2 (r2_key, a JSON document); this is
-- the index. Lateness is decided once, with the server's clock, on submit.
CREATE TABLE submissions (
  id TEXT PRIMARY KEY,
  assignment_id TEXT NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  submitted_at INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  size INTEGER NOT NULL,
  file_names TEXT NOT NULL,
  r2_key TEXT NOT NULL UNIQUE,
  late INTEGER NOT NULL,
  days_late INTEGER NOT NULL,
  penalty_percent INTEGER NOT NULL,
  UNIQUE (assignment_id, user_id, version)
);
CREATE INDEX submissions_assignment ON submissions(assignment_id, user_id, version);
