/** Courses, enrolments and classes in D1: every query the HTTP routes need, and nothing else. */
import type { CourseRole, MemberInfo } from "../../protocol";
import { newId, newToken } from "../lib/secrets";
import type { ClassTimes } from "./schedule";

export type { CourseRole };

export interface Course {
  id: string;
  title: string;
  code: string;
  description: string;
  timezone: string;
  ownerId: string;
  archivedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface CourseSecrets {
  invite: { code: string | null; enabled: boolean; expiresAt: number | null };
  calendarToken: string;
}

export interface ClassRow extends ClassTimes {
  id: string;
  courseId: string;
  seriesId: string | null;
  title: string;
}

export type Member = MemberInfo;

type Row = Record<string, unknown>;

const toCourse = (r: Row): Course => ({
  id: r.id as string,
  title: r.title as string,
  code: r.code as string,
  description: r.description as string,
  timezone: r.timezone as string,
  ownerId: r.owner_id as string,
  archivedAt: (r.archived_at as number | null) ?? null,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});

const toClass = (r: Row): ClassRow => ({
  id: r.id as string,
  courseId: r.course_id as string,
  seriesId: (r.series_id as string | null) ?? null,
  title: r.title as string,
  startsAt: r.starts_at as number,
  endsAt: r.ends_at as number,
  openedAt: (r.opened_at as number | null) ?? null,
  closedAt: (r.closed_at as number | null) ?? null,
});

export interface CourseFields {
  title: string;
  code: string;
  description: string;
  timezone: string;
}

/** The course and its owner's enrolment are written together or not at all. */
export async function createCourse(db: D1Database, ownerId: string, f: CourseFields, now: number): Promise<Course> {
  const id = newId(12);
  await db.batch([
    db
      .prepare(
        `INSERT INTO courses (id, title, code, description, timezone, owner_id, invite_code, calendar_token, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(id, f.title, f.code, f.description, f.timezone, ownerId, newId(8), newToken(), now, now),
    db.prepare("INSERT INTO enrolments (course_id, user_id, role, created_at) VALUES (?, ?, 'instructor', ?)").bind(id, ownerId, now),
  ]);
  return { id, ...f, ownerId, archivedAt: null, createdAt: now, updatedAt: now };
}

export async function getCourse(db: D1Database, id: string): Promise<(Course & CourseSecrets) | null> {
  const r = await db.prepare("SELECT * FROM courses WHERE id = ?").bind(id).first<Row>();
  if (!r) return null;
  return {
    ...toCourse(r),
    invite: {
      code: (r.invite_code as string | null) ?? null,
      enabled: r.invite_enabled === 1,
      expiresAt: (r.invite_expires_at as number | null) ?? null,
    },
    calendarToken: r.calendar_token as string,
  };
}

export async function membership(db: D1Database, courseId: string, userId: string): Promise<CourseRole | null> {
  const r = await db.prepare("SELECT role FROM enrolments WHERE course_id = ? AND user_id = ?").bind(courseId, userId).first<{ role: CourseRole }>();
  return r?.role ?? null;
}

export async function myCourses(db: D1Database, userId: string): Promise<(Course & { role: CourseRole })[]> {
  const { results } = await db
    .prepare(
      `SELECT courses.*, enrolments.role FROM enrolments JOIN courses ON courses.id = enrolments.course_id
       WHERE enrolments.user_id = ? ORDER BY courses.archived_at IS NOT NULL, courses.title`,
    )
    .bind(userId)
    .all<Row>();
  return results.map((r) => ({ ...toCourse(r), role: r.role as CourseRole }));
}

export async function updateCourse(db: D1Database, id: string, patch: Partial<CourseFields>, now: number): Promise<void> {
  const columns = Object.entries(patch).filter(([, v]) => v !== undefined);
  if (columns.length === 0) return;
  // Column names come from the schema-checked patch keys, never from input text.
  const sets = columns.map(([k]) => `${k} = ?`).join(", ");
  await db
    .prepare(`UPDATE courses SET ${sets}, updated_at = ? WHERE id = ?`)
    .bind(...columns.map(([, v]) => v), now, id)
    .run();
}

export async function archiveCourse(db: D1Database, id: string, now: number): Promise<void> {
  await db.prepare("UPDATE courses SET archived_at = COALESCE(archived_at, ?), updated_at = ? WHERE id = ?").bind(now, now, id).run();
}

export async function setInvite(
  db: D1Database,
  id: string,
  change: { rotate: boolean; enabled?: boolean; expiresAt?: number | null },
  now: number,
): Promise<void> {
  await db
    .prepare(
      `UPDATE courses SET
         invite_code = CASE WHEN ?1 THEN ?2 ELSE invite_code END,
         invite_enabled = COALESCE(?3, invite_enabled),
         invite_expires_at = CASE WHEN ?4 THEN ?5 ELSE invite_expires_at END,
         updated_at = ?6
       WHERE id = ?7`,
    )
    .bind(
      change.rotate ? 1 : 0,
      newId(8),
      change.enabled === undefined ? null : change.enabled ? 1 : 0,
      change.expiresAt === undefined ? 0 : 1,
      change.expiresAt ?? null,
      now,
      id,
    )
    .run();
}

/** The course an invite code belongs to, with its link's state and its instructor's display name (one query: both invite routes show the name). */
export async function courseByInvite(db: D1Database, code: string) {
  const r = await db
    .prepare("SELECT courses.*, users.name AS owner_name FROM courses LEFT JOIN users ON users.id = courses.owner_id WHERE courses.invite_code = ?")
    .bind(code)
    .first<Row>();
  if (!r) return null;
  return {
    ...toCourse(r),
    enabled: r.invite_enabled === 1,
    expiresAt: (r.invite_expires_at as number | null) ?? null,
    instructor: (r.owner_name as string | null) ?? null,
  };
}

/** Whether an invite takes new students now: "invalid" for no such code, a link turned off or an archived course. */
export function inviteStatus(invite: Awaited<ReturnType<typeof courseByInvite>>, now: number): "open" | "invalid" | "expired" {
  if (!invite || !invite.enabled || invite.archivedAt !== null) return "invalid";
  return invite.expiresAt !== null && invite.expiresAt <= now ? "expired" : "open";
}

/** Enrols as a student unless already a member; returns the member's role. */
export async function enrol(db: D1Database, courseId: string, userId: string, now: number): Promise<CourseRole> {
  await db
    .prepare("INSERT INTO enrolments (course_id, user_id, role, created_at) VALUES (?, ?, 'student', ?) ON CONFLICT DO NOTHING")
    .bind(courseId, userId, now)
    .run();
  return (await membership(db, courseId, userId))!;
}

export async function roster(db: D1Database, courseId: string): Promise<Member[]> {
  const { results } = await db
    .prepare(
      `SELECT users.id AS user_id, users.name, users.email, enrolments.role, enrolments.created_at
       FROM enrolments JOIN users ON users.id = enrolments.user_id WHERE enrolments.course_id = ?
       ORDER BY CASE enrolments.role WHEN 'instructor' THEN 0 WHEN 'ta' THEN 1 ELSE 2 END, users.name`,
    )
    .bind(courseId)
    .all<Row>();
  return results.map((r) => ({
    userId: r.user_id as string,
    name: r.name as string,
    email: r.email as string,
    role: r.role as CourseRole,
    enrolledAt: r.created_at as number,
  }));
}

/** Changes a TA or student; the instructor's own enrolment is never touched here. */
export async function setMemberRole(db: D1Database, courseId: string, userId: string, role: "ta" | "student"): Promise<boolean> {
  const r = await db
    .prepare("UPDATE enrolments SET role = ? WHERE course_id = ? AND user_id = ? AND role != 'instructor'")
    .bind(role, courseId, userId)
    .run();
  return r.meta.changes > 0;
}

export async function removeMember(db: D1Database, courseId: string, userId: string): Promise<boolean> {
  const r = await db
    .prepare("DELETE FROM enrolments WHERE course_id = ? AND user_id = ? AND role != 'instructor'")
    .bind(courseId, userId)
    .run();
  return r.meta.changes > 0;
}

export async function createClasses(
  db: D1Database,
  courseId: string,
  title: string,
  sessions: { startsAt: number; endsAt: number }[],
  now: number,
): Promise<ClassRow[]> {
  const seriesId = sessions.length > 1 ? newId(12) : null;
  const rows: ClassRow[] = sessions.map((s) => ({ id: newId(12), courseId, seriesId, title, ...s, openedAt: null, closedAt: null }));
  // One batch is one transaction: every week of a series is stored, or none.
  await db.batch(
    rows.map((r) =>
      db
        .prepare("INSERT INTO classes (id, course_id, series_id, title, starts_at, ends_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(r.id, courseId, seriesId, title, r.startsAt, r.endsAt, now),
    ),
  );
  return rows;
}

export async function countClasses(db: D1Database, courseId: string): Promise<number> {
  return (await db.prepare("SELECT COUNT(*) AS n FROM classes WHERE course_id = ?").bind(courseId).first<{ n: number }>())!.n;
}

export async function listClasses(db: D1Database, courseId: string): Promise<ClassRow[]> {
  const { results } = await db.prepare("SELECT * FROM classes WHERE course_id = ? ORDER BY starts_at").bind(courseId).all<Row>();
  return results.map(toClass);
}

export async function getClass(db: D1Database, classId: string): Promise<ClassRow | null> {
  const r = await db.prepare("SELECT * FROM classes WHERE id = ?").bind(classId).first<Row>();
  return r ? toClass(r) : null;
}

export async function setClassTimes(db: D1Database, c: ClassRow): Promise<void> {
  await db
    .prepare("UPDATE classes SET ends_at = ?, opened_at = ?, closed_at = ? WHERE id = ?")
    .bind(c.endsAt, c.openedAt, c.closedAt, c.id)
    .run();
}

export async function courseByCalendarToken(db: D1Database, token: string) {
  const r = await db.prepare("SELECT * FROM courses WHERE calendar_token = ?").bind(token).first<Row>();
  return r ? toCourse(r) : null;
}

export async function rotateCalendarToken(db: D1Database, courseId: string): Promise<string> {
  const token = newToken();
  await db.prepare("UPDATE courses SET calendar_token = ? WHERE id = ?").bind(token, courseId).run();
  return token;
}
