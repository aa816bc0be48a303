/** Assignments: due times on the course's clock, drafts and publishing, their files, and per-student extensions. */
import { describe, expect, it } from "vitest";
import { parseLocal, zonedToInstant } from "../../worker/courses/schedule";
import { courseWorld, type CourseWorld } from "../helpers/courses";

const base = { title: "Recursion", description: "Write `fib`.", points: 10, due: "2026-10-25T23:00" };

async function parisWorld(): Promise<CourseWorld> {
  const w = await courseWorld();
  expect((await w.instructor.json("PATCH", `/api/courses/${w.courseId}`, { timezone: "Europe/Paris" })).status).toBe(200);
  return w;
}

const create = (w: CourseWorld, body: object) => w.ta.json<{ assignment: Record<string, unknown> }>("POST", `/api/courses/${w.courseId}/assignments`, body);

async function fileOf(w: CourseWorld, name: string, visibility = "") {
  const res = await w.ta.fetch(`/api/courses/${w.courseId}/files?name=${name}${visibility}`, { method: "POST", body: "// start here" });
  return ((await res.json()) as { id: string }).id;
}

describe("assignments", () => {
  it("keep the due time as the course's clock shows it, and the instant it names (here: the night clocks go back)", async () => {
    const w = await parisWorld();
    const made = await create(w, { ...base, latePolicy: { kind: "penalty", percentPerDay: 10, maxPercent: 30 } });
    expect(made).toEqual({
      status: 201,
      body: {
        assignment: {
          id: expect.any(String),
          courseId: w.courseId,
          ...base,
          dueAt: zonedToInstant(parseLocal(base.due)!, "Europe/Paris"),
          latePolicy: { kind: "penalty", percentPerDay: 10, maxPercent: 30 },
          status: "draft",
          released: false,
          starterFiles: [],
          handoutFiles: [],
          createdAt: expect.any(Number),
          updatedAt: expect.any(Number),
        },
      },
    });
    // 23:00 in Paris on 25 October 2026 is 22:00 UTC: summer time ended that morning.
    expect(new Date(made.body.assignment.dueAt as number).toISOString()).toBe("2026-10-25T22:00:00.000Z");
  });

  it("are hidden from students as drafts (404, not listed) and shown once published", async () => {
    const w = await courseWorld();
    const { body } = await create(w, base);
    const id = body.assignment.id as string;
    expect((await w.student.json("GET", `/api/assignments/${id}`)).status).toBe(404);
    expect((await w.student.json<{ assignments: unknown[] }>("GET", `/api/courses/${w.courseId}/assignments`)).body.assignments).toEqual([]);
    expect((await w.student.json("PATCH", `/api/assignments/${id}`, { status: "published" })).status).toBe(404);
    expect((await w.instructor.json("PATCH", `/api/assignments/${id}`, { status: "published" })).status).toBe(200);
    expect((await w.student.json("GET", `/api/assignments/${id}`)).body).toMatchObject({ assignment: { id, status: "published" } });
    expect((await w.student.json("PATCH", `/api/assignments/${id}`, { title: "Mine now" })).status).toBe(403);
    expect((await w.outsider.json("GET", `/api/assignments/${id}`)).status).toBe(404);
  });

  it("hand out the course's own files, never a staff-only one", async () => {
    const w = await courseWorld();
    const [starter, handout, hidden] = [await fileOf(w, "fib.js"), await fileOf(w, "notes.pdf"), await fileOf(w, "tests.js", "&visibility=staff")];
    const made = await create(w, { ...base, starterFiles: [starter], handoutFiles: [handout] });
    expect(made.body.assignment).toMatchObject({ starterFiles: [starter], handoutFiles: [handout] });
    const refused = await create(w, { ...base, handoutFiles: [hidden] });
    expect(refused).toEqual({ status: 400, body: { error: "Some fields are invalid.", fields: { files: "tests.js is for staff only; students could not download it." } } });
    const elsewhere = await create(w, { ...base, starterFiles: ["NoSuchFile1"] });
    expect(elsewhere.body).toEqual({ error: "Some fields are invalid.", fields: { files: "NoSuchFile1 is not a file of this course." } });
  });

  it("change only the fields a PATCH names, and refuse a file listed twice", async () => {
    const w = await courseWorld();
    const [handout, starter] = [await fileOf(w, "notes.pdf"), await fileOf(w, "fib.js")];
    const full = { ...base, description: "Write fib.", latePolicy: { kind: "mark" }, status: "published", handoutFiles: [handout], starterFiles: [starter] };
    const { body } = await create(w, full);
    const id = body.assignment.id as string;
    const renamed = await w.ta.json<{ assignment: Record<string, unknown> }>("PATCH", `/api/assignments/${id}`, { title: "Fibonacci" });
    expect(renamed.body.assignment).toMatchObject({ ...full, title: "Fibonacci" });
    expect(await w.ta.json("PATCH", `/api/assignments/${id}`, { handoutFiles: [handout, handout] })).toEqual({
      status: 400,
      body: { error: "Some fields are invalid.", fields: { handoutFiles: "must not list a file twice" } },
    });
    expect((await w.ta.json<{ assignment: unknown }>("GET", `/api/assignments/${id}`)).body.assignment).toMatchObject({ handoutFiles: [handout] });
  });

  it("keep a draft's files from students until it is published; a file any published assignment uses stays out", async () => {
    const w = await courseWorld();
    const [draftOnly, shared, loose] = [await fileOf(w, "exam.pdf"), await fileOf(w, "notes.pdf"), await fileOf(w, "syllabus.txt")];
    const draft = await create(w, { ...base, handoutFiles: [draftOnly, shared] });
    await create(w, { ...base, status: "published", handoutFiles: [shared] });
    const listed = async () =>
      (await w.student.json<{ files: { id: string }[] }>("GET", `/api/courses/${w.courseId}/files`)).body.files.map((f) => f.id).sort();
    expect(await listed()).toEqual([shared, loose].sort());
    expect((await w.student.fetch(`/api/files/${draftOnly}`)).status).toBe(404);
    expect((await w.ta.fetch(`/api/files/${draftOnly}`)).status).toBe(200);
    await w.instructor.json("PATCH", `/api/assignments/${draft.body.assignment.id}`, { status: "published" });
    expect(await listed()).toEqual([draftOnly, shared, loose].sort());
    expect((await w.student.fetch(`/api/files/${draftOnly}`)).status).toBe(200);
  });

  it.each([
    ["a date that does not exist", { ...base, due: "2026-02-30T10:00" }, { due: "must be a date and time as YYYY-MM-DDTHH:MM" }],
    ["a penalty over 100%", { ...base, latePolicy: { kind: "penalty", percentPerDay: 150, maxPercent: 100 } }, { "latePolicy.percentPerDay": "must be at most 100" }],
    ["no title", { ...base, title: " " }, { title: "must not be empty" }],
    ["a title with a bidi override", { ...base, title: "hw\u202e1" }, { title: "must not contain control characters" }],
    ["a description with NUL", { ...base, description: "read this\u0000" }, { description: "must not contain control characters" }],
  ])("refuse %s", async (_what, body, fields) => {
    const w = await courseWorld();
    expect(await create(w, body)).toEqual({ status: 400, body: { error: "Some fields are invalid.", fields } });
  });

  it("give a student their own due time, which they see and others do not", async () => {
    const w = await parisWorld();
    const { body } = await create(w, { ...base, status: "published" });
    const id = body.assignment.id as string;
    const granted = await w.ta.json("PUT", `/api/assignments/${id}/extensions/${w.student.user.id}`, { due: "2026-10-27T12:00" });
    const dueAt = zonedToInstant(parseLocal("2026-10-27T12:00")!, "Europe/Paris");
    expect(granted).toEqual({ status: 200, body: { extension: { userId: w.student.user.id, due: "2026-10-27T12:00", dueAt } } });
    expect((await w.student.json("GET", `/api/assignments/${id}`)).body).toMatchObject({ assignment: { due: base.due, extension: { due: "2026-10-27T12:00", dueAt } } });
    expect((await w.ta.json("GET", `/api/assignments/${id}`)).body).not.toHaveProperty("assignment.extension");
    expect((await w.ta.json("GET", `/api/assignments/${id}/extensions`)).body).toEqual({ extensions: [{ userId: w.student.user.id, due: "2026-10-27T12:00", dueAt }] });
    // Only students get extensions, only staff give them.
    expect((await w.ta.json("PUT", `/api/assignments/${id}/extensions/${w.instructor.user.id}`, { due: "2026-10-27T12:00" })).status).toBe(404);
    expect((await w.student.json("PUT", `/api/assignments/${id}/extensions/${w.student.user.id}`, { due: "2027-01-01T00:00" })).status).toBe(403);
    expect((await w.ta.fetch(`/api/assignments/${id}/extensions/${w.student.user.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await w.student.json("GET", `/api/assignments/${id}`)).body).not.toHaveProperty("assignment.extension");
  });
});
