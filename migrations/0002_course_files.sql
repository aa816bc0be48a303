-- Course files: the bytes live in R2 (binding FILES) under r2_key; this is the index.
-- visibility 'staff' hides a file (hidden tests, solutions) from students.
CREATE TABLE files (
  id TEXT PRIMARY KEY,
  course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  visibility TEXT NOT NULL CHECK (visibility IN ('members', 'staff')),
  r2_key TEXT NOT NULL UNIQUE,
  etag TEXT NOT NULL,
  uploaded_by TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX files_course ON files(course_id, created_at);

-- Multipart uploads in progress. Their declared size counts against the
-- course's quota until they complete or are aborted.
CREATE TABLE uploads (
  id TEXT PRIMARY KEY,
  course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  visibility TEXT NOT NULL CHECK (visibility IN ('members', 'staff')),
  r2_key TEXT NOT NULL UNIQUE,
  r2_upload_id TEXT NOT NULL,
  part_size INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX uploads_course ON uploads(course_id);

-- Parts R2 has confirmed, so a client resumes by sending only the others.
CREATE TABLE upload_parts (
  upload_id TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
  part_number INTEGER NOT NULL,
  etag TEXT NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (upload_id, part_number)
);
