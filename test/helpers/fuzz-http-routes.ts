/**
 * The HTTP fuzzer's routes: every route of docs/api.md that reads a JSON
 * body, with a valid body to start from, its fields (for mutations), the
 * statuses the doc allows it besides 400/413, and a GET that reads back the
 * data it targets (which a refused request must leave unchanged).
 */
import type { Rng } from "./fuzz-gen";
import type { Account } from "./users";

export interface World {
  instructor: Account;
  ta: Account;
  student: Account;
  /** A student of the course whose role the member route changes. */
  member: Account;
  outsider: Account;
  courseId: string;
  classId: string;
  assignmentId: string;
  submissionId: string;
}

export interface Route {
  name: string;
  method: string;
  path: (w: World) => string;
  as: (w: World) => Account | null;
  body: (rng: Rng, w: World) => Record<string, unknown>;
  /** Fields that must be present: leaving one out is surely a 400. */
  required: string[];
  /** Statuses the doc gives this route for a well-formed body, besides success. */
  also: number[];
  success: number;
  /** Top-level keys of the success body, from the doc. */
  keys: string[] | null;
  /** Reads back what the route changes (as the instructor), to prove a refusal changed nothing. */
  readBack: ((w: World) => string) | null;
  /** The largest body the route reads (docs/api.md: 16 KiB unless it says otherwise). */
  cap?: number;
  /** The route checks its own limits (409, 429) before reading the body (docs/api.md names the one). */
  limitsFirst?: boolean;
}

const local = (rng: Rng) => `20${30 + rng.int(60)}-0${1 + rng.int(9)}-1${rng.int(9)}T1${rng.int(9)}:${rng.pick(["00", "30", "59"])}`;
const email = (rng: Rng) => `${rng.word(8).toLowerCase()}@fuzz.example`;

