/**
 * The room's durable state in its SQLite database (ctx.storage.sql).
 * Tables are created behind a schema version so later releases can migrate.
 * https://developers.cloudflare.com/durable-objects/api/sql-storage/
 */
import { CHAT_LIMITS, type Role } from "../../protocol";

/** How often (in sequence numbers) the event log is cut back to what a resume can use. */
export const EVENT_PRUNE_EVERY = 50;

/** Each entry moves the schema one version forward; never edit a released entry. */
const MIGRATIONS: readonly string[] = [
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

/** An ad-hoc room (token teacher), a scheduled class's room, or a course's always-open channel. */
export type RoomKind = "adhoc" | "class" | "channel";

export interface RoomRecord {
  id: string;
  kind: RoomKind;
  title: string;
  /** Empty for class rooms: membership, not a token, makes a teacher there. */
  tokenHash: string;
  /** Class rooms only: when students may be in the room (Unix ms). */
  opensAt: number | null;
  closesAt: number | null;
  teacherName: string | null;
  sharedCode: string;
  sharedAt: number | null;
  seq: number;
  createdAt: number;
}

export interface StudentCode {
  username: string;
  code: string;
  sharedAt: number;
}

export class RoomStore {
  /** Whether this object's tables exist; false until create() for a fresh object. */
  private ready: boolean;
  private id: string | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly transaction: <T>(fn: () => T) => T,
  ) {
    // An object that was only looked up (a probe for a room id that was never
    // created) must not write anything: tables appear on create().
    this.ready =
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").toArray().length > 0;
    if (this.ready) this.migrate();
  }

  private migrate(): void {
    this.transaction(() => {
      this.sql.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      const row = this.sql.exec<{ version: number }>("SELECT version FROM schema_version").toArray()[0];
      const current = row?.version ?? 0;
      for (let v = current; v < MIGRATIONS.length; v++) this.sql.exec(MIGRATIONS[v]!);
      if (!row) this.sql.exec("INSERT INTO schema_version (version) VALUES (?)", MIGRATIONS.length);
      else if (current < MIGRATIONS.length) this.sql.exec("UPDATE schema_version SET version = ?", MIGRATIONS.length);
    });
    this.ready = true;
  }

  room(): RoomRecord | null {
    if (!this.ready) return null;
    const row = this.sql
      .exec<{
        id: string;
        kind: RoomKind;
        title: string;
        token_hash: string;
        opens_at: number | null;
        closes_at: number | null;
        teacher_name: string | null;
        shared_code: string;
        shared_at: number | null;
        seq: number;
        created_at: number;
      }>("SELECT * FROM room LIMIT 1")
      .toArray()[0];
    if (!row) return null;
    return {
      id: row.id,
      kind: row.kind,
      title: row.title,
      tokenHash: row.token_hash,
      opensAt: row.opens_at,
      closesAt: row.closes_at,
      teacherName: row.teacher_name,
      sharedCode: row.shared_code,
      sharedAt: row.shared_at,
      seq: row.seq,
      createdAt: row.created_at,
    };
  }

  /** The room's id, read once: it never changes, and every frame names it. */
  roomId(): string {
    if (this.id === null) this.id = this.room()?.id ?? null;
    return this.id ?? "";
  }

  /** Creates the room once; a second call for the same object returns false. */
  create(id: string, title: string, tokenHash: string, now: number): boolean {
    if (this.room()) return false;
    this.migrate();
    this.sql.exec("INSERT INTO room (id, title, token_hash, created_at) VALUES (?, ?, ?, ?)", id, title, tokenHash, now);
    return true;
  }

  /** Creates a course's channel room, or updates its title. */
  syncChannel(id: string, title: string, now: number): void {
    if (!this.room()) {
      this.migrate();
      this.sql.exec("INSERT INTO room (id, kind, title, token_hash, created_at) VALUES (?, 'channel', ?, '', ?)", id, title, now);
    } else {
      this.sql.exec("UPDATE room SET title = ?", title);
    }
  }

  /** Creates a class room, or updates its title and hours; returns whether the hours changed. */
  syncClass(id: string, title: string, opensAt: number, closesAt: number, now: number): boolean {
    const before = this.room();
    if (!before) {
      this.migrate();
      this.sql.exec(
        "INSERT INTO room (id, kind, title, token_hash, opens_at, closes_at, created_at) VALUES (?, 'class', ?, '', ?, ?, ?)",
        id,
        title,
        opensAt,
        closesAt,
        now,
      );
      return true;
    }
    this.sql.exec("UPDATE room SET title = ?, opens_at = ?, closes_at = ?", title, opensAt, closesAt);
    return before.opensAt !== opensAt || before.closesAt !== closesAt;
  }

  /**
   * Runs `write` with the room's next sequence number in one transaction and
   * logs the frames it returns under that number, for replay on resume.
   */
  logged(write: (seq: number) => { frame: string; staffFrame?: string }, now: number): { seq: number; frame: string; staffFrame?: string } {
    return this.transaction(() => {
      const seq = this.nextSeq();
      const frames = write(seq);
      this.sql.exec(
        "INSERT INTO events (seq, frame, staff_frame, created_at) VALUES (?, ?, ?, ?)",
        seq,
        frames.frame,
        frames.staffFrame ?? null,
        now,
      );
      // Retention: only the newest maxReplay + 1 events can matter to a resume
      // (a client further behind gets snapshots), so older ones go, in batches.
      // Keeping one more than a replay's most means an older lastSeq always finds
      // too many events after it, never a silently shortened list.
      if (seq % EVENT_PRUNE_EVERY === 0) {
        this.sql.exec(
          "DELETE FROM events WHERE seq < (SELECT MIN(seq) FROM (SELECT seq FROM events ORDER BY seq DESC LIMIT ?))",
          CHAT_LIMITS.maxReplay + 1,
        );
      }
      return { seq, ...frames };
    });
  }

  /** Logged frames after `seq` as staff or a student sees them, oldest first, at most `limit`. */
  eventsAfter(seq: number, limit: number, staff: boolean): string[] {
    return this.sql
      .exec<{ frame: string; staff_frame: string | null }>(
        "SELECT frame, staff_frame FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
        seq,
        limit,
      )
      .toArray()
      .map((r) => (staff && r.staff_frame !== null ? r.staff_frame : r.frame));
  }

  /** The room's current sequence number (0 before anything happened). */
  currentSeq(): number {
    return this.room()?.seq ?? 0;
  }

  /** Bumps and returns the room's sequence number; call inside the write it numbers. */
  private nextSeq(): number {
    return this.sql.exec<{ seq: number }>("UPDATE room SET seq = seq + 1 RETURNING seq").one().seq;
  }

  recordJoin(username: string, role: Role, now: number): number {
    return this.transaction(() => {
      this.sql.exec(
        `INSERT INTO participant (username, role, first_joined_at, last_joined_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (username, role) DO UPDATE SET last_joined_at = excluded.last_joined_at`,
        username,
        role,
        now,
        now,
      );
      if (role === "Teacher") this.sql.exec("UPDATE room SET teacher_name = ?", username);
      return this.nextSeq();
    });
  }

  recordLeave(username: string, role: Role, now: number): number {
    return this.transaction(() => {
      this.sql.exec("UPDATE participant SET last_left_at = ? WHERE username = ? AND role = ?", now, username, role);
      return this.nextSeq();
    });
  }

  saveTeacherCode(code: string, now: number): number {
    return this.transaction(() => {
      this.sql.exec("UPDATE room SET shared_code = ?, shared_at = ?", code, now);
      return this.nextSeq();
    });
  }

  saveStudentCode(userId: string, username: string, code: string, now: number): number {
    return this.transaction(() => {
      this.sql.exec(
        `INSERT INTO student_code (user_id, username, code, shared_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, code = excluded.code, shared_at = excluded.shared_at`,
        userId,
        username,
        code,
        now,
      );
      return this.nextSeq();
    });
  }

  studentCode(): StudentCode[] {
    return this.sql
      .exec<{ username: string; code: string; shared_at: number }>(
        "SELECT username, code, shared_at FROM student_code ORDER BY shared_at",
      )
      .toArray()
      .map((r) => ({ username: r.username, code: r.code, sharedAt: r.shared_at }));
  }

  participants(): { username: string; role: Role; lastJoinedAt: number }[] {
    return this.sql
      .exec<{ username: string; role: Role; last_joined_at: number }>(
        "SELECT username, role, last_joined_at FROM participant ORDER BY first_joined_at",
      )
      .toArray()
      .map((r) => ({ username: r.username, role: r.role, lastJoinedAt: r.last_joined_at }));
  }
}
