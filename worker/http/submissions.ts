/**
 * Submissions: a student hands in files (from the editor or read from disk)
 * as the next numbered version; staff see every student's latest, and each
 * version's files. Lateness is decided once, on submit, with the server's
 * clock and the student's own due time (homework/late-policy.ts).
 */
import { Hono } from "hono";
import { SUBMISSION_LIMITS, type AssignmentInfo, type SubmittedFile } from "../../protocol";
import { SubmitBody } from "../../protocol/requests";
import { parseLocal } from "../courses/schedule";
import { sanitizeName } from "../files/names";
import { extensions } from "../homework/assignments-store";
import { decideSubmission } from "../homework/late-policy";
import {
  getSubmission,
  gradeOf,
  insertSubmission,
  latestSubmissions,
  publicSubmission,
  submissionsOf,
  versionCounts,
  type StoredSubmission,
} from "../homework/submissions-store";
import { newId, sha256Hex } from "../lib/secrets";
import { visibleAssignment } from "./assignments";
import { readJson } from "./body";
import { enqueueGrading, gradeView } from "./grading";
import { requireUser, type AppContext, type AppEnv } from "./context";
import { requireActive, validId, type CourseAccess } from "./course-access";
import { fail, tooMany } from "./errors";

const utf8 = new TextEncoder();

/** Clean, unique names, and the files in name order (so the same work always hashes the same). */
function normalizeFiles(files: SubmittedFile[]): SubmittedFile[] {
  const out = new Map<string, string>();
  for (const f of files) {
    const name = sanitizeName(f.name);
    if (!name) fail(400, "Some fields are invalid.", { files: `"${f.name.slice(0, 40)}" is not a file name.` });
    if (out.has(name)) fail(400, "Some fields are invalid.", { files: `Two files are called ${name}.` });
    out.set(name, f.content);
  }
  return [...out].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, content]) => ({ name, content }));
}

export const assignmentSubmissionRoutes = new Hono<AppEnv>()
  .post("/:id/submissions", async (c) => {
    const { assignment, access } = await visibleAssignment(c, c.req.param("id"));
    if (access.role !== "student") fail(403, "Only students hand in work.");
    requireActive(access.course);
    // Every version is stored and graded: a loop of submits would fill R2 and the grading queue.
    const counts = await versionCounts(c.env.DB, assignment.id, access.user.id, Date.now() - 60_000);
    if (counts.total >= SUBMISSION_LIMITS.maxVersions) fail(409, `You have handed in ${SUBMISSION_LIMITS.maxVersions} versions of this assignment, the most it keeps.`);
    if (counts.recent >= SUBMISSION_LIMITS.perMinute) tooMany(`At most ${SUBMISSION_LIMITS.perMinute} versions a minute; wait a moment and hand in again.`, 60);
    const body = await readJson(c, SubmitBody, SUBMISSION_LIMITS.maxBytes * 2);
    const files = normalizeFiles(body.files);
    const document = JSON.stringify({ files });
    const size = files.reduce((n, f) => n + utf8.encode(f.content).byteLength, 0);
    if (size > SUBMISSION_LIMITS.maxBytes) fail(413, `A submission may hold at most ${SUBMISSION_LIMITS.maxBytes / (1024 * 1024)} MiB of files.`);

    const now = Date.now();
    const own = (await extensions(c.env.DB, { userId: access.user.id, courseId: access.course.id })).find((e) => e.assignmentId === assignment.id);
    const due = parseLocal(own?.due ?? assignment.due)!;
    const decision = decideSubmission(assignment.latePolicy, due, access.course.timezone, now);
    if (!decision.ok) fail(409, decision.error);

    const id = newId();
    const r2Key = `courses/${access.course.id}/submissions/${assignment.id}/${access.user.id}/${id}.json`;
    // Written to R2 first, indexed second: a version is acknowledged only once both hold it.
    await c.env.FILES.put(r2Key, document, { httpMetadata: { contentType: "application/json" } });
    const stored = await insertSubmission(c.env.DB, {
      id,
      assignmentId: assignment.id,
      userId: access.user.id,
      submittedAt: now,
      contentHash: await sha256Hex(document),
      size,
      fileNames: files.map((f) => f.name),
      r2Key,
      late: decision.late,
      daysLate: decision.daysLate,
      penaltyPercent: decision.penaltyPercent,
    });
    await enqueueGrading(c, assignment.id, [stored.id]);
    return c.json({ submission: publicSubmission(stored), grading: gradeView((await gradeOf(c.env.DB, stored.id))!, false) }, 201);
  })
  .get("/:id/submissions", async (c) => {
    const { assignment, access } = await visibleAssignment(c, c.req.param("id"));
    const of = c.req.query("userId");
    if (access.role === "student" && of !== undefined && of !== access.user.id) fail(404, "No such student in this course.");
    const list =
      access.role === "student" || of !== undefined
        ? await submissionsOf(c.env.DB, assignment.id, of ?? access.user.id)
        : await latestSubmissions(c.env.DB, assignment.id);
    return c.json({ submissions: list.map(publicSubmission) });
  });

/** The submission and the caller's access: its student or the course's staff; 404 for anyone else. */
export async function readableSubmission(c: AppContext, id: string): Promise<{ submission: StoredSubmission; access: CourseAccess; assignment: AssignmentInfo }> {
  const user = requireUser(c);
  const submission = validId(id) ? await getSubmission(c.env.DB, id) : null;
  if (!submission) fail(404, "No such submission.");
  const { access, assignment } = await visibleAssignment(c, submission.assignmentId).catch(() => fail(404, "No such submission."));
  if (access.role === "student" && submission.userId !== user.id) fail(404, "No such submission.");
  return { submission, access, assignment };
}

export const submissionRoutes = new Hono<AppEnv>().get("/:id", async (c) => {
  const { submission, access } = await readableSubmission(c, c.req.param("id"));
  const object = await c.env.FILES.get(submission.r2Key);
  if (!object) {
    console.error("submissions: indexed but missing in R2", submission.id);
    fail(404, "No such submission.");
  }
  const { files } = (await object.json()) as { files: SubmittedFile[] };
  const grading = gradeView((await gradeOf(c.env.DB, submission.id))!, access.role !== "student");
  return c.json({ submission: publicSubmission(submission), files, grading });
});
