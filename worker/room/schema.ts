/**
 * The room's SQLite tables, as the migrations that made them: the schema's
 * history, applied in order behind a version row by storage.ts.
 * https://developers.cloudflare.com/durable-objects/api/sql-storage/
 */

/** Each entry moves the schema one version forward; never edit a released entry. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE room (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     token_hash TEXT NOT NULL,
     teacher_name TEXT,
     shared_code TEXT NOT NULL DEFAULT '',
     shared_at INTEGER,
     seq INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE participant (
     username TEXT NOT NULL,
     role TEXT NOT NULL,
     first_joined_at INTEGER NOT NULL,
     last_joined_at INTEGER NOT NULL,
     last_left_at INTEGER,
     PRIMARY KEY (username, role)
   );
   CREATE TABLE student_code (
     username TEXT PRIMARY KEY,
     code TEXT NOT NULL,
     shared_at INTEGER NOT NULL
   );`,
  // v2: class rooms (opened and closed on a schedule) beside ad-hoc rooms.
  `ALTER TABLE room ADD COLUMN kind TEXT NOT NULL DEFAULT 'adhoc';
   ALTER TABLE room ADD COLUMN opens_at INTEGER;
   ALTER TABLE room ADD COLUMN closes_at INTEGER;`,
  // v3: a student's latest share belongs to their account, not to a display
  // name (two accounts may share a name; one must not overwrite the other).
  `CREATE TABLE student_code_v3 (
     user_id TEXT PRIMARY KEY,
     username TEXT NOT NULL,
     code TEXT NOT NULL,
     shared_at INTEGER NOT NULL
   );
   INSERT INTO student_code_v3 (user_id, username, code, shared_at) SELECT username, username, code, shared_at FROM student_code;
   DROP TABLE student_code;
   ALTER TABLE student_code_v3 RENAME TO student_code;`,
  // v4: chat, moderation, and the log of numbered events a reconnecting client is replayed.
  `CREATE TABLE chat (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     client_id TEXT NOT NULL,
     author_id TEXT NOT NULL,
     author TEXT NOT NULL,
     author_role TEXT NOT NULL,
     text TEXT NOT NULL,
     attach TEXT,
     created_at INTEGER NOT NULL,
     edited_at INTEGER,
     deleted_at INTEGER,
     seq INTEGER NOT NULL,
     UNIQUE (author_id, client_id)
   );
   CREATE TABLE muted (
     user_id TEXT PRIMARY KEY,
     username TEXT NOT NULL,
     muted_by TEXT NOT NULL,
     muted_at INTEGER NOT NULL
   );
   CREATE TABLE events (
     seq INTEGER PRIMARY KEY,
     frame TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );`,
  // v5: the question board and the help queue. Some events read differently
  // for staff (who asked an anonymous question; who raised a hand, with what
  // code): those keep a second frame for staff.
  `ALTER TABLE events ADD COLUMN staff_frame TEXT;
   CREATE TABLE questions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     client_id TEXT NOT NULL,
     author_id TEXT NOT NULL,
     author TEXT NOT NULL,
     anonymous INTEGER NOT NULL,
     text TEXT NOT NULL,
     asked_at INTEGER NOT NULL,
     answered_at INTEGER,
     answered_by TEXT,
     answer TEXT,
     seq INTEGER NOT NULL,
     UNIQUE (author_id, client_id)
   );
   CREATE TABLE question_votes (
     question_id INTEGER NOT NULL,
     user_id TEXT NOT NULL,
     PRIMARY KEY (question_id, user_id)
   );
   CREATE TABLE hands (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     client_id TEXT NOT NULL,
     student_id TEXT NOT NULL,
     student TEXT NOT NULL,
     note TEXT,
     code TEXT,
     line INTEGER,
     raised_at INTEGER NOT NULL,
     claimed_by TEXT,
     claimed_at INTEGER,
     closed_at INTEGER,
     status TEXT NOT NULL DEFAULT 'waiting',
     seq INTEGER NOT NULL,
     UNIQUE (student_id, client_id)
   );
   CREATE UNIQUE INDEX one_open_hand ON hands (student_id) WHERE status IN ('waiting', 'claimed');`,
  // v6: identity in the room is the account. Each account that joins keeps a
  // name unique in this room (two "Ada"s become "Ada" and "Ada (2)"), so
  // nobody can take a classmate's name to lock them out; staff may remove a
  // question (kept, marked, so a retry of its ASK is still recognised).
  `CREATE TABLE seats (
     user_id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     label TEXT NOT NULL UNIQUE
   );
   ALTER TABLE questions ADD COLUMN removed_at INTEGER;`,
  // v7: live documents (docs-store.ts): every change, numbered per document,
  // and a snapshot now and then so loading one replays only the changes since.
  `CREATE TABLE docs (
     id TEXT PRIMARY KEY,
     snapshot_version INTEGER NOT NULL,
     snapshot TEXT NOT NULL
   );
   CREATE TABLE doc_updates (
     doc TEXT NOT NULL,
     version INTEGER NOT NULL,
     client_id TEXT NOT NULL,
     changes TEXT NOT NULL,
     at INTEGER NOT NULL,
     PRIMARY KEY (doc, version)
   ) WITHOUT ROWID;`,
  // v8: the staff's modes over the editors (DOC_MODE), kept across reconnects and evictions.
  `CREATE TABLE doc_mode (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     locked INTEGER NOT NULL,
     follow INTEGER NOT NULL
   );`,
  // v9: marks on the documents' timelines (runs, shares, pastes) for playback and the teacher's grid.
  `CREATE TABLE doc_marks (
     doc TEXT NOT NULL,
     version INTEGER NOT NULL,
     kind TEXT NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE INDEX doc_marks_by_doc ON doc_marks (doc, version);`,
  // v10: the live broadcast (LIVE_START), kept through the broadcaster's reconnects and evictions.
  `CREATE TABLE live (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     user_id TEXT NOT NULL,
     by_name TEXT NOT NULL,
     peer TEXT,
     started_at INTEGER NOT NULL,
     provider TEXT NOT NULL,
     whep_url TEXT,
     whip_url TEXT,
     live_input TEXT,
     recording TEXT
   );`,
];
