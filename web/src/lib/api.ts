/** The HTTP API, typed. Errors come back as `{ error, fields? }` (docs/api.md). */
import type { ClassInfo, CourseInfo, CourseRole, InvitePreview, MemberInfo, RoomSummary, UserInfo } from "../../../protocol";
import type * as z from "zod";
import type { CourseView } from "../../../protocol/http";
import type { CreateClass, CreateCourse, CreateRoom, Enrol, Extend, InviteChange, MemberRole, SignIn, SignUp, UpdateCourse } from "../../../protocol/requests";
import { statusText } from "./error-text";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** What to tell the user about a failed call: the server's message with any field errors, or `fallback` when it was not reached. */
export function problemText(error: unknown, fallback: string): string {
  if (!(error instanceof ApiError)) return fallback;
  return [error.message, ...Object.entries(error.fields).map(([field, why]) => `${field}: ${why}`)].join(" ");
}

export async function call<T>(path: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  const res = await fetch(path, {
    ...init,
    ...(init?.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    headers: { "content-type": "application/json", ...init?.headers },
  });
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => ({}))) as { error?: string; fields?: Record<string, string> };
  if (!res.ok) throw new ApiError(res.status, body.error ?? statusText(res.status), body.fields);
  return body as T;
}

const post = <T>(path: string, json: unknown = {}) => call<T>(path, { method: "POST", json });

export type User = UserInfo;
export type Course = CourseInfo;
export type Member = MemberInfo;
export type { ClassInfo, CourseRole };
export type CourseDetail = CourseView;

export const me = () => call<{ user: User }>("/api/me").then((r) => r.user);
export const signUp = (body: z.input<typeof SignUp>) =>
  post<{ user: User }>("/api/auth/signup", body).then((r) => r.user);
export const signIn = (body: z.input<typeof SignIn>) => post<{ user: User }>("/api/auth/login", body).then((r) => r.user);
export const signOut = () => post<void>("/api/auth/logout");

export const createRoom = (title?: string) => post<{ roomId: string; teacherToken: string }>("/api/rooms", (title ? { title } : {}) satisfies z.input<typeof CreateRoom>);
export const getRoom = (roomId: string) => call<RoomSummary>(`/api/rooms/${encodeURIComponent(roomId)}`);

export const myCourses = () => call<{ courses: (Course & { role: CourseRole })[] }>("/api/courses").then((r) => r.courses);
export const createCourse = (body: z.input<typeof CreateCourse>) =>
  post<CourseDetail>("/api/courses", body);
export const getCourse = (id: string) => call<CourseDetail>(`/api/courses/${id}`);
export const updateCourse = (id: string, body: z.input<typeof UpdateCourse>) =>
  call<CourseDetail>(`/api/courses/${id}`, { method: "PATCH", json: body });
export const archiveCourse = (id: string) => post<CourseDetail>(`/api/courses/${id}/archive`);
export const changeInvite = (id: string, body: z.input<typeof InviteChange>) =>
  post<NonNullable<CourseDetail["invite"]>>(`/api/courses/${id}/invite`, body);
export const rotateCalendar = (id: string) => post<{ calendarUrl: string }>(`/api/courses/${id}/calendar/rotate`);
export const enrol = (code: string) => post<{ course: Course; role: CourseRole }>("/api/enrol", { code } satisfies z.input<typeof Enrol>);
/** Public: what an invite link leads to, for a visitor who is not signed in. */
export const invitePreview = (code: string) => call<InvitePreview>(`/api/invites/${encodeURIComponent(code)}`);
export const invitation = (code: string) =>
  call<{ course: Course; instructor: string | null; role: CourseRole | null }>(`/api/enrol/${encodeURIComponent(code)}`);

export const getRoster = (id: string) => call<{ members: Member[] }>(`/api/courses/${id}/roster`).then((r) => r.members);
export const setMemberRole = (id: string, userId: string, role: z.input<typeof MemberRole>["role"]) =>
  call<{ members: Member[] }>(`/api/courses/${id}/members/${userId}`, { method: "PATCH", json: { role } satisfies z.input<typeof MemberRole> }).then((r) => r.members);
export const removeMember = (id: string, userId: string) => call<void>(`/api/courses/${id}/members/${userId}`, { method: "DELETE" });

export const listClasses = (courseId: string) => call<{ upcoming: ClassInfo[]; past: ClassInfo[] }>(`/api/courses/${courseId}/classes`);
export const scheduleClass = (courseId: string, body: z.input<typeof CreateClass>) =>
  post<{ classes: ClassInfo[] }>(`/api/courses/${courseId}/classes`, body);
export const getClass = (classId: string) =>
  call<{ class: ClassInfo; role: CourseRole; course: { id: string; title: string; code: string; timezone: string } }>(`/api/classes/${classId}`);
export const openClass = (classId: string) => post<{ class: ClassInfo }>(`/api/classes/${classId}/open`);
export const closeClass = (classId: string) => post<{ class: ClassInfo }>(`/api/classes/${classId}/close`);
export const extendClass = (classId: string, minutes: number) => post<{ class: ClassInfo }>(`/api/classes/${classId}/extend`, { minutes } satisfies z.input<typeof Extend>);
