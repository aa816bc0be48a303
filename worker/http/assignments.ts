/**
 * Assignments of a course: staff create, edit, publish and give students
 * extensions; students see published assignments only, with their own due
 * time. Lateness rules: homework/late-policy.ts.
 */
import { Hono } from "hono";
import * as z from "zod";
import type { AssignmentInfo } from "../../protocol";
import { AssignmentBody, AssignmentPatch, ExtensionBody } from "../../protocol/requests";
import { membership } from "../courses/store";
import { parseLocal, zonedToInstant } from "../courses/schedule";
import { getFile } from "../files/store";
import {
  courseAssignments,
  createAssignment,
  extensions,
  getAssignment,
  removeExtension,
  setExtension,
  updateAssignment,
  type AssignmentFields,
} from "../homework/assignments-store";
import { ownLatest } from "../homework/submissions-store";
import { newId } from "../lib/secrets";
import { readJson } from "./body";
import { requireUser, type AppContext, type AppEnv } from "./context";
import { EVERYONE, STAFF, courseAccess, requireActive, requireRole, validId, type CourseAccess } from "./course-access";
import { fail, fieldErrors } from "./errors";

/** Starter and handout files must be the course's own, and for every member: students download them. */
async function checkFiles(c: AppContext, courseId: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    const file = await getFile(c.env.DB, id);
    if (!file || file.courseId !== courseId) fail(400, "Some fields are invalid.", { files: `${id} is not a file of this course.` });
    if (file.visibility !== "members") fail(400, "Some fields are invalid.", { files: `${file.name} is for staff only; students could not download it.` });
  }
}

async function fields(c: AppContext, access: CourseAccess, body: z.output<typeof AssignmentBody>): Promise<AssignmentFields> {
  await checkFiles(c, access.course.id, [...body.starterFiles, ...body.handoutFiles]);
  return { ...body, dueAt: zonedToInstant(parseLocal(body.due)!, access.course.timezone) };
}

/** The assignment, if the caller may see it: drafts are for staff; everyone else gets 404. */
export async function visibleAssignment(c: AppContext, id: string): Promise<{ assignment: AssignmentInfo; access: CourseAccess }> {
  requireUser(c);
  const assignment = validId(id) ? await getAssignment(c.env.DB, id) : null;
  if (!assignment) fail(404, "No such assignment.");
  const access = await courseAccess(c, assignment.courseId, EVERYONE).catch(() => fail(404, "No such assignment."));
  if (access.role === "student" && assignment.status !== "published") fail(404, "No such assignment.");
  return { assignment, access };
}

/** For a student, each assignment with their own due time and their latest version. */
async function withOwnStatus(c: AppContext, access: CourseAccess, list: AssignmentInfo[]): Promise<AssignmentInfo[]> {
  if (access.role !== "student") return list;
  const [own, work] = await Promise.all([
    extensions(c.env.DB, { userId: access.user.id, courseId: access.course.id }),
    ownLatest(c.env.DB, access.course.id, access.user.id),
  ]);
  const granted = new Map(own.map((e) => [e.assignmentId, e]));
  return list.map((a) => {
    const e = granted.get(a.id);
    return { ...a, ...(e ? { extension: { due: e.due, dueAt: e.dueAt } } : {}), mine: work.get(a.id) ?? null };
  });
}

export const courseAssignmentRoutes = new Hono<AppEnv>()
  .get("/:courseId/assignments", async (c) => {
    const access = await courseAccess(c, c.req.param("courseId"), EVERYONE);
    const list = await courseAssignments(c.env.DB, access.course.id, access.role === "student");
    return c.json({ assignments: await withOwnStatus(c, access, list) });
  })
  .post("/:courseId/assignments", async (c) => {
    const access = await courseAccess(c, c.req.param("courseId"), STAFF);
    requireActive(access.course);
    const body = await readJson(c, AssignmentBody, 64 * 1024);
    const id = newId();
    await createAssignment(c.env.DB, id, access.course.id, access.user.id, await fields(c, access, body), Date.now());
    return c.json({ assignment: await getAssignment(c.env.DB, id) }, 201);
  });

export const assignmentRoutes = new Hono<AppEnv>()
  .get("/:id", async (c) => {
    const { assignment, access } = await visibleAssignment(c, c.req.param("id"));
    const [shown] = await withOwnStatus(c, access, [assignment]);
    return c.json({ assignment: shown });
  })
  .patch("/:id", async (c) => {
    const { assignment, access } = await visibleAssignment(c, c.req.param("id"));
    requireRole(access, STAFF);
    requireActive(access.course);
    const patch = await readJson(c, AssignmentPatch, 64 * 1024);
    const { id: _id, courseId: _c, createdAt: _cr, updatedAt: _u, dueAt: _d, released: _r, extension: _e, mine: _m, ...current } = assignment;
    const merged = AssignmentBody.safeParse({ ...current, ...patch });
    if (!merged.success) fail(400, "Some fields are invalid.", fieldErrors(merged.error));
    await updateAssignment(c.env.DB, assignment.id, await fields(c, access, merged.data), Date.now());
    return c.json({ assignment: await getAssignment(c.env.DB, assignment.id) });
  })
  .get("/:id/extensions", async (c) => {
    const { assignment, access } = await visibleAssignment(c, c.req.param("id"));
    requireRole(access, STAFF);
    const list = await extensions(c.env.DB, { assignmentId: assignment.id });
    return c.json({ extensions: list.map(({ assignmentId: _a, ...e }) => e) });
  })
  .put("/:id/extensions/:userId", async (c) => {
    const { assignment, access } = await visibleAssignment(c, c.req.param("id"));
    requireRole(access, STAFF);
    requireActive(access.course);
    const userId = c.req.param("userId");
    if ((validId(userId) ? await membership(c.env.DB, access.course.id, userId) : null) !== "student") {
      fail(404, "No such student in this course.");
    }
    const { due } = await readJson(c, ExtensionBody);
    const dueAt = zonedToInstant(parseLocal(due)!, access.course.timezone);
    await setExtension(c.env.DB, assignment.id, userId, due, dueAt, access.user.id, Date.now());
    return c.json({ extension: { userId, due, dueAt } });
  })
  .delete("/:id/extensions/:userId", async (c) => {
    const { assignment, access } = await visibleAssignment(c, c.req.param("id"));
    requireRole(access, STAFF);
    requireActive(access.course);
    if (!(await removeExtension(c.env.DB, assignment.id, c.req.param("userId")))) fail(404, "No extension for that student.");
    return c.body(null, 204);
  });
