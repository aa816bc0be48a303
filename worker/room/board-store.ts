/** Questions, votes and help requests in the room's SQLite database (schema v5 and v6, storage.ts). */
import type { HandView, QuestionView } from "../../protocol";

type QuestionRow = {
  id: number;
  client_id: string;
  author_id: string;
  author: string;
  anonymous: number;
  text: string;
  asked_at: number;
  answered_at: number | null;
  answered_by: string | null;
  answer: string | null;
  seq: number;
  votes: number;
};

type HandRow = {
  id: number;
  client_id: string;
  student_id: string;
  student: string;
  note: string | null;
  code: string | null;
  line: number | null;
  raised_at: number;
  claimed_by: string | null;
  status: HandView["status"];
  seq: number;
};

export interface StoredQuestion {
  authorId: string;
  seq: number;
  /** As staff see it; `forClassmates` hides the author of an anonymous question. */
  view: QuestionView;
}

export interface StoredHand {
  studentId: string;
  seq: number;
  view: HandView;
}

const QUESTION = `SELECT q.*, (SELECT COUNT(*) FROM question_votes v WHERE v.question_id = q.id) AS votes FROM questions q`;

const toQuestion = (r: QuestionRow): StoredQuestion => ({
  authorId: r.author_id,
  seq: r.seq,
  view: {
    id: r.id,
    clientId: r.client_id,
    text: r.text,
    author: r.author,
    anonymous: r.anonymous === 1,
    votes: r.votes,
    askedAt: r.asked_at,
    answeredAt: r.answered_at,
    answeredBy: r.answered_by,
    answer: r.answer,
  },
});

const toHand = (r: HandRow): StoredHand => ({
  studentId: r.student_id,
  seq: r.seq,
  view: {
    id: r.id,
    clientId: r.client_id,
    status: r.status,
    raisedAt: r.raised_at,
    claimedBy: r.claimed_by,
    student: r.student,
    note: r.note,
    code: r.code,
    line: r.line,
  },
});

/** What a classmate may see of a question: never who asked an anonymous one. */
export const questionForClassmates = (q: QuestionView): QuestionView => (q.anonymous ? { ...q, author: null } : q);

/** What a classmate may see of a help request: its place and state, not who, why or what code. */
export const handForClassmates = (h: HandView): HandView => ({ ...h, student: null, note: null, code: null, line: null });

export class BoardStore {
  constructor(private readonly sql: SqlStorage) {}

  /** A question on the board (not removed). */
  question(id: number): StoredQuestion | null {
    const row = this.sql.exec<QuestionRow>(`${QUESTION} WHERE q.id = ? AND q.removed_at IS NULL`, id).toArray()[0];
    return row ? toQuestion(row) : null;
  }

  questionByClientId(authorId: string, clientId: string): StoredQuestion | null {
    const row = this.sql.exec<QuestionRow>(`${QUESTION} WHERE q.author_id = ? AND q.client_id = ?`, authorId, clientId).toArray()[0];
    return row ? toQuestion(row) : null;
  }

  /** A page of the board's questions older than `before` (all, without it), oldest first; `hasMore` if older remain. */
  questions(before: number | undefined, limit: number): { questions: StoredQuestion[]; hasMore: boolean } {
    const rows = this.sql
      .exec<QuestionRow>(`${QUESTION} WHERE q.removed_at IS NULL AND q.id < ? ORDER BY q.id DESC LIMIT ?`, before ?? Number.MAX_SAFE_INTEGER, limit + 1)
      .toArray();
    return { questions: rows.slice(0, limit).reverse().map(toQuestion), hasMore: rows.length > limit };
  }

  remove(id: number, now: number): void {
    this.sql.exec("UPDATE questions SET removed_at = ? WHERE id = ?", now, id);
  }

  ask(q: { clientId: string; authorId: string; author: string; anonymous: boolean; text: string; now: number; seq: number }): StoredQuestion {
    const { id } = this.sql
      .exec<{ id: number }>(
        `INSERT INTO questions (client_id, author_id, author, anonymous, text, asked_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        q.clientId,
        q.authorId,
        q.author,
        q.anonymous ? 1 : 0,
        q.text,
        q.now,
        q.seq,
      )
      .one();
    return this.question(id)!;
  }

  /** Returns whether the vote changed anything. */
  vote(questionId: number, userId: string, up: boolean): boolean {
    const cursor = up
      ? this.sql.exec("INSERT INTO question_votes (question_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", questionId, userId)
      : this.sql.exec("DELETE FROM question_votes WHERE question_id = ? AND user_id = ?", questionId, userId);
    cursor.toArray();
    return cursor.rowsWritten > 0;
  }

  answer(id: number, by: string, answer: string | null, now: number): void {
    this.sql.exec("UPDATE questions SET answered_at = ?, answered_by = ?, answer = ? WHERE id = ?", now, by, answer, id);
  }

  hand(id: number): StoredHand | null {
    const row = this.sql.exec<HandRow>("SELECT * FROM hands WHERE id = ?", id).toArray()[0];
    return row ? toHand(row) : null;
  }

  handByClientId(studentId: string, clientId: string): StoredHand | null {
    const row = this.sql.exec<HandRow>("SELECT * FROM hands WHERE student_id = ? AND client_id = ?", studentId, clientId).toArray()[0];
    return row ? toHand(row) : null;
  }

  openHandOf(studentId: string): StoredHand | null {
    const row = this.sql.exec<HandRow>("SELECT * FROM hands WHERE student_id = ? AND status IN ('waiting', 'claimed')", studentId).toArray()[0];
    return row ? toHand(row) : null;
  }

  /** Waiting and claimed requests, first raised first. */
  openHands(): StoredHand[] {
    return this.sql.exec<HandRow>("SELECT * FROM hands WHERE status IN ('waiting', 'claimed') ORDER BY raised_at, id").toArray().map(toHand);
  }

  raise(h: { clientId: string; studentId: string; student: string; note: string | null; code: string | null; line: number | null; now: number; seq: number }): StoredHand {
    const { id } = this.sql
      .exec<{ id: number }>(
        `INSERT INTO hands (client_id, student_id, student, note, code, line, raised_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        h.clientId,
        h.studentId,
        h.student,
        h.note,
        h.code,
        h.line,
        h.now,
        h.seq,
      )
      .one();
    return this.hand(id)!;
  }

  setHand(id: number, status: HandView["status"], now: number, claimedBy?: string): void {
    if (status === "claimed") this.sql.exec("UPDATE hands SET status = 'claimed', claimed_by = ?, claimed_at = ? WHERE id = ?", claimedBy ?? null, now, id);
    else this.sql.exec("UPDATE hands SET status = ?, closed_at = ? WHERE id = ?", status, now, id);
  }
}
