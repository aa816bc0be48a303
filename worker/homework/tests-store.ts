/** An assignment's autograder tests in D1 (migrations/0005_grading.sql), versioned so a grade says which tests it used. */
import type { GraderTest } from "./test-format";

export interface StoredTests {
  tests: GraderTest[];
  version: number;
  updatedAt: number;
}

export async function getTests(db: D1Database, assignmentId: string): Promise<StoredTests | null> {
  const r = await db.prepare("SELECT tests, version, updated_at FROM assignment_tests WHERE assignment_id = ?").bind(assignmentId).first();
  return r ? { tests: JSON.parse(r.tests as string) as GraderTest[], version: r.version as number, updatedAt: r.updated_at as number } : null;
}

export async function putTests(db: D1Database, assignmentId: string, tests: GraderTest[], now: number): Promise<StoredTests> {
  const r = await db
    .prepare(
      `INSERT INTO assignment_tests (assignment_id, tests, version, updated_at) VALUES (?, ?, 1, ?)
       ON CONFLICT (assignment_id) DO UPDATE SET tests = excluded.tests, version = version + 1, updated_at = excluded.updated_at
       RETURNING version`,
    )
    .bind(assignmentId, JSON.stringify(tests), now)
    .first<{ version: number }>();
  return { tests, version: r!.version, updatedAt: now };
}
