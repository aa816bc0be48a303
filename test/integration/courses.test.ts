import { SELF, env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { api } from "../helpers/client";
import { BASE, signUp, type Account } from "../helpers/users";

interface CourseView {
  course: { id: string; title: string; code: string; createdAt: number; updatedAt: number };
  role: string;
  calendarUrl: string;
  invite?: { code: string; enabled: boolean; expiresAt: number | null; url: string };
}

const DAY = 24 * 60 * 60 * 1000;
const INVALID_CODE = { error: "Some fields are invalid.", fields: { code: "is not a valid invite code (it may have been rotated or disabled)" } };
const EXPIRED_CODE = { error: "Some fields are invalid.", fields: { code: "has expired; ask your instructor for a new invite link" } };
const INSTRUCTOR_ONLY = { error: "Only the course's instructor can do that." };
const NO_COURSE = { error: "No such course." };
const NO_MEMBER = { error: "No such student or TA in this course." };

async function newCourse(owner: Account, fields: Record<string, unknown> = {}) {
  const res = await owner.json<CourseView>("POST", "/api/courses", { title: "Intro to Programming", code: "CS101", timezone: "Europe/Paris", ...fields });
  if (res.status !== 201) throw new Error(`create course: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A course with an instructor, a TA and a student, enrolled through the API. */
async function staffedCourse() {
  const instructor = await signUp("Grace");
  const view = await newCourse(instructor);
  const ta = await signUp("Tara");
  const student = await signUp("Sam");
  for (const who of [ta, student]) await who.json("POST", "/api/enrol", { code: view.invite!.code });
  await instructor.json("PATCH", `/api/courses/${view.course.id}/members/${ta.user.id}`, { role: "ta" });
  return { instructor, ta, student, id: view.course.id, view };
}

const courseRow = (id: string) => env.DB.prepare("SELECT * FROM courses WHERE id = ?").bind(id).first<Record<string, unknown>>();
const enrolmentRows = (id: string) =>
  env.DB.prepare("SELECT user_id, role FROM enrolments WHERE course_id = ? ORDER BY role").bind(id).all().then((r) => r.results);

describe("creating a course", () => {
  it("answers 201 with the course, the invite and the calendar link, and enrols the creator as instructor", async () => {
    const grace = await signUp("Grace");
    const res = await grace.json<CourseView>("POST", "/api/courses", {
      title: "  Intro to Programming ",
      code: "CS101",
      description: "Loops and lists",
      timezone: "America/New_York",
    });
    expect(res.status).toBe(201);
    const row = (await courseRow(res.body.course.id))!;
    expect(res.body).toEqual({
      course: {
        id: expect.stringMatching(/^[A-Za-z0-9]{12}$/),
        title: "Intro to Programming",
        code: "CS101",
        description: "Loops and lists",
        timezone: "America/New_York",
        archivedAt: null,
        archived: false,
        createdAt: row.created_at,
        updatedAt: row.created_at,
      },
      role: "instructor",
      calendarUrl: `${BASE}/api/calendar/${row.calendar_token}.ics`,
      invite: { code: row.invite_code, enabled: true, expiresAt: null, url: `${BASE}/enrol/${row.invite_code}` },
    });
    expect(row).toMatchObject({ owner_id: grace.user.id, invite_code: expect.stringMatching(/^[A-Za-z0-9]{8}$/) });
    expect(await enrolmentRows(res.body.course.id)).toEqual([{ user_id: grace.user.id, role: "instructor" }]);
  });

  it("writes neither the course nor the enrolment when the enrolment cannot be stored", async () => {
    const grace = await signUp("Grace");
    await env.DB.exec(
      `CREATE TRIGGER refuse_${grace.user.id} BEFORE INSERT ON enrolments WHEN NEW.user_id = '${grace.user.id}' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    );
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await grace.json("POST", "/api/courses", { title: "T", code: "C", timezone: "UTC" });
      expect(res).toEqual({ status: 500, body: { error: "Something went wrong on the server and nothing was changed. Try again in a moment." } });
      expect(logged).toHaveBeenCalledWith("unhandled error", expect.any(Error));
    } finally {
      logged.mockRestore();
      await env.DB.exec(`DROP TRIGGER refuse_${grace.user.id}`);
    }
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM courses WHERE owner_id = ?").bind(grace.user.id).first("n");
    expect(n).toBe(0);
  });

  it.each([
    ["an overlong title", { title: "t".repeat(121) }, { title: "must be at most 120 characters" }],
    ["an empty code", { code: "   " }, { code: "must not be empty" }],
    ["a title with a carriage return", { title: "Intro\rSTATUS:CANCELLED" }, { title: "must not contain control characters" }],
    ["a title with a right-to-left override", { title: "Intro \u202egnimmargorP" }, { title: "must not contain control characters" }],
    ["a code with a line separator", { code: "CS\u2028101" }, { code: "must not contain control characters" }],
    ["an unknown timezone", { timezone: "Mars/Base" }, { timezone: "must be an IANA time zone, such as Europe/Paris" }],
  ])("refuses %s and writes nothing", async (_name, change, fields) => {
    const grace = await signUp("Grace");
    const res = await grace.json("POST", "/api/courses", { title: "T", code: "C", timezone: "UTC", ...change });
    expect(res).toEqual({ status: 400, body: { error: "Some fields are invalid.", fields } });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM courses WHERE owner_id = ?").bind(grace.user.id).first("n")).toBe(0);
  });

  it("needs a session", async () => {
    const res = await api("/api/courses", { method: "POST", body: JSON.stringify({ title: "T", code: "C", timezone: "UTC" }) });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Sign in first." });
  });

  it("refuses malformed JSON (400) and oversized bodies (413)", async () => {
    const grace = await signUp("Grace");
    const bad = await grace.fetch("/api/courses", { method: "POST", body: "{oops" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "Body is not valid JSON." });
    const big = await grace.json("POST", "/api/courses", { title: "T", code: "C", timezone: "UTC", description: "d".repeat(20_000) });
    expect(big).toEqual({ status: 413, body: { error: "Body is larger than 16384 bytes." } });
  });
});

