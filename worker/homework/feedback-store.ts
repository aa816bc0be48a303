/** Line comments, score overrides, released grades and the gradebook's scores, in D1 (migrations/0006_feedback.sql). */

export interface Comment {
  id: string;
  file: string;
  line: number;
  body: string;
  author: string;
  createdAt: number;
}

export async function addComment(db: D1Database, submissionId: string, c: Comment, authorId: string): Promise<void> {
  await db
    .prepare("INSERT INTO comments (id, submission_id, file, line, body, author_id, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    .bind(c.id, submissionId, c.file, c.line, c.body, authorId, c.author, c.createdAt)
    .run();
}

export async function commentsOf(db: D1Database, submissionId: string): Promise<Comment[]> {
  const { results } = await db
    .prepare("SELECT id, file, line, body, author, created_at FROM comments WHERE submission_id = ? ORDER BY file, line, created_at")
    .bind(submissionId)
    .all();
  return results.map((r) => ({ id: r.id as string, file: r.file as string, line: r.line as number, body: r.body as string, author: r.author as string, createdAt: r.created_at as number }));
}

export async function setOverride(db: D1Database, submissionId: string, score: number | null, reason: string | null): Promise<void> {
  await db.prepare("UPDATE submissions SET override_score = ?, override_reason = ? WHERE id = ?").bind(score, reason, submissionId).run();
}

export async function overrideOf(db: D1Database, submissionId: string): Promise<{ score: number | null; reason: string | null }> {
  const r = await db.prepare("SELECT override_score, override_reason FROM submissions WHERE id = ?").bind(submissionId).first();
  return { score: (r?.override_score as number | null) ?? null, reason: (r?.override_reason as string | null) ?? null };
}

export async function setReleased(db: D1Database, assignmentId: string, at: number | null): Promise<void> {
  await db.prepare("UPDATE assignments SET released_at = ? WHERE id = ?").bind(at, assignmentId).run();
}

export async function releasedAt(db: D1Database, assignmentId: string): Promise<number | null> {
  const r = await db.prepare("SELECT released_at FROM assignments WHERE id = ?").bind(assignmentId).first();
  return (r?.released_at as number | null) ?? null;
}

/** Each student's latest submission to each assignment of a course, with what its final score needs. */
export async function latestScores(db: D1Database, courseId: string) {
  const { results } = await db
    .prepare(
      `SELECT s.assignment_id, s.user_id, s.score, s.max_score, s.override_score, s.penalty_percent
       FROM submissions s JOIN assignments a ON a.id = s.assignment_id
       WHERE a.course_id = ? AND s.version = (SELECT MAX(version) FROM submissions WHERE assignment_id = s.assignment_id AND user_id = s.user_id)`,
    )
    .bind(courseId)
    .all();
  return results.map((r) => ({
    assignmentId: r.assignment_id as string,
    userId: r.user_id as string,
    score: r.score as number | null,
    maxScore: r.max_score as number | null,
    overrideScore: r.override_score as number | null,
    penaltyPercent: r.penalty_percent as number,
  }));
}
