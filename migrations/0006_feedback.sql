-- Feedback and grades: staff comment on lines of a submission, may override
-- its score (with a reason), and release an assignment's grades; students
-- see comments and final scores only once released.
ALTER TABLE assignments ADD COLUMN released_at INTEGER;
ALTER TABLE submissions ADD COLUMN override_score REAL;
ALTER TABLE submissions ADD COLUMN override_reason TEXT;

CREATE TABLE comments (
  id TEXT PRIMARY KEY,
  submission_id TEXT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  body TEXT NOT NULL,
  author_id TEXT NOT NULL REFERENCES users(id),
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX comments_submission ON comments(submission_id, file, line);