describe("reading courses", () => {
  it("lists my courses with my role in each, archived last", async () => {
    const { instructor, student, id } = await staffedCourse();
    const own = await newCourse(student, { title: "Book club", code: "BC1" });
    const archived = await newCourse(student, { title: "Algebra", code: "MA1" });
    await student.json("POST", `/api/courses/${archived.course.id}/archive`);
    const res = await student.json<{ courses: { id: string; role: string; archived: boolean }[] }>("GET", "/api/courses");
    expect(res.status).toBe(200);
    expect(res.body.courses.map((c) => [c.id, c.role, c.archived])).toEqual([
      [own.course.id, "instructor", false],
      [id, "student", false],
      [archived.course.id, "instructor", true],
    ]);
    expect(res.body.courses[1]).toEqual({ ...(await instructor.json<CourseView>("GET", `/api/courses/${id}`)).body.course, role: "student" });
  });

  it("shows a student the course and the calendar link, but not the invite", async () => {
    const { student, id, view } = await staffedCourse();
    const res = await student.json("GET", `/api/courses/${id}`);
    expect(res).toEqual({ status: 200, body: { course: view.course, role: "student", calendarUrl: view.calendarUrl } });
    expect(JSON.stringify(res.body)).not.toContain(view.invite!.code);
  });

  it("answers 404 to a non-member and 401 without a session", async () => {
    const { id } = await staffedCourse();
    const stranger = await signUp("Eve");
    expect(await stranger.json("GET", `/api/courses/${id}`)).toEqual({ status: 404, body: NO_COURSE });
    expect(await stranger.json("GET", "/api/courses/not-an-id!")).toEqual({ status: 404, body: NO_COURSE });
    const anon = await api(`/api/courses/${id}`);
    expect(anon.status).toBe(401);
  });
});

