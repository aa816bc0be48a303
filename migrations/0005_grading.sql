-- Autograder tests per assignment (worker/homework/test-format.ts), and each
-- submission's grading: none (no tests) → queued → running → graded, or
-- failed after the queue's last retry. `results` is the JSON list of test
-- results, hidden ones included: the server redacts them for students.
CREATE TABLE assignment_tests (
  assignment_id TEXT PRIMARY KEY REFERENCES assignments(id) ON DELETE CASCADE,
  tests TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

ALTER TABLE submissions ADD COLUMN grade_status TEXT NOT NULL DEFAULT 'none';
ALTER TABLE submissions ADD COLUMN score REAL;
ALTER TABLE submissions ADD COLUMN max_score REAL;
ALTER TABLE submissions ADD COLUMN results TEXT;
ALTER TABLE submissions ADD COLUMN graded_at INTEGER;
ALTER TABLE submissions ADD COLUMN tests_version INTEGER;
