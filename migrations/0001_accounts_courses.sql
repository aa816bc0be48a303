-- Accounts, sessions, courses, enrolments and scheduled classes.
-- Times are Unix milliseconds (UTC). Emails are stored lower-cased.

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  password_salt TEXT NOT NULL,
  password_iterations INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

-- Only a SHA-256 of each session token is stored.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed sign-ins per key ("account:<email>" or "address:<ip>") in a fixed window.
CREATE TABLE login_failures (
  key TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  failures INTEGER NOT NULL
);

CREATE TABLE courses (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  code TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  timezone TEXT NOT NULL,
  owner_id TEXT NOT NULL REFERENCES users(id),
  archived_at INTEGER,
  invite_code TEXT UNIQUE,
  invite_enabled INTEGER NOT NULL DEFAULT 1,
  invite_expires_at INTEGER,
  calendar_token TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE enrolments (
  course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('instructor', 'ta', 'student')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (course_id, user_id)
);
CREATE INDEX enrolments_user ON enrolments(user_id);

-- One row per class session; weekly repeats share a series_id.
-- opened_at / closed_at record an instructor opening early or closing.
CREATE TABLE classes (
  id TEXT PRIMARY KEY,
  course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
  series_id TEXT,
  title TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  opened_at INTEGER,
  closed_at INTEGER,
  created_at INTEGER NOT NULL,
  CHECK (ends_at > starts_at)
);
CREATE INDEX classes_course_start ON classes(course_id, starts_at);
