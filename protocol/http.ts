/**
 * Shapes of HTTP API answers that both the worker and the web client use
 * (docs/api.md). The worker builds them; the web client reads them.
 */

export type CourseRole = "instructor" | "ta" | "student";

export interface UserInfo {
  id: string;
  email: string;
  name: string;
}

/** A course as members see it. */
export interface CourseInfo {
  id: string;
  title: string;
  code: string;
  description: string;
  timezone: string;
  archived: boolean;
  archivedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A scheduled class, with its room's hours (Unix ms). */
export interface ClassInfo {
  id: string;
  title: string;
  startsAt: number;
  endsAt: number;
  opensAt: number;
  closesAt: number;
  open: boolean;
  /** Closed before its room ever opened: it never ran. */
  cancelled: boolean;
  roomId: string;
  seriesId: string | null;
}

export interface MemberInfo {
  userId: string;
  name: string;
  email: string;
  role: CourseRole;
  enrolledAt: number;
}
