/**
 * The world the authorization tables test in: an instructor's course with
 * an enrolled student and a TA, a student of another course, two classes,
 * an ad-hoc room, course files, an upload in progress, two assignments and
 * two lectures (one ready, one still uploading).
 * Each test builds a fresh one, so no test can see another's changes.
 */
import { SELF } from "cloudflare:test";
import type { CreatedLecture } from "../../protocol/lectures";
import { BASE, signUp, type Account } from "./users";

export const PERSONAS = ["anonymous", "other", "student", "ta", "instructor"] as const;
export type Persona = (typeof PERSONAS)[number];
export type Member = "student" | "ta" | "instructor";
export type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;

export interface ClassView { id: string; roomId: string; opensAt: number; closesAt: number }
export interface World {
  call: Record<Persona, Call>;
  who: Record<Exclude<Persona, "anonymous">, Account>;
  courseId: string;
  invite: string;
  calendar: string;
  now: ClassView; // open: it starts in a few minutes
  later: ClassView; // closed: it starts tomorrow
  adhoc: string;
  /** A course file every member may read, one for staff only, and the instructor's upload of 12 bytes (its one part sent). */
  file: string;
  staffFile: string;
  upload: string;
  /** A published assignment and a draft. */
  assignment: string;
  draft: string;
  /** The student's first submission to `assignment`. */
  submission: string;
  /**
   * Lectures on the local provider, both added by the TA: `lecture` is ready
   * (its 12-byte video uploaded in one part and completed) with an `en`
   * caption track; `uploading` has not received its bytes yet.
   */
  lecture: string;
  uploading: string;
}

/** A WebVTT caption track. */
export const VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nHello, class.\n";

const MINUTE = 60_000;
const local = (ms: number) => new Date(ms).toISOString().slice(0, 16); // the course is in UTC
export const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