describe("editing a course", () => {
  it("lets the instructor change fields and answers with the new course", async () => {
    const { instructor, id, view } = await staffedCourse();
    const res = await instructor.json<CourseView>("PATCH", `/api/courses/${id}`, { title: "Programming I", timezone: "Asia/Tokyo" });
    expect(res.status).toBe(200);
    const row = (await courseRow(id))!;
    expect(res.body).toEqual({
      ...view,
      course: { ...view.course, title: "Programming I", timezone: "Asia/Tokyo", updatedAt: row.updated_at },
    });
    expect(row).toMatchObject({ title: "Programming I", code: "CS101", timezone: "Asia/Tokyo" });
  });

  it("refuses TAs and students with 403", async () => {
    const { ta, student, id } = await staffedCourse();
    for (const who of [ta, student]) expect(await who.json("PATCH", `/api/courses/${id}`, { title: "Mine" })).toEqual({ status: 403, body: INSTRUCTOR_ONLY });
    expect((await courseRow(id))!.title).toBe("Intro to Programming");
  });

  it.each([
    ["an overlong title", { title: "t".repeat(121) }, { title: "must be at most 120 characters" }],
    ["an overlong code", { title: "Valid", code: "c".repeat(21) }, { code: "must be at most 20 characters" }],
    ["a title with a newline", { title: "Valid\nX-INJECTED:1" }, { title: "must not contain control characters" }],
    ["an overlong description", { title: "Valid", description: "d".repeat(2001) }, { description: "must be at most 2000 characters" }],
    ["a description with NUL and a bidi override", { title: "Valid", description: "d\u0000\u202e" }, { description: "must not contain control characters" }],
    ["an unknown timezone", { title: "Valid", timezone: "Mars/Base" }, { timezone: "must be an IANA time zone, such as Europe/Paris" }],
    ["an empty patch", {}, { "(body)": "must change at least one field" }],
  ])("refuses %s with the field's message and writes nothing", async (_name, patch, fields) => {
    const { instructor, id } = await staffedCourse();
    const before = await courseRow(id);
    expect(await instructor.json("PATCH", `/api/courses/${id}`, patch)).toEqual({ status: 400, body: { error: "Some fields are invalid.", fields } });
    expect(await courseRow(id)).toEqual(before);
  });
});

describe("archiving a course", () => {
  it("keeps it readable and refuses changes, invites, enrolment and new classes with 409", async () => {
    const { instructor, student, id, view } = await staffedCourse();
    const res = await instructor.json<CourseView>("POST", `/api/courses/${id}/archive`);
    const row = (await courseRow(id))!;
    expect(res).toEqual({
      status: 200,
      body: { ...view, course: { ...view.course, archivedAt: row.archived_at, archived: true, updatedAt: row.updated_at } },
    });
    const archived = { status: 409, body: { error: "This course is archived." } };
    expect(await instructor.json("PATCH", `/api/courses/${id}`, { title: "X" })).toEqual(archived);
    expect(await instructor.json("POST", `/api/courses/${id}/invite`, { rotate: true })).toEqual(archived);
    expect(await instructor.json("POST", `/api/courses/${id}/classes`, { title: "L", start: "2030-01-01T10:00", end: "2030-01-01T11:00" })).toEqual(archived);
    expect((await student.json("GET", `/api/courses/${id}`)).status).toBe(200);
    const late = await signUp("Late");
    expect(await late.json("POST", "/api/enrol", { code: view.invite!.code })).toEqual({ status: 404, body: INVALID_CODE });
  });

  it("is for the instructor only", async () => {
    const { ta, id } = await staffedCourse();
    expect(await ta.json("POST", `/api/courses/${id}/archive`)).toEqual({ status: 403, body: INSTRUCTOR_ONLY });
    expect((await courseRow(id))!.archived_at).toBeNull();
  });
});

