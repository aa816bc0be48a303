/**
 * Every route of the HTTP API, as /api/openapi.json describes it (openapi.ts
 * renders it). Request bodies are the schema objects the handlers validate
 * with, so the description cannot drift from what is accepted; answers are
 * described in words where no schema exists. test/integration/openapi.test.ts
 * fails when a route of the app is missing here, or listed here but gone.
 */
import type * as z from "zod";
import { RoomSummary, RunOutput } from "../../protocol";
import { CaptionLanguage } from "../../protocol/lectures";
import {
  AssignmentBody,
  AssignmentPatch,
  CommentBody,
  CreateClass,
  CreateCourse,
  CreateRoom,
  Enrol,
  Extend,
  ExtensionBody,
  InviteChange,
  LecturePatch,
  MemberRole,
  NewLecture,
  OverrideBody,
  Position,
  Program,
  ReleaseBody,
  SignIn,
  SignUp,
  SubmitBody,
  UpdateCourse,
} from "../../protocol/requests";
import { TestsBody } from "./grading";
import { Completion, StartUpload } from "./uploads";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteDoc {
  method: Method;
  /** As the app mounts it, in Hono's syntax: /api/courses/:courseId. */
  path: string;
  summary: string;
  /** Who may call it (docs/api.md § Authorization table). */
  who: string;
  /** Callable without a session cookie. */
  open?: true;
  /** A JSON body, read with readJson and this schema. */
  body?: z.ZodType;
  /** A body of raw bytes, streamed or read as is, and its media type. */
  raw?: { type: string; description: string };
  /** Query parameters, each with what it means; `required` names the ones that must be there. */
  query?: Record<string, string>;
  required?: string[];
  /** Path parameters checked with a schema (the rest are opaque ids). */
  params?: Record<string, z.ZodType>;
  /** The success answer: its status, what it holds, and its media type or schema when not plain JSON. */
  ok: { status: number; description: string; type?: string; schema?: z.ZodType };
}

const json = (status: number, description: string) => ({ status, description });
const none = { status: 204, description: "No content." };
const STAFF = "instructor, TAs";
const MEMBERS = "members of the course";
const UPLOADER = "who started the upload";

