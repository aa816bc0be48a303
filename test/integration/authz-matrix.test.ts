/**
 * The authorization table of docs/api.md, row by row: every HTTP route and
 * every WebSocket action in a class room, for each persona. Each test builds
 * a fresh world, so no test can see another's changes.
 */
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Role } from "../../protocol";
import { TestClient } from "../helpers/client";
import { BASE, PASSWORD, signUp, type Account } from "../helpers/users";

const PERSONAS = ["anonymous", "other", "student", "ta", "instructor"] as const;
type Persona = (typeof PERSONAS)[number];
type Member = "student" | "ta" | "instructor";
type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;

interface ClassView { id: string; roomId: string; opensAt: number; closesAt: number }
interface World {
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
}

const MINUTE = 60_000;
const local = (ms: number) => new Date(ms).toISOString().slice(0, 16); // the course is in UTC
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

function caller(account: Account | null): Call {
  return (method, path, body, headers = {}) =>
    SELF.fetch(`${BASE}${path}`, {
      method,
      headers: { Origin: BASE, ...headers, ...(account ? { Cookie: account.cookie } : {}) },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
}

async function must<T>(account: Account, method: string, path: string, body: unknown, status: number): Promise<T> {
  const res = await account.json<T>(method, path, body);
  if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** An instructor's course with an enrolled student and a TA, a student of another course, two classes and an ad-hoc room. */
async function world(): Promise<World> {
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
  };
}

// ------------------------------------------------------------------ HTTP

type Denial = { status: number; body: { error: string } };
type Outcome = number | Denial;
const deny = (status: number, error: string): Denial => ({ status, body: { error } });
const SIGN_IN = deny(401, "Sign in first.");
const NO_COURSE = deny(404, "No such course.");
const NO_ROOM = deny(404, "No such room.");
const INSTRUCTOR_ONLY = deny(403, "Only the course's instructor can do that.");
const STAFF_ONLY = deny(403, "Only the course's instructor or TAs can do that.");
const NO_ENDPOINT = deny(404, "No such endpoint.");
const NO_FILE = deny(404, "No such file.");
const NO_UPLOAD = deny(404, "No such upload.");
/** anonymous, student of another course, enrolled student, TA, instructor */
const cells = (...o: [Outcome, Outcome, Outcome, Outcome, Outcome]) => Object.fromEntries(PERSONAS.map((p, i) => [p, o[i]!])) as Record<Persona, Outcome>;
const all = (o: Outcome) => cells(o, o, o, o, o);

interface Route {
  route: string;
  path: (w: World) => string;
  body?: (w: World, p: Persona) => unknown;
  headers?: Record<string, string> | (() => Record<string, string>);
  expect: Record<Persona, Outcome>;
  /** More about an allowed answer's body. */
  check?: (body: Record<string, unknown>, p: Persona) => void;
}

const course = (w: World) => `/api/courses/${w.courseId}`;
const fresh = () => `new.${crypto.randomUUID()}@example.com`;
const WS = { Upgrade: "websocket" };
const COURSE_KEYS = ["archived", "archivedAt", "code", "createdAt", "description", "id", "timezone", "title", "updatedAt"];

const ROUTES: Route[] = [
  { route: "GET /api/health", path: () => "/api/health", expect: all(200) },
  { route: "POST /api/auth/signup", path: () => "/api/auth/signup", body: () => ({ email: fresh(), password: PASSWORD, name: "New" }), headers: () => ({ "CF-Connecting-IP": `2001:db8::${crypto.randomUUID().slice(0, 4)}` }), expect: all(201) },
  { route: "POST /api/auth/login", path: () => "/api/auth/login", body: (w, p) => ({ email: w.who[p === "anonymous" ? "student" : p].user.email, password: PASSWORD }), expect: all(200) },
  { route: "POST /api/auth/logout", path: () => "/api/auth/logout", expect: all(204) },
  { route: "GET /api/me", path: () => "/api/me", expect: cells(SIGN_IN, 200, 200, 200, 200) },
  { route: "POST /api/courses", path: () => "/api/courses", body: () => ({ title: "Mine", code: "M1", timezone: "Europe/Paris" }), expect: cells(SIGN_IN, 201, 201, 201, 201) },
  { route: "GET /api/courses", path: () => "/api/courses", expect: cells(SIGN_IN, 200, 200, 200, 200) },
  {
    route: "GET /api/courses/:courseId",
    path: course,
    expect: cells(SIGN_IN, NO_COURSE, 200, 200, 200),
    check: (body, p) => {
      // The invite is the instructor's alone; the course object never carries secrets.
      expect(Object.keys(body.course as object).sort()).toEqual(COURSE_KEYS);
      expect("invite" in body).toBe(p === "instructor");
    },
  },
  { route: "PATCH /api/courses/:courseId", path: course, body: () => ({ title: "Renamed" }), expect: cells(SIGN_IN, NO_COURSE, INSTRUCTOR_ONLY, INSTRUCTOR_ONLY, 200) },
  { route: "POST /api/courses/:courseId/archive", path: (w) => `${course(w)}/archive`, expect: cells(SIGN_IN, NO_COURSE, INSTRUCTOR_ONLY, INSTRUCTOR_ONLY, 200) },
  { route: "POST /api/courses/:courseId/invite", path: (w) => `${course(w)}/invite`, body: () => ({ rotate: true }), expect: cells(SIGN_IN, NO_COURSE, INSTRUCTOR_ONLY, INSTRUCTOR_ONLY, 200) },
  {
    route: "POST /api/enrol",
    path: () => "/api/enrol",
    body: (w) => ({ code: w.invite }),
    expect: cells(SIGN_IN, 200, 200, 200, 200),
    check: (body, p) => {
      expect(Object.keys(body.course as object).sort()).toEqual(COURSE_KEYS);
      expect(body.role).toBe(p === "other" ? "student" : p); // enrolling again keeps a member's role
    },
  },
  { route: "GET /api/courses/:courseId/roster", path: (w) => `${course(w)}/roster`, expect: cells(SIGN_IN, NO_COURSE, STAFF_ONLY, 200, 200) },
  { route: "PATCH /api/courses/:courseId/members/:userId", path: (w) => `${course(w)}/members/${w.who.student.user.id}`, body: () => ({ role: "ta" }), expect: cells(SIGN_IN, NO_COURSE, INSTRUCTOR_ONLY, INSTRUCTOR_ONLY, 200) },
  { route: "DELETE /api/courses/:courseId/members/:userId", path: (w) => `${course(w)}/members/${w.who.student.user.id}`, expect: cells(SIGN_IN, NO_COURSE, INSTRUCTOR_ONLY, INSTRUCTOR_ONLY, 204) },
  { route: "GET /api/courses/:courseId/classes", path: (w) => `${course(w)}/classes`, expect: cells(SIGN_IN, NO_COURSE, 200, 200, 200) },
  { route: "POST /api/courses/:courseId/classes", path: (w) => `${course(w)}/classes`, body: () => ({ title: "Lab", start: "2030-01-07T10:00", end: "2030-01-07T11:00", repeatWeeks: 2 }), expect: cells(SIGN_IN, NO_COURSE, STAFF_ONLY, 201, 201) },
  { route: "GET /api/classes/:classId", path: (w) => `/api/classes/${w.now.id}`, expect: cells(SIGN_IN, NO_COURSE, 200, 200, 200) },
  { route: "POST /api/classes/:classId/open", path: (w) => `/api/classes/${w.later.id}/open`, expect: cells(SIGN_IN, NO_COURSE, STAFF_ONLY, 200, 200) },
  { route: "POST /api/classes/:classId/close", path: (w) => `/api/classes/${w.now.id}/close`, expect: cells(SIGN_IN, NO_COURSE, STAFF_ONLY, 200, 200) },
  { route: "POST /api/classes/:classId/extend", path: (w) => `/api/classes/${w.now.id}/extend`, body: () => ({ minutes: 30 }), expect: cells(SIGN_IN, NO_COURSE, STAFF_ONLY, 200, 200) },
  { route: "POST /api/courses/:courseId/calendar/rotate", path: (w) => `${course(w)}/calendar/rotate`, expect: cells(SIGN_IN, NO_COURSE, INSTRUCTOR_ONLY, INSTRUCTOR_ONLY, 200) },
  { route: "GET /api/calendar/:token.ics", path: (w) => w.calendar, expect: all(200) },
  { route: "POST /api/rooms", path: () => "/api/rooms", body: () => ({ title: "Office hours" }), expect: cells(SIGN_IN, 201, 201, 201, 201) },
  { route: "GET /api/rooms/:roomId (ad-hoc)", path: (w) => `/api/rooms/${w.adhoc}`, expect: cells(SIGN_IN, 200, 200, 200, 200) },
  { route: "GET /api/rooms/:roomId/ws (ad-hoc)", path: (w) => `/api/rooms/${w.adhoc}/ws`, headers: WS, expect: cells(SIGN_IN, 101, 101, 101, 101) },
  { route: "GET /api/rooms/class-:classId", path: (w) => `/api/rooms/${w.now.roomId}`, expect: cells(SIGN_IN, NO_ROOM, 200, 200, 200) },
  { route: "GET /api/rooms/class-:classId/ws", path: (w) => `/api/rooms/${w.now.roomId}/ws`, headers: WS, expect: cells(SIGN_IN, NO_ROOM, 101, 101, 101) },
  { route: "GET /api/rooms/course-:courseId", path: (w) => `/api/rooms/course-${w.courseId}`, expect: cells(SIGN_IN, NO_ROOM, 200, 200, 200) },
  { route: "GET /api/rooms/course-:courseId/ws", path: (w) => `/api/rooms/course-${w.courseId}/ws`, headers: WS, expect: cells(SIGN_IN, NO_ROOM, 101, 101, 101) },
  { route: "GET /api/courses/:courseId/files", path: (w) => `${course(w)}/files`, expect: cells(SIGN_IN, NO_COURSE, 200, 200, 200) },
  { route: "POST /api/courses/:courseId/files", path: (w) => `${course(w)}/files?name=more.txt`, body: () => "more", expect: cells(SIGN_IN, NO_COURSE, STAFF_ONLY, 201, 201) },
  { route: "GET /api/files/:fileId", path: (w) => `/api/files/${w.file}`, expect: cells(SIGN_IN, NO_FILE, 200, 200, 200) },
  { route: "GET /api/files/:fileId (staff only)", path: (w) => `/api/files/${w.staffFile}`, expect: cells(SIGN_IN, NO_FILE, NO_FILE, 200, 200) },
  { route: "DELETE /api/files/:fileId", path: (w) => `/api/files/${w.file}`, expect: cells(SIGN_IN, NO_FILE, STAFF_ONLY, 204, 204) },
  { route: "POST /api/courses/:courseId/uploads", path: (w) => `${course(w)}/uploads`, body: () => ({ name: "x.bin", size: 5 }), expect: cells(SIGN_IN, NO_COURSE, STAFF_ONLY, 201, 201) },
  // An upload belongs to the user who started it (the instructor here): for everyone else it does not exist.
  { route: "GET /api/uploads/:uploadId", path: (w) => `/api/uploads/${w.upload}`, expect: cells(SIGN_IN, NO_UPLOAD, NO_UPLOAD, NO_UPLOAD, 200) },
  { route: "PUT /api/uploads/:uploadId/parts/:n", path: (w) => `/api/uploads/${w.upload}/parts/1`, body: () => "0123456789ab", expect: cells(SIGN_IN, NO_UPLOAD, NO_UPLOAD, NO_UPLOAD, 200) },
  { route: "POST /api/uploads/:uploadId/complete", path: (w) => `/api/uploads/${w.upload}/complete`, expect: cells(SIGN_IN, NO_UPLOAD, NO_UPLOAD, NO_UPLOAD, 201) },
  { route: "DELETE /api/uploads/:uploadId", path: (w) => `/api/uploads/${w.upload}`, expect: cells(SIGN_IN, NO_UPLOAD, NO_UPLOAD, NO_UPLOAD, 204) },
  { route: "GET /api/anything-else", path: () => "/api/anything-else", expect: all(NO_ENDPOINT) },
];

describe.each(ROUTES)("$route", (route) => {
  it.each(PERSONAS)("%s", async (persona) => {
    const w = await world();
    const method = route.route.split(" ")[0]!;
    const headers = typeof route.headers === "function" ? route.headers() : route.headers;
    const res = await w.call[persona](method, route.path(w), route.body?.(w, persona), headers);
    const want = route.expect[persona];
    if (typeof want !== "number") {
      expect(res.status).toBe(want.status);
      expect(await res.json()).toEqual(want.body);
    } else if (want === 101) {
      expect(res.status).toBe(101);
      res.webSocket!.accept();
      res.webSocket!.close();
    } else {
      expect(res.status).toBe(want);
      const text = await res.text();
      if (text && res.headers.get("content-type")?.includes("json")) {
        expect(JSON.parse(text)).not.toHaveProperty("error");
        route.check?.(JSON.parse(text), persona);
      }
    }
  });
});

// ------------------------------------------------------------------ WebSocket actions in a class room

const OPEN = "allowed" as const;
type WsOutcome = typeof OPEN | { code: string; message: (w: World) => string };
const refuse = (code: string, message: string | ((w: World) => string)): WsOutcome => ({
  code,
  message: typeof message === "string" ? () => message : message,
});
const AS_STUDENT = refuse("FORBIDDEN", "In this class you join as Student.");
const AS_TEACHER = refuse("FORBIDDEN", "In this class you join as Teacher.");
const OWN_ROLE: Record<Member, Role> = { student: "Student", ta: "Teacher", instructor: "Teacher" };

interface WsRow {
  action: string;
  closed?: boolean;
  send: "JOIN" | "LEAVE" | "RUN" | "SHARE";
  role?: Role;
  expect: Record<Member, WsOutcome>;
}

const WS_ROWS: WsRow[] = [
  { action: "JOIN as Student", send: "JOIN", role: "Student", expect: { student: OPEN, ta: AS_TEACHER, instructor: AS_TEACHER } },
  { action: "JOIN as Teacher", send: "JOIN", role: "Teacher", expect: { student: AS_STUDENT, ta: OPEN, instructor: OPEN } },
  { action: "LEAVE", send: "LEAVE", expect: { student: OPEN, ta: OPEN, instructor: OPEN } },
  { action: "RUN", send: "RUN", expect: { student: OPEN, ta: OPEN, instructor: OPEN } },
  { action: "SHARE", send: "SHARE", expect: { student: OPEN, ta: OPEN, instructor: OPEN } },
  {
    action: "JOIN as Student, room closed",
    closed: true,
    send: "JOIN",
    role: "Student",
    expect: { student: refuse("ROOM_CLOSED", (w) => `This class room opens at ${iso(w.later.opensAt)}.`), ta: AS_TEACHER, instructor: AS_TEACHER },
  },
  { action: "JOIN as Teacher, room closed", closed: true, send: "JOIN", role: "Teacher", expect: { student: AS_STUDENT, ta: OPEN, instructor: OPEN } },
];

const join = (roomId: string, username: string, role: Role) => ({ username, action: "JOIN", roomId, role, payload: { roomId, role } }) as const;
/** The room as frames name it with one person (`name`) joined. */
const view = (roomId: string, name: string, role: Role) => ({
  id: roomId,
  teacher: role === "Teacher" ? name : null,
  students: role === "Student" ? 1 : 0,
  teachers: role === "Teacher" ? 1 : 0,
});
const hours = (k: ClassView, open: boolean) => ({ open, opensAt: k.opensAt, closesAt: k.closesAt });

describe.each(WS_ROWS)("WebSocket $action", (row) => {
  it.each([
    ["anonymous", SIGN_IN],
    ["other", NO_ROOM],
  ] as const)("%s: the upgrade is refused", async (persona, denial) => {
    const w = await world();
    const res = await w.call[persona]("GET", `/api/rooms/${(row.closed ? w.later : w.now).roomId}/ws`, undefined, WS);
    expect(res.status).toBe(denial.status);
    expect(await res.json()).toEqual(denial.body);
  });

  it.each(["student", "ta", "instructor"] as const)("%s", async (persona) => {
    const w = await world();
    const k = row.closed ? w.later : w.now;
    const client = await TestClient.open(k.roomId, w.who[persona]);
    const name = w.who[persona].user.name;
    const own = OWN_ROLE[persona];
    const role = row.role ?? own;
    const want = row.expect[persona];
    if (row.send !== "JOIN") {
      client.send(join(k.roomId, name, own));
      expect((await client.next()).responseType).toBe("JOIN");
      expect((await client.next()).responseType).toBe("STATUS");
    }
    const envelope = { username: name, roomId: k.roomId, role: own };
    if (row.send === "JOIN") client.send(join(k.roomId, name, role));
    if (row.send === "LEAVE") client.send({ ...envelope, action: "LEAVE", payload: { roomId: k.roomId, role: own } });
    if (row.send === "RUN") client.send({ ...envelope, action: "RUN", payload: { code: "6 * 7" } });
    if (row.send === "SHARE") client.send({ ...envelope, action: "SHARE", payload: { shared_code: "let x = 1;" } });
    const answer = await client.next(10_000);
    if (want !== OPEN) {
      expect(answer).toEqual({ responseType: "ERROR", payload: { action: row.send, code: want.code, error_message: want.message(w) } });
    } else if (row.send === "JOIN") {
      expect(answer).toEqual({
        responseType: "JOIN",
        room: { ...view(k.roomId, name, role), sharedCode: "" },
        payload: { role, roster: [{ username: name, role }] },
        seq: 1,
      });
      expect(await client.next()).toEqual({ responseType: "STATUS", room: view(k.roomId, name, role), payload: hours(k, !row.closed) });
    } else if (row.send === "LEAVE") {
      expect(answer).toEqual({ responseType: "LEAVE", room: { id: k.roomId, teacher: null, students: 0, teachers: 0 }, payload: { role: own }, seq: 2 });
    } else if (row.send === "RUN") {
      expect(answer).toMatchObject({ responseType: "RUN", room: view(k.roomId, name, own), payload: { result: "42", error: null } });
    } else {
      expect(answer).toEqual({
        responseType: "SHARE",
        room: view(k.roomId, name, own),
        payload: { shared_code: "let x = 1;", from: name, role: own, sharedAt: expect.any(Number) },
        seq: 2,
      });
    }
    expect(await client.drain(50)).toEqual([]);
    client.close();
  });
});

// ------------------------------------------------------------------ what the table promises

describe("a student can never act as the teacher", () => {
  it("refuses every claim of the Teacher role and keeps the student's share from other students", async () => {
    const w = await world();
    const roomId = w.now.roomId;
    const stu = await TestClient.open(roomId, w.who.student);
    const forbidden = (action: string, error_message: string) => ({ responseType: "ERROR", payload: { action, code: "FORBIDDEN", error_message } });
    stu.send({ ...join(roomId, "Stu", "Teacher"), payload: { roomId, role: "Teacher", token: "guessed-token" } });
    expect(await stu.next()).toEqual(forbidden("JOIN", "In this class you join as Student."));
    stu.send({ ...join(roomId, "Stu", "Student"), role: "Teacher" });
    expect(await stu.next()).toEqual(forbidden("JOIN", "You are in this room as Student, not Teacher."));
    stu.send(join(roomId, "Stu", "Student"));
    expect(await stu.next()).toMatchObject({ responseType: "JOIN", payload: { role: "Student" } });
    await stu.next(); // STATUS
    stu.send({ username: "Stu", action: "SHARE", roomId, role: "Teacher", payload: { shared_code: "hijack()" } });
    expect(await stu.next()).toEqual(forbidden("SHARE", "You are in this room as Student, not Teacher."));
    stu.send({ username: "Stu", action: "LEAVE", roomId, payload: { roomId, role: "Teacher" } });
    expect(await stu.next()).toEqual(forbidden("LEAVE", "You are in this room as Student, not Teacher."));

    const classmate = await signUp("Cleo");
    await must(classmate, "POST", "/api/enrol", { code: w.invite }, 200);
    const cleo = await TestClient.joined(roomId, classmate, "Student");
    const teacher = await TestClient.joined(roomId, w.who.ta, "Teacher");
    await stu.drain(50);
    await cleo.drain(50);
    await teacher.drain(50);
    stu.send({ username: "Stu", action: "SHARE", roomId, payload: { shared_code: "mine()" } });
    expect(await stu.next()).toMatchObject({ responseType: "SHARE", room: { students: 2, teachers: 1 }, payload: { from: "Stu", role: "Student" } });
    expect(await teacher.next()).toMatchObject({ responseType: "SHARE", payload: { shared_code: "mine()", from: "Stu" } });
    expect(await cleo.drain(100)).toEqual([]);
  });
});

describe("a student never reads another course's roster or rooms", () => {
  it("gets the same 404 as for ids that do not exist", async () => {
    const w = await world();
    const pairs: [string, string][] = [
      [`/api/courses/${w.courseId}`, "/api/courses/NoSuchCourse1"],
      [`/api/courses/${w.courseId}/roster`, "/api/courses/NoSuchCourse1/roster"],
      [`/api/courses/${w.courseId}/classes`, "/api/courses/NoSuchCourse1/classes"],
      [`/api/rooms/${w.now.roomId}`, "/api/rooms/class-NoSuchClass1"],
    ];
    for (const [real, madeUp] of pairs) {
      const [a, b] = await Promise.all([w.call.other("GET", real), w.call.other("GET", madeUp)]);
      expect([a.status, await a.json()]).toEqual([b.status, await b.json()]);
      expect(a.status).toBe(404);
    }
  });
});

describe("a student never enters a closed room", () => {
  it("is sent out with 4003 when the class closes, is refused while it is closed, and may return when it reopens", async () => {
    const w = await world();
    const roomId = w.now.roomId;
    const teacher = await TestClient.joined(roomId, w.who.instructor, "Teacher");
    const stu = await TestClient.joined(roomId, w.who.student, "Student");
    await Promise.all([teacher.drain(50), stu.drain(50)]); // join notices and the opening STATUS

    const closed = await w.who.ta.json<{ class: ClassView }>("POST", `/api/classes/${w.now.id}/close`);
    expect(closed.status).toBe(200);
    const status = {
      responseType: "STATUS",
      room: { ...view(roomId, "Ines", "Teacher"), students: 1 },
      payload: hours(closed.body.class, false),
    };
    expect(await stu.next()).toEqual(status);
    expect(await stu.waitClosed()).toEqual({ code: 4003, reason: "The class room is closed" });
    expect(await teacher.next()).toEqual(status);
    expect(await teacher.next()).toMatchObject({ responseType: "LEAVE", payload: { role: "Student", username: "Stu" } });

    const again = await TestClient.open(roomId, w.who.student);
    again.send(join(roomId, "Stu", "Student"));
    expect(await again.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "JOIN", code: "ROOM_CLOSED", error_message: `This class room closed at ${iso(closed.body.class.closesAt)}.` },
    });

    const reopened = await w.who.instructor.json<{ class: ClassView }>("POST", `/api/classes/${w.now.id}/open`);
    expect(reopened.status).toBe(200);
    expect(await teacher.next()).toEqual({ responseType: "STATUS", room: view(roomId, "Ines", "Teacher"), payload: hours(reopened.body.class, true) });
    again.send(join(roomId, "Stu", "Student"));
    expect(await again.next()).toMatchObject({ responseType: "JOIN", payload: { role: "Student" } });
  });
});
