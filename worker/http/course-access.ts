/** Who may touch a course: members only (others get 404, so ids reveal nothing), some actions staff or instructor only. */
import * as z from "zod";
import { getCourse, membership, type Course, type CourseRole, type CourseSecrets } from "../courses/store";
import type { User } from "../auth/sessions";
import { requireUser, type AppContext } from "./context";
import { fail } from "./errors";

export const STAFF: readonly CourseRole[] = ["instructor", "ta"];
export const EVERYONE: readonly CourseRole[] = ["instructor", "ta", "student"];
export const INSTRUCTOR: readonly CourseRole[] = ["instructor"];

const Id = z.string().regex(/^[A-Za-z0-9]{6,32}$/);

export interface CourseAccess {
  user: User;
  course: Course & CourseSecrets;
  role: CourseRole;
}

export async function courseAccess(c: AppContext, courseId: string, allowed: readonly CourseRole[]): Promise<CourseAccess> {
  const user = requireUser(c);
  const course = Id.safeParse(courseId).success ? await getCourse(c.env.DB, courseId) : null;
  const role = course ? await membership(c.env.DB, course.id, user.id) : null;
  if (!course || !role) fail(404, "No such course.");
  const access = { user, course, role };
  requireRole(access, allowed);
  return access;
}

/** The role check of courseAccess, for a caller whose access is already loaded (no second query). */
export function requireRole(access: CourseAccess, allowed: readonly CourseRole[]): void {
  if (!allowed.includes(access.role)) {
    fail(403, allowed.length === 1 ? "Only the course's instructor can do that." : "Only the course's instructor or TAs can do that.");
  }
}

/** Changes to an archived course are refused; it stays readable. */
export function requireActive(course: Course): void {
  if (course.archivedAt !== null) fail(409, "This course is archived.");
}

export function validId(id: string): boolean {
  return Id.safeParse(id).success;
}