describe("invites and enrolment", () => {
  it("enrols with the invite code as a student and answers with the course", async () => {
    const grace = await signUp("Grace");
    const view = await newCourse(grace);
    const sam = await signUp("Sam");
    expect(await sam.json("POST", "/api/enrol", { code: view.invite!.code })).toEqual({ status: 200, body: { course: view.course, role: "student" } });
    expect(await enrolmentRows(view.course.id)).toEqual([
      { user_id: grace.user.id, role: "instructor" },
      { user_id: sam.user.id, role: "student" },
    ]);
  });

  it("shows what an invite leads to, the course and its instructor, without enrolling anyone", async () => {
    const grace = await signUp("Grace");
    const view = await newCourse(grace);
    const sam = await signUp("Sam");
    expect(await sam.json("GET", `/api/enrol/${view.invite!.code}`)).toEqual({ status: 200, body: { course: view.course, instructor: "Grace", role: null } });
    expect((await enrolmentRows(view.course.id)).map((r) => r.user_id)).toEqual([grace.user.id]);
    expect((await grace.json("GET", `/api/enrol/${view.invite!.code}`)).body).toMatchObject({ role: "instructor" });
    expect(await sam.json("GET", "/api/enrol/NOSUCHCODE")).toEqual({ status: 404, body: INVALID_CODE });
    expect((await SELF.fetch(`${BASE}/api/enrol/${view.invite!.code}`)).status).toBe(401);
  });

  it("keeps the existing role when enrolling again, for a TA and for the instructor", async () => {
    const { instructor, ta, id, view } = await staffedCourse();
    expect((await ta.json("POST", "/api/enrol", { code: view.invite!.code })).body).toMatchObject({ role: "ta" });
    expect((await instructor.json("POST", "/api/enrol", { code: view.invite!.code })).body).toMatchObject({ role: "instructor" });
    expect((await enrolmentRows(id)).map((r) => r.role)).toEqual(["instructor", "student", "ta"]);
  });

  it("rotating the code gives a new code, and the old one stops working", async () => {
    const { instructor, id, view } = await staffedCourse();
    const res = await instructor.json<{ code: string }>("POST", `/api/courses/${id}/invite`, { rotate: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ code: expect.stringMatching(/^[A-Za-z0-9]{8}$/), enabled: true, expiresAt: null, url: `${BASE}/enrol/${res.body.code}` });
    expect(res.body.code).not.toBe(view.invite!.code);
    const late = await signUp("Late");
    expect(await late.json("POST", "/api/enrol", { code: view.invite!.code })).toEqual({ status: 404, body: INVALID_CODE });
    expect((await late.json("POST", "/api/enrol", { code: res.body.code })).status).toBe(200);
  });

  it("a disabled invite answers 404 until enabled again", async () => {
    const { instructor, id, view } = await staffedCourse();
    const code = view.invite!.code;
    expect(await instructor.json("POST", `/api/courses/${id}/invite`, { enabled: false })).toEqual({
      status: 200,
      body: { code, enabled: false, expiresAt: null, url: `${BASE}/enrol/${code}` },
    });
    const late = await signUp("Late");
    expect(await late.json("POST", "/api/enrol", { code })).toEqual({ status: 404, body: INVALID_CODE });
    expect(await enrolmentRows(id)).toHaveLength(3);
    await instructor.json("POST", `/api/courses/${id}/invite`, { enabled: true });
    expect((await late.json("POST", "/api/enrol", { code })).status).toBe(200);
  });

  it("an invite with an expiry answers 410 once it has expired", async () => {
    const { instructor, id, view } = await staffedCourse();
    const before = Date.now();
    const res = await instructor.json<{ expiresAt: number }>("POST", `/api/courses/${id}/invite`, { expiresInDays: 7 });
    expect(res.body.expiresAt).toBeGreaterThanOrEqual(before + 7 * DAY);
    expect(res.body.expiresAt).toBeLessThanOrEqual(Date.now() + 7 * DAY);
    expect((await courseRow(id))!.invite_expires_at).toBe(res.body.expiresAt);

    const late = await signUp("Late");
    await env.DB.prepare("UPDATE courses SET invite_expires_at = ? WHERE id = ?").bind(Date.now() - 1000, id).run();
    expect(await late.json("POST", "/api/enrol", { code: view.invite!.code })).toEqual({ status: 410, body: EXPIRED_CODE });
    expect(await enrolmentRows(id)).toHaveLength(3);

    await instructor.json("POST", `/api/courses/${id}/invite`, { expiresInDays: null });
    expect((await late.json("POST", "/api/enrol", { code: view.invite!.code })).status).toBe(200);
  });

  it("refuses invite changes from TAs, and bad values", async () => {
    const { instructor, ta, id } = await staffedCourse();
    expect(await ta.json("POST", `/api/courses/${id}/invite`, { rotate: true })).toEqual({ status: 403, body: INSTRUCTOR_ONLY });
    expect(await instructor.json("POST", `/api/courses/${id}/invite`, { expiresInDays: 0 })).toEqual({
      status: 400,
      body: { error: "Some fields are invalid.", fields: { expiresInDays: "must be at least 1" } },
    });
  });

  it("refuses an unknown or empty code", async () => {
    const sam = await signUp("Sam");
    expect(await sam.json("POST", "/api/enrol", { code: "NOPE1234" })).toEqual({ status: 404, body: INVALID_CODE });
    expect(await sam.json("POST", "/api/enrol", { code: " " })).toEqual({ status: 400, body: { error: "Some fields are invalid.", fields: { code: "must not be empty" } } });
  });
});

