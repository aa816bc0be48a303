/**
 * The authorization table of docs/api.md, row by row: every HTTP route, for
 * each persona. (WebSocket actions: authz-matrix-ws.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { PERSONAS, WS, world, SIGN_IN, NO_COURSE, NO_ROOM, INSTRUCTOR_ONLY, STAFF_ONLY, NO_ENDPOINT, NO_FILE, NO_UPLOAD, NO_ASSIGNMENT, NO_SUBMISSION, STUDENTS_ONLY, NO_LECTURE, NO_TIMELINE, LOCAL_LECTURE, VTT, type Outcome, type Persona, type World } from "../helpers/authz-world";
import { PASSWORD } from "../helpers/users";

// ------------------------------------------------------------------ HTTP


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
const lecture = (w: World) => `/api/lectures/${w.lecture}`;
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
  {
    route: "GET /api/invites/:code",
    path: (w) => `/api/invites/${w.invite}`,
    expect: all(200),
    // Public: the course's title and code and the instructor's name, and nothing that identifies a member.
    check: (body) => expect(body).toEqual({ course: { title: "Algorithms", code: "CS101" }, instructor: "Ines" }),
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
  { route: "GET /api/courses/:courseId/assignments", path: (w) => `${course(w)}/assignments`, expect: cells(SIGN_IN, NO_COURSE, 200, 200, 200) },
  { route: "POST /api/courses/:courseId/assignments", path: (w) => `${course(w)}/assignments`, body: () => ({ title: "HW2", points: 5, due: "2030-02-01T12:00" }), expect: cells(SIGN_IN, NO_COURSE, STAFF_ONLY, 201, 201) },
  { route: "GET /api/assignments/:id", path: (w) => `/api/assignments/${w.assignment}`, expect: cells(SIGN_IN, NO_ASSIGNMENT, 200, 200, 200) },
  { route: "GET /api/assignments/:id (draft)", path: (w) => `/api/assignments/${w.draft}`, expect: cells(SIGN_IN, NO_ASSIGNMENT, NO_ASSIGNMENT, 200, 200) },
  { route: "PATCH /api/assignments/:id", path: (w) => `/api/assignments/${w.assignment}`, body: () => ({ points: 20 }), expect: cells(SIGN_IN, NO_ASSIGNMENT, STAFF_ONLY, 200, 200) },
  { route: "GET /api/assignments/:id/extensions", path: (w) => `/api/assignments/${w.assignment}/extensions`, expect: cells(SIGN_IN, NO_ASSIGNMENT, STAFF_ONLY, 200, 200) },
  {
    route: "PUT /api/assignments/:id/extensions/:userId",
    path: (w) => `/api/assignments/${w.assignment}/extensions/${w.who.student.user.id}`,
    body: () => ({ due: "2030-01-03T12:00" }),
    expect: cells(SIGN_IN, NO_ASSIGNMENT, STAFF_ONLY, 200, 200),
  },
  {
    route: "POST /api/assignments/:id/submissions",
    path: (w) => `/api/assignments/${w.assignment}/submissions`,
    body: () => ({ files: [{ name: "b.js", content: "2" }] }),
    expect: cells(SIGN_IN, NO_ASSIGNMENT, 201, STUDENTS_ONLY, STUDENTS_ONLY),
  },
  { route: "GET /api/assignments/:id/submissions", path: (w) => `/api/assignments/${w.assignment}/submissions`, expect: cells(SIGN_IN, NO_ASSIGNMENT, 200, 200, 200) },
  { route: "GET /api/submissions/:id (the student's own)", path: (w) => `/api/submissions/${w.submission}`, expect: cells(SIGN_IN, NO_SUBMISSION, 200, 200, 200) },
  { route: "GET /api/assignments/:id/tests", path: (w) => `/api/assignments/${w.assignment}/tests`, expect: cells(SIGN_IN, NO_ASSIGNMENT, STAFF_ONLY, 200, 200) },
  {
    route: "PUT /api/assignments/:id/tests",
    path: (w) => `/api/assignments/${w.assignment}/tests`,
    body: () => ({ tests: [{ kind: "io", name: "echo", points: 1, expected: "" }] }),
    expect: cells(SIGN_IN, NO_ASSIGNMENT, STAFF_ONLY, 200, 200),
  },
  { route: "POST /api/assignments/:id/regrade", path: (w) => `/api/assignments/${w.assignment}/regrade`, expect: cells(SIGN_IN, NO_ASSIGNMENT, STAFF_ONLY, 202, 202) },
  { route: "GET /api/submissions/:id/feedback (the student's own)", path: (w) => `/api/submissions/${w.submission}/feedback`, expect: cells(SIGN_IN, NO_SUBMISSION, 200, 200, 200) },
  {
    route: "POST /api/submissions/:id/comments",
    path: (w) => `/api/submissions/${w.submission}/comments`,
    body: () => ({ file: "a.js", line: 1, body: "Good." }),
    expect: cells(SIGN_IN, NO_SUBMISSION, STAFF_ONLY, 201, 201),
  },
  {
    route: "PUT /api/submissions/:id/override",
    path: (w) => `/api/submissions/${w.submission}/override`,
    body: () => ({ score: 5, reason: "Late by agreement." }),
    expect: cells(SIGN_IN, NO_SUBMISSION, STAFF_ONLY, 200, 200),
  },
  { route: "POST /api/assignments/:id/release", path: (w) => `/api/assignments/${w.assignment}/release`, body: () => ({ released: true }), expect: cells(SIGN_IN, NO_ASSIGNMENT, STAFF_ONLY, 200, 200) },
  { route: "GET /api/courses/:courseId/gradebook.csv", path: (w) => `${course(w)}/gradebook.csv`, expect: cells(SIGN_IN, NO_COURSE, STAFF_ONLY, 200, 200) },
  {
    route: "GET /api/courses/:courseId/lectures",
    path: (w) => `${course(w)}/lectures`,
    expect: cells(SIGN_IN, NO_COURSE, 200, 200, 200),
    check: (body, p) => {
      // Students see the ready lecture only; staff see the one still uploading too.
      const states = (body.lectures as { state: string }[]).map((l) => l.state).sort();
      expect(states).toEqual(p === "student" ? ["ready"] : ["ready", "uploading"]);
    },
  },
  {
    route: "POST /api/courses/:courseId/lectures",
    path: (w) => `${course(w)}/lectures`,
    body: () => ({ title: "Week 3", name: "week3.webm", size: 12, contentType: "video/webm" }),
    expect: cells(SIGN_IN, NO_COURSE, STAFF_ONLY, 201, 201),
    check: (body) => {
      expect(body.lecture).toMatchObject({ provider: "local", state: "uploading" });
      expect(body.upload).toMatchObject({ kind: "parts", partCount: 1, parts: [] });
    },
  },
  {
    route: "GET /api/lectures/:lectureId",
    path: lecture,
    expect: cells(SIGN_IN, NO_LECTURE, 200, 200, 200),
    check: (body) => {
      expect(body).toMatchObject({ state: "ready", playback: { kind: "file", src: `/api/lectures/${body.id as string}/video`, contentType: "video/webm" } });
      expect(body.captions).toEqual([{ lang: "en", label: "English", src: `/api/lectures/${body.id as string}/captions/en` }]);
    },
  },
  // A lecture that is not ready does not exist for students, as a draft assignment does not.
  {
    route: "GET /api/lectures/:lectureId (not ready)",
    path: (w) => `/api/lectures/${w.uploading}`,
    expect: cells(SIGN_IN, NO_LECTURE, NO_LECTURE, 200, 200),
    check: (body) => expect(body).toMatchObject({ state: "uploading", playback: null }),
  },
  {
    route: "PATCH /api/lectures/:lectureId",
    path: lecture,
    body: () => ({ title: "Recursion", chapters: [{ at: 30, title: "Base case" }, { at: 0, title: "Intro" }] }),
    expect: cells(SIGN_IN, NO_LECTURE, STAFF_ONLY, 200, 200),
    check: (body) => expect(body).toMatchObject({ title: "Recursion", chapters: [{ at: 0, title: "Intro" }, { at: 30, title: "Base case" }] }),
  },
  // Staff pass the checks and meet the route's own rule: a local lecture completes through its upload.
  { route: "POST /api/lectures/:lectureId/uploaded", path: (w) => `${lecture(w)}/uploaded`, expect: cells(SIGN_IN, NO_LECTURE, STAFF_ONLY, LOCAL_LECTURE, LOCAL_LECTURE) },
  { route: "PUT /api/lectures/:lectureId/position", path: (w) => `${lecture(w)}/position`, body: () => ({ position: 12.5 }), expect: cells(SIGN_IN, NO_LECTURE, 204, 204, 204) },
  { route: "DELETE /api/lectures/:lectureId", path: lecture, expect: cells(SIGN_IN, NO_LECTURE, STAFF_ONLY, 204, 204) },
  { route: "GET /api/lectures/:lectureId/video", path: (w) => `${lecture(w)}/video`, expect: cells(SIGN_IN, NO_LECTURE, 200, 200, 200) },
  { route: "GET /api/lectures/:lectureId/captions/:lang", path: (w) => `${lecture(w)}/captions/en`, expect: cells(SIGN_IN, NO_LECTURE, 200, 200, 200) },
  { route: "PUT /api/lectures/:lectureId/captions/:lang", path: (w) => `${lecture(w)}/captions/fr?label=Fran%C3%A7ais`, body: () => VTT, expect: cells(SIGN_IN, NO_LECTURE, STAFF_ONLY, 201, 201) },
  { route: "DELETE /api/lectures/:lectureId/captions/:lang", path: (w) => `${lecture(w)}/captions/en`, expect: cells(SIGN_IN, NO_LECTURE, STAFF_ONLY, 204, 204) },
  // Members get past the checks to the route's own answer: an uploaded lecture has no code timeline (a class's recording has, live.test.ts).
  { route: "GET /api/lectures/:lectureId/code", path: (w) => `${lecture(w)}/code`, expect: cells(SIGN_IN, NO_LECTURE, NO_TIMELINE, NO_TIMELINE, NO_TIMELINE) },
  { route: "POST /api/run", path: () => "/api/run", body: () => ({ code: "1 + 1" }), expect: cells(SIGN_IN, 200, 200, 200, 200), check: (body) => expect(body).toMatchObject({ result: "2", error: null }) },
  // Without STREAM_WEBHOOK_SECRET (as in the tests) the webhook does not exist, whatever is sent.
  {
    route: "POST /api/stream/webhook",
    path: () => "/api/stream/webhook",
    body: () => ({ uid: "f".repeat(32), readyToStream: true, status: { state: "ready" } }),
    headers: () => ({ "webhook-signature": `time=${Math.floor(Date.now() / 1000)},sig1=${"0".repeat(64)}` }),
    expect: all(NO_ENDPOINT),
  },
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
        // An API error is `{ error: "…" }`; a run's output has an `error` field of its own (null when none was thrown).
        expect(typeof JSON.parse(text).error).not.toBe("string");
        route.check?.(JSON.parse(text), persona);
      }
    }
  });
});

