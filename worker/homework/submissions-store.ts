/** The index of submissions in D1 (migrations/0004_submissions.sql); their files are in R2. */
import type { OwnWork, SubmissionInfo } from "../../protocol";
import type { TestResult } from "./test-format";

export interface StoredSubmission extends SubmissionInfo {
  r2Key: string;
}

const toSubmission = (r: Record<string, unknown>): StoredSubmission => ({
  id: r.id as string,
  assignmentId: r.assignment_id as string,
  userId: r.user_id as string,
  version: r.version as number,
  submittedAt: r.submitted_at as number,
  contentHash: r.content_hash as string,
  size: r.size as number,
  fileNames: JSON.parse(r.file_names as string) as string[],
  late: r.late === 1,
  daysLate: r.days_late as number,
  penaltyPercent: r.penalty_percent as number,
  r2Key: r.r2_key as string,
});

export const publicSubmission = ({ r2Key: _k, ...s }: StoredSubmission): SubmissionInfo => s;

/**
 * Adds the next version of a student's work. The version is taken in the
 * same statement that inserts it, and the unique (assignment, user, version)
 * index turns a race between two submits into a retry, never a duplicate.
 */
export async function insertSubmission(db: D1Database, s: Omit<StoredSubmission, "version">): Promise<StoredSubmission> {
  for (let attempt = 0; ; attempt++) {
    try {
      const row = await db
        .prepare(
          `INSERT INTO submissions (id, assignment_id, user_id, version, submitted_at, content_hash, size, file_names, r2_key, late, days_late, penalty_percent)
           VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(version), 0) + 1 FROM submissions WHERE assignment_id = ?2 AND user_id = ?3), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
           RETURNING *`,
        )
        .bind(s.id, s.assignmentId, s.userId, s.submittedAt, s.contentHash, s.size, JSON.stringify(s.fileNames), s.r2Key, s.late ? 1 : 0, s.daysLate, s.penaltyPercent)
        .first();
      return toSubmission(row!);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes("UNIQUE")) throw error;
    }
  }
}

export async function getSubmission(db: D1Database, id: string): Promise<StoredSubmission | null> {
  const row = await db.prepare("SELECT * FROM submissions WHERE id = ?").bind(id).first();
  return row ? toSubmission(row) : null;
}

/** One student's versions, newest first. */
export async function submissionsOf(db: D1Database, assignmentId: string, userId: string): Promise<StoredSubmission[]> {
  const { results } = await db
    .prepare("SELECT * FROM submissions WHERE assignment_id = ? AND user_id = ? ORDER BY version DESC")
    .bind(assignmentId, userId)
    .all();
  return results.map(toSubmission);
}

/** How many versions a student has handed in to an assignment: in all, and since `since`. */
export async function versionCounts(db: D1Database, assignmentId: string, userId: string, since: number): Promise<{ total: number; recent: number }> {
  const row = await db
    .prepare("SELECT COUNT(*) AS total, COUNT(CASE WHEN submitted_at > ?3 THEN 1 END) AS recent FROM submissions WHERE assignment_id = ?1 AND user_id = ?2")
    .bind(assignmentId, userId, since)
    .first<{ total: number; recent: number }>();
  return { total: row?.total ?? 0, recent: row?.recent ?? 0 };
}

/** Every student's latest version of an assignment. */
export async function latestSubmissions(db: D1Database, assignmentId: string): Promise<StoredSubmission[]> {
  const { results } = await db
    .prepare(
      `SELECT s.* FROM submissions s
       WHERE s.assignment_id = ?1 AND s.version = (SELECT MAX(version) FROM submissions WHERE assignment_id = ?1 AND user_id = s.user_id)
       ORDER BY s.submitted_at`,
    )
    .bind(assignmentId)
    .all();
  return results.map(toSubmission);
}

export type GradeStatus = "none" | "queued" | "running" | "graded" | "failed";

/** A student's latest version of each assignment of a course they handed in, by assignment. */
export async function ownLatest(db: D1Database, courseId: string, userId: string): Promise<Map<string, OwnWork>> {
  const { results } = await db
    .prepare(
      `SELECT s.assignment_id, s.version, s.submitted_at, s.late, s.grade_status, s.score, s.max_score
       FROM submissions s JOIN assignments a ON a.id = s.assignment_id
       WHERE a.course_id = ?1 AND s.user_id = ?2
         AND s.version = (SELECT MAX(version) FROM submissions WHERE assignment_id = s.assignment_id AND user_id = ?2)`,
    )
    .bind(courseId, userId)
    .all();
  return new Map(
    results.map((r) => [
      r.assignment_id as string,
      {
        version: r.version as number,
        submittedAt: r.submitted_at as number,
        late: r.late === 1,
        grading: r.grade_status as GradeStatus,
        score: r.score as number | null,
        maxScore: r.max_score as number | null,
      },
    ]),
  );
}

export interface StoredGrade {
  status: GradeStatus;
  score: number | null;
  maxScore: number | null;
  results: TestResult[] | null;
  gradedAt: number | null;
}

export async function gradeOf(db: D1Database, submissionId: string): Promise<StoredGrade | null> {
  const r = await db.prepare("SELECT grade_status, score, max_score, results, graded_at FROM submissions WHERE id = ?").bind(submissionId).first();
  if (!r) return null;
  return {
    status: r.grade_status as GradeStatus,
    score: r.score as number | null,
    maxScore: r.max_score as number | null,
    results: r.results ? (JSON.parse(r.results as string) as TestResult[]) : null,
    gradedAt: r.graded_at as number | null,
  };
}

export async function setGradeStatus(db: D1Database, submissionIds: readonly string[], status: GradeStatus): Promise<void> {
  if (submissionIds.length === 0) return;
  await db.batch(submissionIds.map((id) => db.prepare("UPDATE submissions SET grade_status = ? WHERE id = ?").bind(status, id)));
}

export async function saveGrade(db: D1Database, submissionId: string, results: TestResult[], testsVersion: number, now: number): Promise<void> {
  const score = results.reduce((n, r) => n + r.points, 0);
  const max = results.reduce((n, r) => n + r.maxPoints, 0);
  await db
    .prepare("UPDATE submissions SET grade_status = 'graded', score = ?, max_score = ?, results = ?, graded_at = ?, tests_version = ? WHERE id = ?")
    .bind(score, max, JSON.stringify(results), now, testsVersion, submissionId)
    .run();
}