describe("the public invite lookup", () => {
  const NOT_VALID = { status: 404, body: { error: "This invite link is not valid." } };
  /** Signed out, from one address (the counters are per address). */
  const lookup = async (code: string, address = "198.51.100.1") => {
    const res = await SELF.fetch(`${BASE}/api/invites/${encodeURIComponent(code)}`, { headers: { "CF-Connecting-IP": address } });
    return { status: res.status, body: await res.json(), cache: res.headers.get("cache-control") };
  };

  it("names the course and its instructor to anyone holding the link, and nothing else", async () => {
    const { student, id, view } = await staffedCourse();
    expect(await lookup(view.invite!.code)).toEqual({ status: 200, body: { course: { title: "Intro to Programming", code: "CS101" }, instructor: "Grace" }, cache: "no-store" });
    // Signed in, the answer is the same: no role, no ids, no roster.
    expect((await student.json("GET", `/api/invites/${view.invite!.code}`)).body).toEqual({ course: { title: "Intro to Programming", code: "CS101" }, instructor: "Grace" });
    expect(await enrolmentRows(id)).toHaveLength(3);
  });

  it("answers the same plain 404 for an unknown, malformed, turned-off, rotated, expired or archived code", async () => {
    const { instructor, id, view } = await staffedCourse();
    const code = view.invite!.code;
    expect(await lookup("NOPE1234")).toMatchObject(NOT_VALID);
    expect(await lookup("not a code!")).toMatchObject(NOT_VALID);
    expect(await lookup("x".repeat(33))).toMatchObject(NOT_VALID);
    await instructor.json("POST", `/api/courses/${id}/invite`, { enabled: false });
    expect(await lookup(code)).toMatchObject(NOT_VALID);
    await instructor.json("POST", `/api/courses/${id}/invite`, { enabled: true });
    await env.DB.prepare("UPDATE courses SET invite_expires_at = ? WHERE id = ?").bind(Date.now() - 1000, id).run();
    expect(await lookup(code)).toMatchObject(NOT_VALID);
    await instructor.json("POST", `/api/courses/${id}/invite`, { expiresInDays: null });
    expect((await lookup(code)).status).toBe(200);
    const rotated = await instructor.json<{ code: string }>("POST", `/api/courses/${id}/invite`, { rotate: true });
    expect(await lookup(code)).toMatchObject(NOT_VALID);
    await instructor.json("POST", `/api/courses/${id}/archive`);
    expect(await lookup(rotated.body.code)).toMatchObject(NOT_VALID);
  });

  it("takes 300 lookups an hour per address, then answers 429 even for a good code", async () => {
    const { view } = await staffedCourse();
    const guesses = await Promise.all(Array.from({ length: 300 }, (_, i) => lookup(`WRONG${i}`, "203.0.113.9")));
    expect(guesses.every((g) => g.status === 404)).toBe(true);
    expect(await lookup(view.invite!.code, "203.0.113.9")).toMatchObject({ status: 429, body: { error: "Too many attempts. Try again in 60 minutes." } });
    expect((await lookup(view.invite!.code, "203.0.113.10")).status).toBe(200);
  });
});

