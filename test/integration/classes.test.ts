import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ClassInfo } from "../../protocol";
import { api } from "../helpers/client";
import { signUp, type Account } from "../helpers/users";

type ClassView = ClassInfo;

const MIN = 60_000;
/** Expected instants are written out by hand, with the zone's known UTC offset. */
const at = (iso: string) => Date.parse(iso);
/** A wall-clock time for a course in UTC. */
const utcLocal = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const STAFF_ONLY = { error: "Only the course's instructor or TAs can do that." };
const invalid = (fields: Record<string, string>) => ({ status: 400, body: { error: "Some fields are invalid.", fields } });

/** A course with an instructor, a TA and a student. */
async function staffedCourse(fields: Record<string, string> = {}) {
  const instructor = await signUp("Grace");
  const created = await instructor.json<{ course: { id: string }; invite: { code: string }; calendarUrl: string }>("POST", "/api/courses", {
    title: "Programming",
    code: "CS101",
    timezone: "UTC",
    ...fields,
  });
  const id = created.body.course.id;
  const ta = await signUp("Tara");
  const student = await signUp("Sam");
  for (const who of [ta, student]) await who.json("POST", "/api/enrol", { code: created.body.invite.code });
  await instructor.json("PATCH", `/api/courses/${id}/members/${ta.user.id}`, { role: "ta" });
  return { instructor, ta, student, id, calendarUrl: created.body.calendarUrl };
}

