/**
 * Feedback and grades: staff comment on a submission's lines and may
 * override its score with a reason; releasing an assignment's grades shows
 * students their comments and final scores; staff export the gradebook.
 */
import { Hono } from "hono";
import { CommentBody, OverrideBody, ReleaseBody } from "../../protocol/requests";
import { roster } from "../courses/store";
import { addComment, commentsOf, latestScores, overrideOf, releasedAt, setOverride, setReleased } from "../homework/feedback-store";
import { csv, finalScore } from "../homework/gradebook";
import { courseAssignments } from "../homework/assignments-store";
import { gradeOf } from "../homework/submissions-store";
import { newId } from "../lib/secrets";
import { visibleAssignment } from "./assignments";
import { readableSubmission } from "./submissions";
import { readJson } from "./body";
import type { AppEnv } from "./context";
import { STAFF, courseAccess, requireActive, requireRole, type CourseAccess } from "./course-access";
import { fail } from "./errors";

function requireStaff(access: CourseAccess): void {
  requireRole(access, STAFF);
  requireActive(access.course);
}

export const feedbackRoutes = new Hono<AppEnv>()
  .get("/:id/feedback", async (c) => {
    const { submission, access, assignment } = await readableSubmission(c, c.req.param("id"));
    const released = (await releasedAt(c.env.DB, submission.assignmentId)) !== null;
    const staff = access.role !== "student";
    // Students see nothing of it before the grades are released.
    if (!staff && !released) return c.json({ released: false, comments: [], finalScore: null });
    const [override, grade] = await Promise.all([overrideOf(c.env.DB, submission.id), gradeOf(c.env.DB, submission.id)]);
    const parts = { score: grade?.score ?? null, maxScore: grade?.maxScore ?? null, overrideScore: override.score, penaltyPercent: submission.penaltyPercent };
    return c.json({
      released,
      comments: await commentsOf(c.env.DB, submission.id),
      finalScore: finalScore(parts, assignment.points),
      // Once released, a student sees why staff changed the score too.
      ...(override.score !== null || staff ? { override } : {}),
    });
  })
  .post("/:id/comments", async (c) => {
    const { submission, access } = await readableSubmission(c, c.req.param("id"));
    requireStaff(access);
    const body = await readJson(c, CommentBody);
    if (!submission.fileNames.includes(body.file)) fail(400, "Some fields are invalid.", { file: `This submission has no file ${body.file}.` });
    const comment = { id: newId(), ...body, author: access.user.name, createdAt: Date.now() };
    await addComment(c.env.DB, submission.id, comment, access.user.id);
    return c.json({ comment }, 201);
  })
  .put("/:id/override", async (c) => {
    const { submission, access, assignment } = await readableSubmission(c, c.req.param("id"));
    requireStaff(access);
    const { score, reason } = await readJson(c, OverrideBody);
    const { points } = assignment;
    // A typo (50 for 5.0) would otherwise top the gradebook unnoticed.
    if (score !== null && score > points) fail(400, "Some fields are invalid.", { score: `must be at most the assignment's ${points} points` });
    await setOverride(c.env.DB, submission.id, score, score === null ? null : reason);
    return c.json({ override: await overrideOf(c.env.DB, submission.id) });
  });

export const releaseRoutes = new Hono<AppEnv>().post("/:id/release", async (c) => {
  const { assignment, access } = await visibleAssignment(c, c.req.param("id"));
  requireStaff(access);
  const { released } = await readJson(c, ReleaseBody);
  await setReleased(c.env.DB, assignment.id, released ? Date.now() : null);
  return c.json({ released });
});

export const gradebookRoutes = new Hono<AppEnv>().get("/:courseId/gradebook.csv", async (c) => {
  const { course } = await courseAccess(c, c.req.param("courseId"), STAFF);
  const [members, assignments, scores] = await Promise.all([
    roster(c.env.DB, course.id),
    courseAssignments(c.env.DB, course.id, true),
    latestScores(c.env.DB, course.id),
  ]);
  const points = new Map(assignments.map((a) => [a.id, a.points]));
  const byKey = new Map(scores.map((s) => [`${s.userId}/${s.assignmentId}`, finalScore(s, points.get(s.assignmentId) ?? 0)]));
  const rows = [
    ["Name", "Email", ...assignments.map((a) => `${a.title} (${a.points})`)],
    ...members
      .filter((m) => m.role === "student")
      .map((m) => [m.name, m.email, ...assignments.map((a) => byKey.get(`${m.userId}/${a.id}`) ?? null)]),
  ];
  return new Response(csv(rows), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="gradebook-${course.code.replace(/[^A-Za-z0-9_-]/g, "_")}.csv"`,
      "x-content-type-options": "nosniff",
    },
  });
});