describe("the roster", () => {
  it("is shown to the instructor and TAs, staff first", async () => {
    const { instructor, ta, student, id } = await staffedCourse();
    const member = (a: Account, role: string) => ({ userId: a.user.id, name: a.user.name, email: a.user.email, role, enrolledAt: expect.any(Number) });
    const expected = { status: 200, body: { members: [member(instructor, "instructor"), member(ta, "ta"), member(student, "student")] } };
    expect(await instructor.json("GET", `/api/courses/${id}/roster`)).toEqual(expected);
    expect(await ta.json("GET", `/api/courses/${id}/roster`)).toEqual(expected);
  });

  it("answers 403 to a student and 404 to a non-member", async () => {
    const { student, id } = await staffedCourse();
    expect(await student.json("GET", `/api/courses/${id}/roster`)).toEqual({ status: 403, body: { error: "Only the course's instructor or TAs can do that." } });
    expect(await (await signUp("Eve")).json("GET", `/api/courses/${id}/roster`)).toEqual({ status: 404, body: NO_COURSE });
  });

  it("promotes a student to TA and demotes them again", async () => {
    const { instructor, student, id } = await staffedCourse();
    const up = await instructor.json<{ members: { userId: string; role: string }[] }>("PATCH", `/api/courses/${id}/members/${student.user.id}`, { role: "ta" });
    expect(up.status).toBe(200);
    expect(up.body.members.map((m) => m.role)).toEqual(["instructor", "ta", "ta"]);
    expect((await student.json("GET", `/api/courses/${id}/roster`)).status).toBe(200);
    await instructor.json("PATCH", `/api/courses/${id}/members/${student.user.id}`, { role: "student" });
    expect((await student.json("GET", `/api/courses/${id}/roster`)).status).toBe(403);
  });

  it("removes a student, who then cannot see the course", async () => {
    const { instructor, student, id } = await staffedCourse();
    const res = await instructor.fetch(`/api/courses/${id}/members/${student.user.id}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(await student.json("GET", `/api/courses/${id}`)).toEqual({ status: 404, body: NO_COURSE });
    expect((await student.json<{ courses: unknown[] }>("GET", "/api/courses")).body.courses).toEqual([]);
    expect(await enrolmentRows(id)).toHaveLength(2);
  });

  it("never demotes or removes the instructor, and answers 404 for non-members", async () => {
    const { instructor, ta, id } = await staffedCourse();
    const stranger = await signUp("Eve");
    expect(await instructor.json("PATCH", `/api/courses/${id}/members/${instructor.user.id}`, { role: "student" })).toEqual({ status: 404, body: NO_MEMBER });
    expect(await instructor.json("DELETE", `/api/courses/${id}/members/${instructor.user.id}`)).toEqual({ status: 404, body: NO_MEMBER });
    expect(await instructor.json("DELETE", `/api/courses/${id}/members/${stranger.user.id}`)).toEqual({ status: 404, body: NO_MEMBER });
    expect(await enrolmentRows(id)).toEqual(expect.arrayContaining([{ user_id: instructor.user.id, role: "instructor" }]));
    expect(await ta.json("DELETE", `/api/courses/${id}/members/${instructor.user.id}`)).toEqual({ status: 403, body: INSTRUCTOR_ONLY });
  });

  it("refuses a role other than ta or student", async () => {
    const { instructor, student, id } = await staffedCourse();
    expect(await instructor.json("PATCH", `/api/courses/${id}/members/${student.user.id}`, { role: "instructor" })).toEqual({
      status: 400,
      body: { error: "Some fields are invalid.", fields: { role: 'must be "ta" or "student"' } },
    });
  });
});
