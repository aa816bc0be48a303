/**
 * Scheduled classes: create (optionally weekly for N weeks, in the course's
 * timezone), list, open early / close / extend, and the ICS calendar feed.
 */
import { Hono } from "hono";
import { classRoomId, courseChannelId, type ClassInfo } from "../../protocol";
import { CreateClass, Extend } from "../../protocol/requests";
import { renderCalendar } from "../courses/ics";
import { calledOff, isOpen, parseLocal, roomWindow, weeklySessions } from "../courses/schedule";
import {
  courseByCalendarToken,
  createClasses,
  getClass,
  countClasses,
  listClasses,
  rotateCalendarToken,
  setClassTimes,
  type ClassRow,
} from "../courses/store";
import { readJson } from "./body";
import type { AppContext, AppEnv } from "./context";
import { EVERYONE, INSTRUCTOR, STAFF, courseAccess, requireActive, validId } from "./course-access";
import { fail } from "./errors";
import { ACTION_LIMITS, withinLimits } from "./limits";

const MINUTE = 60_000;
/** Four terms of daily classes; the schedule is listed whole (GET …/classes). */
export const MAX_CLASSES_PER_COURSE = 400;



export function classView(k: ClassRow, now: number): ClassInfo {
  const { opensAt, closesAt } = roomWindow(k);
  return {
    id: k.id,
    title: k.title,
    startsAt: k.startsAt,
    endsAt: k.endsAt,
    opensAt,
    closesAt,
    open: isOpen(k, now),
    cancelled: calledOff(k),
    roomId: classRoomId(k.id),
    seriesId: k.seriesId,
  };
}

/** Tells the class's room its current window, so its alarm opens and closes it. */
export async function syncRoom(env: Env, k: ClassRow, courseTitle: string): Promise<void> {
  const { opensAt, closesAt } = roomWindow(k);
  await env.ROOM.getByName(classRoomId(k.id)).syncClass({
    id: classRoomId(k.id),
    title: `${courseTitle}: ${k.title}`,
    opensAt,
    closesAt,
  });
}

/**
 * Sends a user out of every room of the course, after their role changed or
 * they were removed. Every class, not just today's: staff may open a room
 * early and students may wait in one, so any of them can hold a socket.
 */
export async function dismissFromCourseRooms(env: Env, courseId: string, userId: string, reason?: string): Promise<void> {
  const rooms = [...(await listClasses(env.DB, courseId)).map((k) => classRoomId(k.id)), courseChannelId(courseId)];
  await Promise.all(rooms.map((id) => env.ROOM.getByName(id).dismiss(userId, reason)));
}

async function classAccess(c: AppContext, allowedRoles = STAFF) {
  const classId = c.req.param("classId") ?? "";
  const k = validId(classId) ? await getClass(c.env.DB, classId) : null;
  if (!k) fail(404, "No such class.");
  const access = await courseAccess(c, k.courseId, allowedRoles);
  return { ...access, k };
}

async function changeTimes(c: AppContext, change: (k: ClassRow, now: number) => ClassRow) {
  const { course, k } = await classAccess(c);
  requireActive(course);
  const now = Date.now();
  const next = change(k, now);
  await setClassTimes(c.env.DB, next);
  await syncRoom(c.env, next, course.title);
  return c.json({ class: classView(next, now) });
}

export const courseClasses = new Hono<AppEnv>()
  .post("/:courseId/classes", async (c) => {
    const { course, user } = await courseAccess(c, c.req.param("courseId"), STAFF);
    requireActive(course);
    const body = await readJson(c, CreateClass);
    await withinLimits(c, ACTION_LIMITS.scheduleClasses(user.id));
    const sessions = weeklySessions(parseLocal(body.start)!, parseLocal(body.end)!, body.repeatWeeks, course.timezone);
    if (sessions.some((s) => s.endsAt <= s.startsAt)) fail(400, "Some fields are invalid.", { end: "must be after the start" });
    // Each class is a room (a Durable Object) and a row every member's schedule lists: the
    // hourly request limit alone would allow 52 of them a request.
    const existing = await countClasses(c.env.DB, course.id);
    if (existing + sessions.length > MAX_CLASSES_PER_COURSE) {
      fail(409, `A course holds at most ${MAX_CLASSES_PER_COURSE} classes; this one has ${existing}.`);
    }
    const now = Date.now();
    const created = await createClasses(c.env.DB, course.id, body.title, sessions, now);
    return c.json({ classes: created.map((k) => classView(k, now)) }, 201);
  })
  .get("/:courseId/classes", async (c) => {
    const { course } = await courseAccess(c, c.req.param("courseId"), EVERYONE);
    const now = Date.now();
    const all = (await listClasses(c.env.DB, course.id)).map((k) => classView(k, now));
    return c.json({
      upcoming: all.filter((k) => k.closesAt > now),
      past: all.filter((k) => k.closesAt <= now).reverse(),
    });
  })
  .post("/:courseId/calendar/rotate", async (c) => {
    const { course } = await courseAccess(c, c.req.param("courseId"), INSTRUCTOR);
    const token = await rotateCalendarToken(c.env.DB, course.id);
    return c.json({ calendarUrl: `${new URL(c.req.url).origin}/api/calendar/${token}.ics` });
  });

export const classes = new Hono<AppEnv>()
  .get("/:classId", async (c) => {
    const { k, role, course } = await classAccess(c, EVERYONE);
    return c.json({ class: classView(k, Date.now()), role, course: { id: course.id, title: course.title, code: course.code, timezone: course.timezone } });
  })
  .post("/:classId/open", (c) =>
    changeTimes(c, (k, now) => {
      if (now >= k.endsAt) fail(409, "This class has ended; extend it to reopen the room.");
      return { ...k, openedAt: now, closedAt: null };
    }),
  )
  .post("/:classId/close", (c) => changeTimes(c, (k, now) => ({ ...k, closedAt: now })))
  .post("/:classId/extend", async (c) => {
    await classAccess(c); // who may comes before what they sent, as on every other route
    const { minutes } = await readJson(c, Extend);
    return changeTimes(c, (k, now) => ({ ...k, endsAt: Math.max(k.endsAt, now) + minutes * MINUTE, closedAt: null }));
  });

/** GET /api/calendar/:token.ics — public by design: the unguessable URL is the credential. */
export const calendar = new Hono<AppEnv>().get("/:file", async (c) => {
  const token = /^([A-Za-z0-9_-]{20,64})\.ics$/.exec(c.req.param("file"))?.[1];
  const course = token ? await courseByCalendarToken(c.env.DB, token) : null;
  if (!course) fail(404, "No such calendar.");
  const list = await listClasses(c.env.DB, course.id);
  const body = renderCalendar(
    course,
    list.map((k) => ({ ...k, cancelled: calledOff(k) })),
    new URL(c.req.url).origin,
    Date.now(),
  );
  return c.body(body, 200, {
    "content-type": "text/calendar; charset=utf-8",
    "content-disposition": `inline; filename="${course.code.replace(/[^A-Za-z0-9_-]/g, "_")}.ics"`,
    "cache-control": "private, max-age=300",
  });
});