export const API_ROUTES: RouteDoc[] = [
  { method: "GET", path: "/api/health", summary: "Health check", who: "anyone", open: true, ok: json(200, "{ ok: true }") },
  { method: "GET", path: "/api/openapi.json", summary: "This description of the API", who: "anyone", open: true, ok: json(200, "An OpenAPI 3.1 document.") },

  { method: "POST", path: "/api/auth/signup", summary: "Create an account and sign in", who: "anyone", open: true, body: SignUp, ok: json(201, "{ user }, with the session cookie set.") },
  { method: "POST", path: "/api/auth/login", summary: "Sign in", who: "anyone", open: true, body: SignIn, ok: json(200, "{ user }, with the session cookie set.") },
  { method: "POST", path: "/api/auth/logout", summary: "Sign out", who: "anyone", open: true, ok: none },
  { method: "GET", path: "/api/me", summary: "Who is signed in", who: "signed in", ok: json(200, "{ user }") },

  { method: "POST", path: "/api/courses", summary: "Create a course", who: "signed in (becomes its instructor)", body: CreateCourse, ok: json(201, "The course view: { course, role, calendarUrl, invite }.") },
  { method: "GET", path: "/api/courses", summary: "My courses", who: "signed in", ok: json(200, "{ courses }, each with the caller's role.") },
  { method: "GET", path: "/api/courses/:courseId", summary: "A course", who: MEMBERS, ok: json(200, "The course view: { course, role, calendarUrl, invite? } (the invite for the instructor only).") },
  { method: "PATCH", path: "/api/courses/:courseId", summary: "Edit a course", who: "instructor", body: UpdateCourse, ok: json(200, "The course view.") },
  { method: "POST", path: "/api/courses/:courseId/archive", summary: "Archive a course", who: "instructor", ok: json(200, "The course view.") },
  { method: "POST", path: "/api/courses/:courseId/invite", summary: "Turn the invite link on or off, rotate it, set its expiry", who: "instructor", body: InviteChange, ok: json(200, "The invite: { code, enabled, expiresAt, url }.") },
  { method: "GET", path: "/api/invites/:code", summary: "What an invite link leads to", who: "anyone, with a working invite code", open: true, ok: json(200, "{ course: { title, code }, instructor }") },
  { method: "GET", path: "/api/enrol/:code", summary: "What joining with an invite code would mean", who: "signed in, with a working invite code", ok: json(200, "{ course, instructor, role }") },
  { method: "POST", path: "/api/enrol", summary: "Join a course as a student", who: "signed in, with a working invite code", body: Enrol, ok: json(200, "{ course, role }") },
  { method: "GET", path: "/api/courses/:courseId/roster", summary: "The course's members", who: STAFF, ok: json(200, "{ members }") },
  { method: "PATCH", path: "/api/courses/:courseId/members/:userId", summary: "Make a member a TA or a student", who: "instructor", body: MemberRole, ok: json(200, "{ members }") },
  { method: "DELETE", path: "/api/courses/:courseId/members/:userId", summary: "Remove a member", who: "instructor", ok: none },

  { method: "POST", path: "/api/courses/:courseId/classes", summary: "Schedule a class, once or weekly", who: STAFF, body: CreateClass, ok: json(201, "{ classes }") },
  { method: "GET", path: "/api/courses/:courseId/classes", summary: "The course's classes", who: MEMBERS, ok: json(200, "{ upcoming, past }") },
  { method: "GET", path: "/api/classes/:classId", summary: "A class", who: MEMBERS, ok: json(200, "{ class, role, course }") },
  { method: "POST", path: "/api/classes/:classId/open", summary: "Open a class's room early", who: STAFF, ok: json(200, "{ class }") },
  { method: "POST", path: "/api/classes/:classId/close", summary: "Close a class's room", who: STAFF, ok: json(200, "{ class }") },
  { method: "POST", path: "/api/classes/:classId/extend", summary: "Extend a class", who: STAFF, body: Extend, ok: json(200, "{ class }") },
  { method: "POST", path: "/api/courses/:courseId/calendar/rotate", summary: "Replace the calendar feed's URL", who: "instructor", ok: json(200, "{ calendarUrl }") },
  { method: "GET", path: "/api/calendar/:file", summary: "The course's calendar feed (`file` is `<token>.ics`)", who: "anyone with the URL", open: true, ok: { status: 200, description: "An iCalendar file.", type: "text/calendar" } },

  { method: "POST", path: "/api/rooms", summary: "Create an ad-hoc room", who: "signed in", body: CreateRoom, ok: json(201, "{ roomId, teacherToken }") },
  { method: "GET", path: "/api/rooms/:roomId", summary: "A room's summary", who: "signed in; a class room: members", ok: { status: 200, description: "The room's summary.", schema: RoomSummary } },
  { method: "GET", path: "/api/rooms/:roomId/ws", summary: "Open the room's WebSocket (docs/protocol.md)", who: "signed in; a class room: members", ok: { status: 101, description: "Switching protocols: the room's WebSocket." } },
  { method: "POST", path: "/api/run", summary: "Run a program outside a room", who: "signed in", body: Program, ok: { status: 200, description: "The run's output.", schema: RunOutput } },

  { method: "GET", path: "/api/courses/:courseId/files", summary: "The course's files", who: "members (students: files for members only)", ok: json(200, "{ files }") },
  {
    method: "POST",
    path: "/api/courses/:courseId/files",
    summary: "Upload a file in one request",
    who: STAFF,
    raw: { type: "application/octet-stream", description: "The file's bytes, with a Content-Length; its Content-Type is kept." },
    query: { name: "The file's name.", visibility: '"members" (the default) or "staff".' },
    required: ["name"],
    ok: json(201, "The file."),
  },
  { method: "GET", path: "/api/files/:fileId", summary: "Download a file (Range and ETag requests too)", who: "members; a staff file: instructor, TAs", ok: { status: 200, description: "The file's bytes (206 for a range, 304 when unchanged).", type: "application/octet-stream" } },
  { method: "DELETE", path: "/api/files/:fileId", summary: "Delete a file", who: STAFF, ok: none },
  { method: "POST", path: "/api/courses/:courseId/uploads", summary: "Start a resumable upload", who: STAFF, body: StartUpload, ok: json(201, "The upload: its part size, part count and the parts received.") },
  { method: "GET", path: "/api/uploads/:uploadId", summary: "An upload and the parts it has received", who: UPLOADER, ok: json(200, "The upload.") },
  {
    method: "PUT",
    path: "/api/uploads/:uploadId/parts/:n",
    summary: "Send part n of an upload",
    who: UPLOADER,
    raw: { type: "application/octet-stream", description: "The part's bytes, with a Content-Length." },
    query: { last: "1 for the last part of a recording, whose length was not known when it began." },
    ok: json(200, "{ partNumber, size }"),
  },
  { method: "POST", path: "/api/uploads/:uploadId/complete", summary: "Complete an upload", who: UPLOADER, body: Completion, ok: json(201, "The file (a lecture's upload: the lecture).") },
  { method: "DELETE", path: "/api/uploads/:uploadId", summary: "Give an upload up", who: UPLOADER, ok: none },

  { method: "GET", path: "/api/courses/:courseId/lectures", summary: "The course's lectures", who: "members (students: ready lectures only)", ok: json(200, "{ lectures }") },
  { method: "POST", path: "/api/courses/:courseId/lectures", summary: "Add a lecture and start its upload", who: STAFF, body: NewLecture, ok: json(201, "{ lecture, upload }") },
  { method: "GET", path: "/api/lectures/:lectureId", summary: "A lecture, with what its player needs", who: "members (students: a ready lecture)", ok: json(200, "The lecture detail.") },
  { method: "PATCH", path: "/api/lectures/:lectureId", summary: "Rename a lecture or set its chapters", who: STAFF, body: LecturePatch, ok: json(200, "The lecture detail.") },
  { method: "DELETE", path: "/api/lectures/:lectureId", summary: "Delete a lecture", who: STAFF, ok: none },
  { method: "POST", path: "/api/lectures/:lectureId/uploaded", summary: "Stream: the browser has sent the last byte", who: STAFF, ok: json(200, "The lecture detail.") },
  { method: "PUT", path: "/api/lectures/:lectureId/position", summary: "Keep my place in a lecture", who: "members (students: a ready lecture)", body: Position, ok: none },
  { method: "GET", path: "/api/lectures/:lectureId/code", summary: "A page of a recording's code timeline", who: "members (students: a ready lecture)", query: { after: "The version to continue after (0 for the first page)." }, ok: json(200, "{ recordedAt, after, start, updates, hasMore }") },
  { method: "GET", path: "/api/lectures/:lectureId/video", summary: "A lecture's video (local provider; Range requests too)", who: "members (students: a ready lecture)", ok: { status: 200, description: "The video's bytes (206 for a range, 304 when unchanged).", type: "video/*" } },
  { method: "GET", path: "/api/lectures/:lectureId/captions/:lang", summary: "A caption track", who: "members (students: a ready lecture)", params: { lang: CaptionLanguage }, ok: { status: 200, description: "The WebVTT track.", type: "text/vtt" } },
  {
    method: "PUT",
    path: "/api/lectures/:lectureId/captions/:lang",
    summary: "Add or replace a caption track",
    who: STAFF,
    params: { lang: CaptionLanguage },
    raw: { type: "text/vtt", description: "A WebVTT file, in UTF-8." },
    query: { label: "What the player shows for the track (the language tag if left out)." },
    ok: json(201, "{ lang, label, src }"),
  },
  { method: "DELETE", path: "/api/lectures/:lectureId/captions/:lang", summary: "Delete a caption track", who: STAFF, params: { lang: CaptionLanguage }, ok: none },
  {
    method: "POST",
    path: "/api/stream/webhook",
    summary: "Cloudflare Stream's notice that a video is ready or failed",
    who: "Cloudflare Stream, signed with the webhook secret (404 without one)",
    open: true,
    raw: { type: "application/json", description: "Stream's notification, signed in the Webhook-Signature header." },
    ok: json(200, "{ ok, changed }"),
  },

  { method: "GET", path: "/api/courses/:courseId/assignments", summary: "The course's assignments", who: "members (students: published ones, with their own status)", ok: json(200, "{ assignments }") },
  { method: "POST", path: "/api/courses/:courseId/assignments", summary: "Create an assignment", who: STAFF, body: AssignmentBody, ok: json(201, "{ assignment }") },
  { method: "GET", path: "/api/assignments/:id", summary: "An assignment", who: "members (a draft: instructor, TAs)", ok: json(200, "{ assignment }") },
  { method: "PATCH", path: "/api/assignments/:id", summary: "Edit an assignment", who: STAFF, body: AssignmentPatch, ok: json(200, "{ assignment }") },
  { method: "GET", path: "/api/assignments/:id/extensions", summary: "The assignment's extensions", who: STAFF, ok: json(200, "{ extensions }") },
  { method: "PUT", path: "/api/assignments/:id/extensions/:userId", summary: "Give a student a later due time", who: STAFF, body: ExtensionBody, ok: json(200, "{ extension }") },
  { method: "DELETE", path: "/api/assignments/:id/extensions/:userId", summary: "Take an extension back", who: STAFF, ok: none },
  { method: "POST", path: "/api/assignments/:id/submissions", summary: "Hand in work", who: "students of the course", body: SubmitBody, ok: json(201, "{ submission, grading }") },
  {
    method: "GET",
    path: "/api/assignments/:id/submissions",
    summary: "Submissions: a student's own versions, or every student's latest",
    who: "members (students: their own)",
    query: { userId: "Staff: that student's versions, newest first." },
    ok: json(200, "{ submissions }"),
  },
  { method: "GET", path: "/api/assignments/:id/tests", summary: "The assignment's autograder tests", who: STAFF, ok: json(200, "{ tests, version }") },
  { method: "PUT", path: "/api/assignments/:id/tests", summary: "Set the autograder tests (docs/grading.md)", who: STAFF, body: TestsBody, ok: json(200, "{ tests, version }") },
  { method: "POST", path: "/api/assignments/:id/regrade", summary: "Grade every student's latest version again", who: STAFF, ok: json(202, "{ queued }") },
  { method: "POST", path: "/api/assignments/:id/release", summary: "Release or withhold grades", who: STAFF, body: ReleaseBody, ok: json(200, "{ released }") },
  { method: "GET", path: "/api/submissions/:id", summary: "A submission with its files and grading", who: "its student, instructor, TAs", ok: json(200, "{ submission, files, grading }") },
  { method: "GET", path: "/api/submissions/:id/feedback", summary: "Comments and the final score", who: "its student (once released), instructor, TAs", ok: json(200, "{ released, comments, finalScore, override? }") },
  { method: "POST", path: "/api/submissions/:id/comments", summary: "Comment on a line", who: STAFF, body: CommentBody, ok: json(201, "{ comment }") },
  { method: "PUT", path: "/api/submissions/:id/override", summary: "Override the score, with a reason", who: STAFF, body: OverrideBody, ok: json(200, "{ override }") },
  { method: "GET", path: "/api/courses/:courseId/gradebook.csv", summary: "The gradebook", who: STAFF, ok: { status: 200, description: "Every student's final score per assignment.", type: "text/csv" } },
];
