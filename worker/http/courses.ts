/** Courses: create, read, edit, archive; invites and enrolment; the roster. */
import { Hono } from "hono";
import { ACCESS_REASONS, type CourseInfo } from "../../protocol";
import type { CourseView } from "../../protocol/http";
import { CreateCourse, Enrol, InviteChange, MemberRole, UpdateCourse } from "../../protocol/requests";
import {
  archiveCourse,
  courseByInvite,
  inviteStatus,
  createCourse,
  enrol,
  getCourse,
  membership,
  myCourses,
  removeMember,
  roster,
  setInvite,
  setMemberRole,
  updateCourse,
  type Course,
  type CourseRole,
  type CourseSecrets,
} from "../courses/store";
import { readJson } from "./body";
import { dismissFromCourseRooms } from "./classes";
import { requireUser, type AppContext, type AppEnv } from "./context";
import { EVERYONE, INSTRUCTOR, STAFF, courseAccess, requireActive, validId } from "./course-access";
import { fail } from "./errors";
import { ACTION_LIMITS, withinLimits } from "./limits";
import { abandonUploads } from "./uploads";

const DAY = 24 * 60 * 60 * 1000;

/** The course's own fields, picked one by one: callers pass rows that also carry the invite and calendar token. */
function publicCourse(course: Course): CourseInfo {
  const { id, title, code, description, timezone, archivedAt, createdAt, updatedAt } = course;
  return { id, title, code, description, timezone, archivedAt, createdAt, updatedAt, archived: archivedAt !== null };
}

/** What a member sees; the invite only for the instructor. */
export function courseView(c: AppContext, course: Course & CourseSecrets, role: CourseRole): CourseView {
  const origin = new URL(c.req.url).origin;
  return {
    course: publicCourse(course),
    role,
    calendarUrl: `${origin}/api/calendar/${course.calendarToken}.ics`,
    ...(role === "instructor"
      ? {
          invite: {
            ...course.invite,
            url: course.invite.code ? `${origin}/enrol/${course.invite.code}` : null,
          },
        }
      : {}),
  };
}

export const courses = new Hono<AppEnv>()
  .post("/", async (c) => {
    const user = requireUser(c);
    const body = await readJson(c, CreateCourse);
    await withinLimits(c, ACTION_LIMITS.createCourse(user.id));
    const course = await createCourse(c.env.DB, user.id, body, Date.now());
    return c.json(courseView(c, (await getCourse(c.env.DB, course.id))!, "instructor"), 201);
  })
  .get("/", async (c) => {
    const user = requireUser(c);
    const list = await myCourses(c.env.DB, user.id);
    return c.json({ courses: list.map(({ role, ...course }) => ({ ...publicCourse(course), role })) });
  })
  .get("/:courseId", async (c) => {
    const { course, role } = await courseAccess(c, c.req.param("courseId"), EVERYONE);
    return c.json(courseView(c, course, role));
  })
  .patch("/:courseId", async (c) => {
    const { course } = await courseAccess(c, c.req.param("courseId"), INSTRUCTOR);
    requireActive(course);
    await updateCourse(c.env.DB, course.id, await readJson(c, UpdateCourse), Date.now());
    return c.json(courseView(c, (await getCourse(c.env.DB, course.id))!, "instructor"));
  })
  .post("/:courseId/archive", async (c) => {
    const { course } = await courseAccess(c, c.req.param("courseId"), INSTRUCTOR);
    await archiveCourse(c.env.DB, course.id, Date.now());
    return c.json(courseView(c, (await getCourse(c.env.DB, course.id))!, "instructor"));
  })
  .post("/:courseId/invite", async (c) => {
    const { course } = await courseAccess(c, c.req.param("courseId"), INSTRUCTOR);
    requireActive(course);
    const body = await readJson(c, InviteChange);
    const now = Date.now();
    await setInvite(
      c.env.DB,
      course.id,
      {
        rotate: body.rotate ?? false,
        ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
        ...(body.expiresInDays === undefined ? {} : { expiresAt: body.expiresInDays === null ? null : now + body.expiresInDays * DAY }),
      },
      now,
    );
    return c.json(courseView(c, (await getCourse(c.env.DB, course.id))!, "instructor").invite);
  })
  .get("/:courseId/roster", async (c) => {
    const { course } = await courseAccess(c, c.req.param("courseId"), STAFF);
    return c.json({ members: await roster(c.env.DB, course.id) });
  })
  .patch("/:courseId/members/:userId", async (c) => {
    const { course } = await courseAccess(c, c.req.param("courseId"), INSTRUCTOR);
    const { role } = await readJson(c, MemberRole);
    const userId = c.req.param("userId");
    if (!validId(userId) || !(await setMemberRole(c.env.DB, course.id, userId, role))) fail(404, "No such student or TA in this course.");
    if (role === "student") await abandonUploads(c.env, course.id, userId);
    await dismissFromCourseRooms(c.env, course.id, userId);
    return c.json({ members: await roster(c.env.DB, course.id) });
  })
  .delete("/:courseId/members/:userId", async (c) => {
    const { course } = await courseAccess(c, c.req.param("courseId"), INSTRUCTOR);
    const userId = c.req.param("userId");
    if (!validId(userId) || !(await removeMember(c.env.DB, course.id, userId))) fail(404, "No such student or TA in this course.");
    await abandonUploads(c.env, course.id, userId);
    await dismissFromCourseRooms(c.env, course.id, userId, ACCESS_REASONS.removed);
    return c.body(null, 204);
  });

/** The course behind an invite code that still works, or the reason it does not. */
async function invitedCourse(c: AppContext, code: string) {
  const course = await courseByInvite(c.env.DB, code);
  const status = inviteStatus(course, Date.now());
  if (status === "invalid") fail(404, "Some fields are invalid.", { code: "is not a valid invite code (it may have been rotated or disabled)" });
  if (status === "expired") fail(410, "Some fields are invalid.", { code: "has expired; ask your instructor for a new invite link" });
  return course!;
}

/**
 * GET /api/enrol/:code: what joining would mean (the course, its instructor,
 * whether you are in it already), so the page can ask before your name and
 * email go on a roster. POST /api/enrol { code }: join as a student.
 * Both count against the same limit: either could be used to guess codes.
 */
export const enrolment = new Hono<AppEnv>()
  .get("/:code", async (c) => {
    const user = requireUser(c);
    await withinLimits(c, ACTION_LIMITS.enrol(user.id));
    const course = await invitedCourse(c, c.req.param("code").slice(0, 32));
    const role = await membership(c.env.DB, course.id, user.id);
    return c.json({ course: publicCourse(course), instructor: course.instructor, role });
  })
  .post("/", async (c) => {
    const user = requireUser(c);
    const { code } = await readJson(c, Enrol);
    await withinLimits(c, ACTION_LIMITS.enrol(user.id));
    const course = await invitedCourse(c, code);
    const role = await enrol(c.env.DB, course.id, user.id, Date.now());
    return c.json({ course: publicCourse(course), role });
  });
