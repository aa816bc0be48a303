-- Assignments of a course. The due time is kept as the course's wall clock
-- showed it (due_local, "YYYY-MM-DDTHH:MM" in the course's time zone) and as
-- the instant it named when saved (due_at); lateness is counted from the
-- wall clock (worker/homework/late-policy.ts).
CREATE TABLE assignments (
  id TEXT PRIMARY KEY,
  course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  points INTEGER NOT NULL,
  due_local TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  late_policy TEXT NOT NULL CHECK (late_policy IN ('refuse', 'penalty', 'mark')),
  penalty_per_day INTEGER NOT NULL DEFAULT 0,
  penalty_max INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX assignments_course ON assignments(course_id, due_at);

-- Course files an assignment hands out: starter code (into the editor) or handouts (to download).
CREATE TABLE assignment_files (
  assignment_id TEXT NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
  file_id TEXT NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('starter', 'handout')),
  position INTEGER NOT NULL,
  PRIMARY KEY (assignment_id, file_id)
);

-- A student's own due time for one assignment.
CREATE TABLE extensions (
  assignment_id TEXT NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  due_local TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  granted_by TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (assignment_id, user_id)
);