function caller(account: Account | null): Call {
  return (method, path, body, headers = {}) =>
    SELF.fetch(`${BASE}${path}`, {
      method,
      headers: { Origin: BASE, ...headers, ...(account ? { Cookie: account.cookie } : {}) },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
}

export async function must<T>(account: Account, method: string, path: string, body: unknown, status: number): Promise<T> {
  const res = await account.json<T>(method, path, body);
  if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** An instructor's course with an enrolled student and a TA, a student of another course, two classes and an ad-hoc room. */
export async function world(): Promise<World> {
  const [instructor, ta, student, other, otherInstructor] = await Promise.all(
    ["Ines", "Tariq", "Stu", "Otto", "Olga"].map((name) => signUp(name)),
  );
  type CourseView = { course: { id: string }; invite: { code: string }; calendarUrl: string };
  const course = await must<CourseView>(instructor!, "POST", "/api/courses", { title: "Algorithms", code: "CS101", timezone: "UTC" }, 201);
  const elsewhere = await must<CourseView>(otherInstructor!, "POST", "/api/courses", { title: "Poetry", code: "LIT1", timezone: "UTC" }, 201);
  const courseId = course.course.id;
  await must(student!, "POST", "/api/enrol", { code: course.invite.code }, 200);
  await must(ta!, "POST", "/api/enrol", { code: course.invite.code }, 200);
  await must(other!, "POST", "/api/enrol", { code: elsewhere.invite.code }, 200);
  await must(instructor!, "PATCH", `/api/courses/${courseId}/members/${ta!.user.id}`, { role: "ta" }, 200);
  const schedule = async (startsAt: number) =>
    (
      await must<{ classes: ClassView[] }>(instructor!, "POST", `/api/courses/${courseId}/classes`, {
        title: "Live",
        start: local(startsAt),
        end: local(startsAt + 60 * MINUTE),
      }, 201)
    ).classes[0]!;
  const soon = Math.ceil(Date.now() / MINUTE) * MINUTE + 3 * MINUTE;
  const [now, later] = await Promise.all([schedule(soon), schedule(soon + 24 * 60 * MINUTE)]);
  const { roomId: adhoc } = await must<{ roomId: string }>(instructor!, "POST", "/api/rooms", {}, 201);
  const put = (name: string, query = "") =>
    instructor!.fetch(`/api/courses/${courseId}/files?name=${name}${query}`, { method: "POST", body: "handout" }).then((r) => r.json<{ id: string }>());
  const [file, staffFile] = await Promise.all([put("handout.txt"), put("tests.js", "&visibility=staff")]);
  const { uploadId } = await must<{ uploadId: string }>(instructor!, "POST", `/api/courses/${courseId}/uploads`, { name: "big.bin", size: 12 }, 201);
  await instructor!.fetch(`/api/uploads/${uploadId}/parts/1`, { method: "PUT", body: "0123456789ab" });
  const assign = (status: string) =>
    must<{ assignment: { id: string } }>(instructor!, "POST", `/api/courses/${courseId}/assignments`, { title: "HW", points: 10, due: "2030-01-01T12:00", status }, 201);
  const [assignment, draft] = await Promise.all([assign("published"), assign("draft")]);
  const handedIn = await must<{ submission: { id: string } }>(student!, "POST", `/api/assignments/${assignment.assignment.id}/submissions`, { files: [{ name: "a.js", content: "1" }] }, 201);
  const addLecture = async (title: string, name: string) => {
    const made = await must<CreatedLecture>(ta!, "POST", `/api/courses/${courseId}/lectures`, { title, name, size: 12, contentType: "video/webm", duration: 60 }, 201);
    if (made.upload.kind !== "parts") throw new Error(`a lecture upload of kind ${made.upload.kind}: the tests run on the local provider`);
    return { id: made.lecture.id, uploadId: made.upload.uploadId };
  };
  const [ready, uploading] = await Promise.all([addLecture("Week 1: recursion", "week1.webm"), addLecture("Week 2: sorting", "week2.webm")]);
  const sent = await ta!.fetch(`/api/uploads/${ready.uploadId}/parts/1`, { method: "PUT", body: "0123456789ab" });
  if (sent.status !== 200) throw new Error(`lecture part: ${sent.status} ${await sent.text()}`);
  await must(ta!, "POST", `/api/uploads/${ready.uploadId}/complete`, undefined, 201);
  const captions = await ta!.fetch(`/api/lectures/${ready.id}/captions/en?label=English`, { method: "PUT", body: VTT });
  if (captions.status !== 201) throw new Error(`lecture captions: ${captions.status} ${await captions.text()}`);
  const who = { instructor: instructor!, ta: ta!, student: student!, other: other! };
  return {
    call: { anonymous: caller(null), other: caller(other!), student: caller(student!), ta: caller(ta!), instructor: caller(instructor!) },
    who,
    courseId,
    invite: course.invite.code,
    calendar: new URL(course.calendarUrl).pathname,
    now: now!,
    later: later!,
    adhoc,
    file: file!.id,
    staffFile: staffFile!.id,
    upload: uploadId,
    assignment: assignment.assignment.id,
    draft: draft.assignment.id,
    submission: handedIn.submission.id,
    lecture: ready.id,
    uploading: uploading.id,
  };
}


// The denials, exactly as docs/api.md lists them.
export type Denial = { status: number; body: { error: string } };
export type Outcome = number | Denial;
export const deny = (status: number, error: string): Denial => ({ status, body: { error } });
export const SIGN_IN = deny(401, "Sign in first.");
export const NO_COURSE = deny(404, "No such course.");
export const NO_ROOM = deny(404, "No such room.");
export const INSTRUCTOR_ONLY = deny(403, "Only the course's instructor can do that.");
export const STAFF_ONLY = deny(403, "Only the course's instructor or TAs can do that.");
export const NO_ENDPOINT = deny(404, "No such endpoint.");
export const NO_FILE = deny(404, "No such file.");
export const NO_UPLOAD = deny(404, "No such upload.");
export const NO_ASSIGNMENT = deny(404, "No such assignment.");
export const NO_SUBMISSION = deny(404, "No such submission.");
export const STUDENTS_ONLY = deny(403, "Only students hand in work.");
export const NO_LECTURE = deny(404, "No such lecture.");
export const NO_TIMELINE = deny(404, "This lecture has no code timeline.");
/** Not a denial: the route's own answer, for staff, to a lecture on the local provider (the tests' only one). */
export const LOCAL_LECTURE = deny(409, "This lecture's upload completes through its upload (POST /api/uploads/:id/complete).");
export const WS = { Upgrade: "websocket" };
