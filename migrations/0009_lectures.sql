-- Lectures: a course's videos, recorded in a class or uploaded. The bytes are
-- on Cloudflare Stream (provider 'stream', stream_uid) or in R2 (provider
-- 'local', r2_key); this is the index and everything the player shows.
CREATE TABLE lectures (
  id TEXT PRIMARY KEY,
  course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  provider TEXT NOT NULL CHECK (provider IN ('local', 'stream')),
  stream_uid TEXT UNIQUE,
  r2_key TEXT UNIQUE,
  content_type TEXT NOT NULL DEFAULT 'video/mp4',
  size INTEGER NOT NULL DEFAULT 0,
  etag TEXT,
  state TEXT NOT NULL CHECK (state IN ('uploading', 'processing', 'ready', 'failed')),
  error TEXT,
  -- Seconds, once known (the uploader's browser reads it, or Stream reports it).
  duration REAL,
  -- [{ "at": seconds, "title": "…" }], sorted by time.
  chapters TEXT NOT NULL DEFAULT '[]',
  -- A class's recording: the class, its room (whose log holds the teacher's
  -- code over time) and the instant the video's first frame shows.
  class_id TEXT REFERENCES classes(id) ON DELETE SET NULL,
  room_id TEXT,
  recorded_at INTEGER,
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX lectures_course ON lectures(course_id, created_at);

-- WebVTT caption tracks, one per language; the text is in R2 for both providers.
CREATE TABLE lecture_captions (
  lecture_id TEXT NOT NULL REFERENCES lectures(id) ON DELETE CASCADE,
  lang TEXT NOT NULL,
  label TEXT NOT NULL,
  r2_key TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (lecture_id, lang)
) WITHOUT ROWID;

-- Where each viewer stopped, so they resume there.
CREATE TABLE lecture_positions (
  lecture_id TEXT NOT NULL REFERENCES lectures(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  position REAL NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (lecture_id, user_id)
) WITHOUT ROWID;

-- A resumable upload (uploads, 0002) may fill a lecture's video instead of a
-- course file: completing it makes the lecture ready.
ALTER TABLE uploads ADD COLUMN lecture_id TEXT REFERENCES lectures(id) ON DELETE CASCADE;
-- An open-ended upload (a class being recorded) does not know its size:
-- `size` counts the bytes received so far, and the client marks which part
-- is the last (`last_part`) when the recording stops.
ALTER TABLE uploads ADD COLUMN open_ended INTEGER NOT NULL DEFAULT 0;
ALTER TABLE uploads ADD COLUMN last_part INTEGER;