export const ROUTES: Route[] = [
  {
    name: "sign up", method: "POST", path: () => "/api/auth/signup", as: () => null, success: 201, keys: ["user"], required: ["email", "password", "name"],
    body: (rng) => ({ email: email(rng), password: "correct horse battery", name: `F ${rng.word(4)}` }), also: [409, 429], readBack: null,
  },
  {
    name: "sign in", method: "POST", path: () => "/api/auth/login", as: () => null, success: 200, keys: ["user"], required: ["email", "password"],
    body: (rng) => ({ email: email(rng), password: rng.word(10) }), also: [401, 429], readBack: null,
  },
  {
    name: "create course", method: "POST", path: () => "/api/courses", as: (w) => w.outsider, success: 201, keys: ["course", "role", "calendarUrl", "invite"],
    required: ["title", "code", "timezone"], body: (rng) => ({ title: `Course ${rng.word(5)}`, code: `C${rng.int(999)}`, timezone: rng.pick(["UTC", "Europe/Paris", "Asia/Kolkata"]) }),
    also: [429], readBack: () => "/api/courses",
  },
  {
    name: "edit course", method: "PATCH", path: (w) => `/api/courses/${w.courseId}`, as: (w) => w.instructor, success: 200, keys: ["course", "role", "calendarUrl", "invite"],
    required: [], body: (rng) => (rng.chance(0.5) ? { title: `Algorithms ${rng.word(3)}` } : { description: `About ${rng.word(6)}` }), also: [], readBack: (w) => `/api/courses/${w.courseId}`,
  },
  {
    name: "invite", method: "POST", path: (w) => `/api/courses/${w.courseId}/invite`, as: (w) => w.instructor, success: 200, keys: ["code", "enabled", "expiresAt", "url"],
    required: [], body: (rng) => ({ enabled: true, ...(rng.chance(0.3) ? { expiresInDays: 1 + rng.int(365) } : {}) }), also: [], readBack: (w) => `/api/courses/${w.courseId}`,
  },
  {
    name: "enrol", method: "POST", path: () => "/api/enrol", as: (w) => w.outsider, success: 200, keys: ["course", "role"], required: ["code"],
    body: (rng) => ({ code: rng.word(8) }), also: [404, 410, 429], readBack: () => "/api/courses",
  },
  {
    name: "member role", method: "PATCH", path: (w) => `/api/courses/${w.courseId}/members/${w.member.user.id}`, as: (w) => w.instructor, success: 200,
    keys: ["members"], required: ["role"], body: () => ({ role: "student" }), also: [], readBack: (w) => `/api/courses/${w.courseId}/roster`,
  },
  {
    name: "schedule", method: "POST", path: (w) => `/api/courses/${w.courseId}/classes`, as: (w) => w.ta, success: 201, keys: ["classes"],
    required: ["title", "start", "end"], body: (rng) => ({ title: `Lab ${rng.word(3)}`, start: "2099-03-02T10:00", end: "2099-03-02T11:00", ...(rng.chance(0.3) ? { repeatWeeks: 1 + rng.int(3) } : {}) }),
    also: [429], readBack: (w) => `/api/courses/${w.courseId}/classes`,
  },
  {
    name: "extend", method: "POST", path: (w) => `/api/classes/${w.classId}/extend`, as: (w) => w.ta, success: 200, keys: ["class"], required: ["minutes"],
    body: (rng) => ({ minutes: 5 + rng.int(236) }), also: [], readBack: (w) => `/api/classes/${w.classId}`,
  },
  {
    name: "ad-hoc room", method: "POST", path: () => "/api/rooms", as: (w) => w.student, success: 201, keys: ["roomId", "teacherToken"], required: [],
    body: (rng) => (rng.chance(0.5) ? { title: `Room ${rng.word(4)}` } : {}), also: [429, 503], readBack: null,
  },
  {
    name: "start upload", method: "POST", path: (w) => `/api/courses/${w.courseId}/uploads`, as: (w) => w.instructor, success: 201,
    keys: ["uploadId", "name", "size", "partSize", "partCount", "parts"], required: ["name", "size"],
    body: (rng) => ({ name: `f-${rng.word(4)}.txt`, size: 1 + rng.int(1000), ...(rng.chance(0.5) ? { contentType: "text/plain" } : {}), ...(rng.chance(0.3) ? { visibility: "staff" } : {}) }),
    also: [413], readBack: (w) => `/api/courses/${w.courseId}/files`,
  },
  {
    name: "create assignment", method: "POST", path: (w) => `/api/courses/${w.courseId}/assignments`, as: (w) => w.ta, success: 201, keys: ["assignment"],
    required: ["title", "points", "due"], body: (rng) => ({ title: `Hw ${rng.word(3)}`, points: rng.int(100), due: local(rng), ...(rng.chance(0.3) ? { latePolicy: { kind: "penalty", percentPerDay: 10, maxPercent: 30 } } : {}) }),
    also: [], readBack: (w) => `/api/courses/${w.courseId}/assignments`, cap: 64 * 1024,
  },
  {
    name: "edit assignment", method: "PATCH", path: (w) => `/api/assignments/${w.assignmentId}`, as: (w) => w.ta, success: 200, keys: ["assignment"], required: [],
    body: (rng) => (rng.chance(0.5) ? { description: `Do ${rng.word(5)}` } : { points: rng.int(10) + 5 }), also: [], readBack: (w) => `/api/assignments/${w.assignmentId}`, cap: 64 * 1024,
  },
  {
    name: "extension", method: "PUT", path: (w) => `/api/assignments/${w.assignmentId}/extensions/${w.student.user.id}`, as: (w) => w.ta, success: 200, keys: ["extension"],
    required: ["due"], body: (rng) => ({ due: local(rng) }), also: [], readBack: (w) => `/api/assignments/${w.assignmentId}/extensions`,
  },
  {
    name: "submit", method: "POST", path: (w) => `/api/assignments/${w.assignmentId}/submissions`, as: (w) => w.student, success: 201, keys: ["submission"],
    required: ["files"], body: (rng) => ({ files: [{ name: "main.js", content: `console.log(${rng.int(100)})` }] }), also: [409, 429],
    readBack: (w) => `/api/assignments/${w.assignmentId}/submissions`, cap: 4 * 1024 * 1024, limitsFirst: true,
  },
  {
    name: "tests", method: "PUT", path: (w) => `/api/assignments/${w.assignmentId}/tests`, as: (w) => w.ta, success: 200, keys: ["tests", "version"], required: ["tests"],
    body: (rng) => ({ tests: [{ kind: "io", name: `t${rng.int(9)}`, points: 1, stdin: "2 3\n", expected: "5" }] }), also: [], readBack: (w) => `/api/assignments/${w.assignmentId}/tests`, cap: 1024 * 1024,
  },
  {
    name: "comment", method: "POST", path: (w) => `/api/submissions/${w.submissionId}/comments`, as: (w) => w.ta, success: 201, keys: ["comment"], required: ["file", "line", "body"],
    body: (rng) => ({ file: "main.js", line: 1 + rng.int(3), body: `Look at ${rng.word(4)}` }), also: [404], readBack: (w) => `/api/submissions/${w.submissionId}/feedback`,
  },
  {
    name: "override", method: "PUT", path: (w) => `/api/submissions/${w.submissionId}/override`, as: (w) => w.ta, success: 200, keys: ["override"], required: ["score", "reason"],
    body: (rng) => ({ score: rng.chance(0.2) ? null : rng.int(11), reason: `because ${rng.word(4)}` }), also: [], readBack: (w) => `/api/submissions/${w.submissionId}/feedback`,
  },
  {
    name: "release", method: "POST", path: (w) => `/api/assignments/${w.assignmentId}/release`, as: (w) => w.ta, success: 200, keys: ["released"], required: ["released"],
    body: (rng) => ({ released: rng.chance(0.5) }), also: [], readBack: (w) => `/api/assignments/${w.assignmentId}`,
  },
];