async function schedule(who: Account, courseId: string, body: Record<string, unknown>): Promise<ClassView[]> {
  const res = await who.json<{ classes: ClassView[] }>("POST", `/api/courses/${courseId}/classes`, { title: "Lecture", ...body });
  if (res.status !== 201) throw new Error(`schedule: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.classes;
}

const classCount = async (courseId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM classes WHERE course_id = ?").bind(courseId).first<{ n: number }>())!.n;
const classRow = (id: string) => env.DB.prepare("SELECT * FROM classes WHERE id = ?").bind(id).first<Record<string, number | string | null>>();

describe("scheduling classes", () => {
  it("creates one class at the wall-clock time in the course's timezone", async () => {
    const { instructor, id } = await staffedCourse({ timezone: "America/New_York" });
    const res = await instructor.json<{ classes: ClassView[] }>("POST", `/api/courses/${id}/classes`, {
      title: " Office hours ",
      start: "2030-07-01T09:00",
      end: "2030-07-01T10:00",
    });
    expect(res.status).toBe(201);
    const classId = res.body.classes[0]!.id;
    expect(res.body).toEqual({
      classes: [
        {
          id: expect.stringMatching(/^[A-Za-z0-9]{12}$/),
          title: "Office hours",
          startsAt: at("2030-07-01T13:00Z"), // EDT, UTC-4
          endsAt: at("2030-07-01T14:00Z"),
          opensAt: at("2030-07-01T12:50Z"),
          closesAt: at("2030-07-01T14:00Z"),
          open: false,
          cancelled: false,
          roomId: `class-${classId}`,
          seriesId: null,
        },
      ],
    });
    expect(await classRow(classId)).toMatchObject({ course_id: id, series_id: null, starts_at: at("2030-07-01T13:00Z"), opened_at: null, closed_at: null });
  });

  it("repeats weekly at the same wall-clock time across the US autumn clock change", async () => {
    const { instructor, id } = await staffedCourse({ timezone: "America/New_York" });
    // Mondays 10:00-11:30; clocks go back on Sunday 3 November 2030 (UTC-4 → UTC-5).
    const classes = await schedule(instructor, id, { start: "2030-10-21T10:00", end: "2030-10-21T11:30", repeatWeeks: 3 });
    expect(classes.map((k) => [k.startsAt, k.endsAt])).toEqual([
      [at("2030-10-21T14:00Z"), at("2030-10-21T15:30Z")],
      [at("2030-10-28T14:00Z"), at("2030-10-28T15:30Z")],
      [at("2030-11-04T15:00Z"), at("2030-11-04T16:30Z")],
    ]);
    expect(classes[0]!.seriesId).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(new Set(classes.map((k) => k.seriesId)).size).toBe(1);
    expect(new Set(classes.map((k) => k.id)).size).toBe(3);
    const rows = await env.DB.prepare("SELECT starts_at, series_id FROM classes WHERE course_id = ? ORDER BY starts_at").bind(id).all();
    expect(rows.results).toEqual(classes.map((k) => ({ starts_at: k.startsAt, series_id: k.seriesId })));
  });

  it("repeats weekly at the same wall-clock time across the European autumn clock change", async () => {
    const { instructor, id } = await staffedCourse({ timezone: "Europe/Paris" });
    // Thursdays 09:00-10:00; clocks go back on Sunday 27 October 2030 (UTC+2 → UTC+1).
    const classes = await schedule(instructor, id, { start: "2030-10-17T09:00", end: "2030-10-17T10:00", repeatWeeks: 3 });
    expect(classes.map((k) => [k.startsAt, k.endsAt])).toEqual([
      [at("2030-10-17T07:00Z"), at("2030-10-17T08:00Z")],
      [at("2030-10-24T07:00Z"), at("2030-10-24T08:00Z")],
      [at("2030-10-31T08:00Z"), at("2030-10-31T09:00Z")],
    ]);
  });

  it.each([
    ["an impossible date", { start: "2026-02-30T10:00" }, { start: "must be a real date and time as YYYY-MM-DDTHH:MM" }],
    ["a space instead of T", { end: "2030-07-01 10:00" }, { end: "must be a real date and time as YYYY-MM-DDTHH:MM" }],
    ["an end before the start", { end: "2030-07-01T08:59" }, { end: "must be after the start" }],
    ["an end equal to the start", { end: "2030-07-01T09:00" }, { end: "must be after the start" }],
    ["a class over 12 hours", { end: "2030-07-01T21:01" }, { end: "must be at most 12 hours after the start" }],
    ["repeatWeeks 0", { repeatWeeks: 0 }, { repeatWeeks: "must be at least 1" }],
    ["repeatWeeks 53", { repeatWeeks: 53 }, { repeatWeeks: "must be at most 52" }],
    ["an overlong title", { title: "t".repeat(121) }, { title: "must be at most 120 characters" }],
    ["an empty title", { title: "  " }, { title: "must not be empty" }],
    ["a title with a carriage return", { title: "Lab\rSTATUS:CANCELLED" }, { title: "must not contain control characters" }],
    ["a title with a bidi override", { title: "Lab \u202etxet" }, { title: "must not contain control characters" }],
    ["a title with a bidi isolate", { title: "Lab \u2067x" }, { title: "must not contain control characters" }],
  ])("refuses %s with the field's message and writes nothing", async (_name, change, fields) => {
    const { instructor, id } = await staffedCourse();
    const body = { title: "Lecture", start: "2030-07-01T09:00", end: "2030-07-01T10:00", repeatWeeks: 4, ...change };
    expect(await instructor.json("POST", `/api/courses/${id}/classes`, body)).toEqual(invalid(fields));
    expect(await classCount(id)).toBe(0);
  });

  it("accepts a class of exactly 12 hours and a series of 52 weeks", async () => {
    const { instructor, id } = await staffedCourse();
    expect(await schedule(instructor, id, { start: "2030-07-01T09:00", end: "2030-07-01T21:00" })).toHaveLength(1);
    expect(await schedule(instructor, id, { start: "2030-07-02T09:00", end: "2030-07-02T10:00", repeatWeeks: 52 })).toHaveLength(52);
    expect(await classCount(id)).toBe(53);
  });

  it("holds at most 400 classes in a course: a series that would pass it is refused whole (409)", async () => {
    const { instructor, id } = await staffedCourse();
    for (let week = 0; week < 7; week++) {
      const day = String(1 + week).padStart(2, "0");
      await schedule(instructor, id, { start: `2030-07-${day}T09:00`, end: `2030-07-${day}T10:00`, repeatWeeks: 52 });
    }
    expect(await classCount(id)).toBe(364);
    const over = await instructor.json("POST", `/api/courses/${id}/classes`, { title: "One too many", start: "2030-07-08T09:00", end: "2030-07-08T10:00", repeatWeeks: 37 });
    expect(over).toEqual({ status: 409, body: { error: "A course holds at most 400 classes; this one has 364." } });
    expect(await classCount(id)).toBe(364);
    expect(await schedule(instructor, id, { start: "2030-07-08T09:00", end: "2030-07-08T10:00", repeatWeeks: 36 })).toHaveLength(36);
  });

  it("lets the instructor and TAs schedule, refuses students (403) and non-members (404)", async () => {
    const { ta, student, id } = await staffedCourse();
    const body = { title: "Lab", start: "2030-07-01T09:00", end: "2030-07-01T10:00" };
    expect((await ta.json("POST", `/api/courses/${id}/classes`, body)).status).toBe(201);
    expect(await student.json("POST", `/api/courses/${id}/classes`, body)).toEqual({ status: 403, body: STAFF_ONLY });
    expect(await (await signUp("Eve")).json("POST", `/api/courses/${id}/classes`, body)).toEqual({ status: 404, body: { error: "No such course." } });
    expect(await classCount(id)).toBe(1);
  });
});

describe("listing classes", () => {
  it("splits upcoming (soonest first) from past (latest first), with open flags", async () => {
    const { instructor, student, id } = await staffedCourse();
    const now = Date.now();
    const past = await schedule(instructor, id, { start: "2021-03-01T10:00", end: "2021-03-01T11:00", repeatWeeks: 2 });
    const later = await schedule(instructor, id, { start: "2030-07-01T09:00", end: "2030-07-01T10:00" });
    const current = await schedule(instructor, id, { start: utcLocal(now - 5 * MIN), end: utcLocal(now + 60 * MIN) });
    expect(current[0]!.open).toBe(true);
    expect(later[0]!.open).toBe(false);
    const res = await student.json("GET", `/api/courses/${id}/classes`);
    expect(res).toEqual({ status: 200, body: { upcoming: [current[0], later[0]], past: [past[1], past[0]] } });
  });

  it("shows one class to members with their role and the course", async () => {
    const { instructor, student, id } = await staffedCourse();
    const [k] = await schedule(instructor, id, { start: "2030-07-01T09:00", end: "2030-07-01T10:00" });
    expect(await student.json("GET", `/api/classes/${k!.id}`)).toEqual({
      status: 200,
      body: { class: k, role: "student", course: { id, title: "Programming", code: "CS101", timezone: "UTC" } },
    });
    expect(await (await signUp("Eve")).json("GET", `/api/classes/${k!.id}`)).toEqual({ status: 404, body: { error: "No such course." } });
    expect(await student.json("GET", "/api/classes/NoSuchClass1")).toEqual({ status: 404, body: { error: "No such class." } });
  });
});

describe("opening, closing and extending a class", () => {
  it("opens a future class early, then closes it", async () => {
    const { instructor, ta, id } = await staffedCourse();
    const [k] = await schedule(instructor, id, { start: "2030-07-01T09:00", end: "2030-07-01T10:00" });
    const opened = await ta.json("POST", `/api/classes/${k!.id}/open`);
    const openedAt = (await classRow(k!.id))!.opened_at as number;
    expect(Math.abs(openedAt - Date.now())).toBeLessThan(10_000);
    expect(opened).toEqual({ status: 200, body: { class: { ...k, opensAt: openedAt, open: true } } });

    const closed = await instructor.json("POST", `/api/classes/${k!.id}/close`);
    const row = (await classRow(k!.id))!;
    expect(row).toMatchObject({ opened_at: openedAt, closed_at: expect.any(Number), ends_at: k!.endsAt });
    expect(closed).toEqual({ status: 200, body: { class: { ...k, opensAt: openedAt, closesAt: row.closed_at, open: false } } });
  });

  it("extends a class that has not ended by the given minutes past its end", async () => {
    const { instructor, id } = await staffedCourse();
    const [k] = await schedule(instructor, id, { start: "2030-07-01T09:00", end: "2030-07-01T10:00" });
    const res = await instructor.json("POST", `/api/classes/${k!.id}/extend`, { minutes: 30 });
    const endsAt = at("2030-07-01T10:30Z");
    expect(res).toEqual({ status: 200, body: { class: { ...k, endsAt, closesAt: endsAt } } });
    expect((await classRow(k!.id))!.ends_at).toBe(endsAt);
  });

  it("refuses to open a class that has ended (409), but extending reopens it from now", async () => {
    const { instructor, student, id } = await staffedCourse();
    const [k] = await schedule(instructor, id, { start: "2021-03-01T10:00", end: "2021-03-01T11:00" });
    expect(await instructor.json("POST", `/api/classes/${k!.id}/open`)).toEqual({
      status: 409,
      body: { error: "This class has ended; extend it to reopen the room." },
    });
    expect((await classRow(k!.id))!.opened_at).toBeNull();

    const before = Date.now();
    const res = await instructor.json<{ class: ClassView }>("POST", `/api/classes/${k!.id}/extend`, { minutes: 15 });
    const endsAt = (await classRow(k!.id))!.ends_at as number;
    expect(endsAt).toBeGreaterThanOrEqual(before + 15 * MIN);
    expect(endsAt).toBeLessThanOrEqual(Date.now() + 15 * MIN);
    expect(res).toEqual({ status: 200, body: { class: { ...k, endsAt, closesAt: endsAt, open: true } } });
    expect((await student.json<{ upcoming: ClassView[] }>("GET", `/api/courses/${id}/classes`)).body.upcoming).toEqual([res.body.class]);
  });

  it("is for staff only, and validates minutes", async () => {
    const { instructor, student, id } = await staffedCourse();
    const [k] = await schedule(instructor, id, { start: "2030-07-01T09:00", end: "2030-07-01T10:00" });
    const before = await classRow(k!.id);
    for (const action of ["open", "close"]) {
      expect(await student.json("POST", `/api/classes/${k!.id}/${action}`)).toEqual({ status: 403, body: STAFF_ONLY });
    }
    expect(await student.json("POST", `/api/classes/${k!.id}/extend`, { minutes: 30 })).toEqual({ status: 403, body: STAFF_ONLY });
    // Who may is decided before what was sent: no validation feedback for callers who may not extend at all.
    expect(await student.json("POST", `/api/classes/${k!.id}/extend`, { minutes: 1 })).toEqual({ status: 403, body: STAFF_ONLY });
    expect(await (await signUp("Eve")).json("POST", `/api/classes/${k!.id}/extend`, { minutes: 1 })).toEqual({ status: 404, body: { error: "No such course." } });
    const anonymous = await api(`/api/classes/${k!.id}/extend`, { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
    expect(await instructor.json("POST", `/api/classes/${k!.id}/extend`, { minutes: 4 })).toEqual(invalid({ minutes: "must be at least 5" }));
    expect(await instructor.json("POST", `/api/classes/${k!.id}/extend`, { minutes: 241 })).toEqual(invalid({ minutes: "must be at most 240" }));
    expect(await classRow(k!.id)).toEqual(before);
    expect(await instructor.json("POST", "/api/classes/NoSuchClass1/open")).toEqual({ status: 404, body: { error: "No such class." } });
  });

  it("refuses changes to classes of an archived course", async () => {
    const { instructor, id } = await staffedCourse();
    const [k] = await schedule(instructor, id, { start: "2030-07-01T09:00", end: "2030-07-01T10:00" });
    await instructor.json("POST", `/api/courses/${id}/archive`);
    expect(await instructor.json("POST", `/api/classes/${k!.id}/open`)).toEqual({ status: 409, body: { error: "This course is archived." } });
  });
});

describe("the calendar feed", () => {
  it("serves the schedule anonymously as iCalendar, in UTC, escaped, with called-off classes cancelled", async () => {
    const { instructor, id, calendarUrl } = await staffedCourse({ title: "Intro; part 1", code: "CS,101", timezone: "America/New_York" });
    const classes = await schedule(instructor, id, { title: "Lists, loops", start: "2030-10-28T10:00", end: "2030-10-28T11:30", repeatWeeks: 2 });
    await instructor.json("POST", `/api/classes/${classes[1]!.id}/close`); // called off before it starts
    const listed = await instructor.json<{ past: { id: string; cancelled: boolean }[] }>("GET", `/api/courses/${id}/classes`);
    expect(listed.body.past.map((k) => [k.id, k.cancelled])).toEqual([[classes[1]!.id, true]]);

    const res = await api(new URL(calendarUrl).pathname);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('inline; filename="CS_101.ics"');
    const text = await res.text();
    expect(text.endsWith("\r\n")).toBe(true);
    const event = (id: string, start: string, end: string, status: string) => [
      "BEGIN:VEVENT",
      `UID:${id}@thirdspace`,
      "DTSTAMP:<now>",
      `DTSTART:${start}`,
      `DTEND:${end}`,
      "SUMMARY:CS\\,101: Lists\\, loops",
      `DESCRIPTION:Live class room: http://thirdspace.test/room/class-${id}`,
      `URL:http://thirdspace.test/room/class-${id}`,
      `STATUS:${status}`,
      "END:VEVENT",
    ];
    expect(text.replace(/\r\n /g, "").replace(/DTSTAMP:\d{8}T\d{6}Z/g, "DTSTAMP:<now>").split("\r\n")).toEqual([
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//ThirdSpace//Course schedule//EN",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "X-WR-CALNAME:CS\\,101 Intro\\; part 1",
      // 10:00 New York time: EDT (UTC-4) on 28 October, EST (UTC-5) on 4 November.
      ...event(classes[0]!.id, "20301028T140000Z", "20301028T153000Z", "CONFIRMED"),
      ...event(classes[1]!.id, "20301104T150000Z", "20301104T163000Z", "CANCELLED"),
      "END:VCALENDAR",
      "",
    ]);
  });

  it("answers 404 to an unknown or malformed token", async () => {
    for (const path of [`/api/calendar/${"A".repeat(43)}.ics`, "/api/calendar/short.ics", "/api/calendar/nope"]) {
      const res = await api(path);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: "No such calendar." });
    }
  });

  it("rotating the token (instructor only) gives a new URL, and the old one answers 404", async () => {
    const { instructor, ta, id, calendarUrl } = await staffedCourse();
    expect(await ta.json("POST", `/api/courses/${id}/calendar/rotate`)).toEqual({ status: 403, body: { error: "Only the course's instructor can do that." } });
    expect((await api(new URL(calendarUrl).pathname)).status).toBe(200);

    const res = await instructor.json<{ calendarUrl: string }>("POST", `/api/courses/${id}/calendar/rotate`);
    expect(res).toEqual({ status: 200, body: { calendarUrl: expect.stringMatching(/^http:\/\/thirdspace\.test\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/) } });
    expect(res.body.calendarUrl).not.toBe(calendarUrl);
    expect((await api(new URL(calendarUrl).pathname)).status).toBe(404);
    expect((await api(new URL(res.body.calendarUrl).pathname)).status).toBe(200);
    expect((await instructor.json<{ calendarUrl: string }>("GET", `/api/courses/${id}`)).body.calendarUrl).toBe(res.body.calendarUrl);
  });
});
