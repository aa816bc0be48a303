/**
 * Autograding over HTTP: staff set an assignment's tests and regrade; a
 * submit enqueues its grading (homework/grader.ts consumes the queue); and
 * what each person may see of a grade: staff everything, a student their
 * visible tests whole and of hidden tests only how many passed.
 */
import { Hono } from "hono";
import * as z from "zod";
import { latestSubmissions, setGradeStatus, type StoredGrade } from "../homework/submissions-store";
import { GraderTests, forStudent } from "../homework/test-format";
import { getTests, putTests } from "../homework/tests-store";
import type { GradeJob } from "../homework/grader";
import { visibleAssignment } from "./assignments";
import { readJson } from "./body";
import type { AppContext, AppEnv } from "./context";
import { STAFF, requireActive, requireRole } from "./course-access";

export const TestsBody = z.strictObject({ tests: GraderTests });

/** Queues the grading of these submissions, if their assignment has tests. */
export async function enqueueGrading(c: AppContext, assignmentId: string, submissionIds: string[]): Promise<number> {
  const tests = await getTests(c.env.DB, assignmentId);
  if (!tests || tests.tests.length === 0 || submissionIds.length === 0) return 0;
  await setGradeStatus(c.env.DB, submissionIds, "queued");
  // Queues take at most 100 messages a batch: https://developers.cloudflare.com/queues/platform/limits/
  for (let i = 0; i < submissionIds.length; i += 100) {
    await c.env.GRADING.sendBatch(submissionIds.slice(i, i + 100).map((submissionId) => ({ body: { submissionId } satisfies GradeJob })));
  }
  return submissionIds.length;
}

/** A grade as this person may see it. */
export function gradeView(grade: StoredGrade, staff: boolean) {
  const { status, score, maxScore, results } = grade;
  if (staff) return { status, score, maxScore, tests: results };
  return { status, score, maxScore, ...(results ? forStudent(results) : {}) };
}

export const gradingRoutes = new Hono<AppEnv>()
  .get("/:id/tests", async (c) => {
    const { assignment, access } = await visibleAssignment(c, c.req.param("id"));
    requireRole(access, STAFF);
    const stored = await getTests(c.env.DB, assignment.id);
    return c.json({ tests: stored?.tests ?? [], version: stored?.version ?? 0 });
  })
  .put("/:id/tests", async (c) => {
    const { assignment, access } = await visibleAssignment(c, c.req.param("id"));
    requireRole(access, STAFF);
    requireActive(access.course);
    const { tests } = await readJson(c, TestsBody, 1024 * 1024);
    const stored = await putTests(c.env.DB, assignment.id, tests, Date.now());
    return c.json({ tests: stored.tests, version: stored.version });
  })
  .post("/:id/regrade", async (c) => {
    const { assignment, access } = await visibleAssignment(c, c.req.param("id"));
    requireRole(access, STAFF);
    requireActive(access.course);
    const latest = await latestSubmissions(c.env.DB, assignment.id);
    const queued = await enqueueGrading(c, assignment.id, latest.map((s) => s.id));
    return c.json({ queued }, 202);
  });
