/**
 * The room's durable state in its SQLite database (ctx.storage.sql).
 * Tables are created behind a schema version so later releases can migrate.
 * https://developers.cloudflare.com/durable-objects/api/sql-storage/
 */
import { CHAT_LIMITS, type Role } from "../../protocol";
import { MIGRATIONS } from "./schema";

/** How often (in sequence numbers) the event log is cut back to what a resume can use. */
export const EVENT_PRUNE_EVERY = 50;


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
