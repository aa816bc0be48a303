/** Submissions: numbered versions with the server's time and a content hash, lateness by policy and extension, who sees what. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { courseWorld, type CourseWorld } from "../helpers/courses";
import { signUp, type Account } from "../helpers/users";

const PAST = "2020-01-06T09:00"; // a Monday, long ago
const FUTURE = "2099-01-01T09:00";

async function assignment(w: CourseWorld, fields: object = {}) {
  const res = await w.ta.json<{ assignment: { id: string } }>("POST", `/api/courses/${w.courseId}/assignments`, {
    title: "Fib",
    points: 10,
    due: FUTURE,
    status: "published",
    ...fields,
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body.assignment.id;
}

const submit = (who: Account, id: string, files: { name: string; content: string }[]) =>
  who.json<Record<string, any>>("POST", `/api/assignments/${id}/submissions`, { files });

async function sha256(text: string) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const rows = async (assignmentId: string) =>
  (await env.DB.prepare("SELECT version FROM submissions WHERE assignment_id = ? ORDER BY version").bind(assignmentId).all()).results;

describe("submitting", () => {
  it("keeps every version, numbered, with the server's time and a hash of the files", async () => {
    const w = await courseWorld();
    const id = await assignment(w);
    const before = Date.now();
    const first = await submit(w.student, id, [
      { name: "fib.js", content: "export const fib = (n) => n;" },
      { name: "README.md", content: "wip" },
    ]);
    expect(first).toEqual({
      status: 201,
      body: {
        submission: {
          id: expect.any(String),
          assignmentId: id,
          userId: w.student.user.id,
          version: 1,
          submittedAt: expect.any(Number),
          // Files in name order, so the same work always has the same hash.
          contentHash: await sha256(JSON.stringify({ files: [{ name: "README.md", content: "wip" }, { name: "fib.js", content: "export const fib = (n) => n;" }] })),
          size: 31,
          fileNames: ["README.md", "fib.js"],
          late: false,
          daysLate: 0,
          penaltyPercent: 0,
        },
        // No tests yet: nothing to grade.
        grading: { status: "none", score: null, maxScore: null },
      },
    });
    expect(first.body.submission.submittedAt).toBeGreaterThanOrEqual(before);
    const second = await submit(w.student, id, [{ name: "fib.js", content: "export const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2));" }]);
    expect(second.body.submission.version).toBe(2);

    const history = await w.student.json<{ submissions: { version: number }[] }>("GET", `/api/assignments/${id}/submissions`);
    expect(history.body.submissions.map((s) => s.version)).toEqual([2, 1]);
    const v1 = await w.student.json("GET", `/api/submissions/${first.body.submission.id}`);
    expect(v1.body).toEqual({
      submission: first.body.submission,
      grading: { status: "none", score: null, maxScore: null },
      files: [
        { name: "README.md", content: "wip" },
        { name: "fib.js", content: "export const fib = (n) => n;" },
      ],
    });
  });

  it("numbers simultaneous submits 1..n, never twice the same", async () => {
    const w = await courseWorld();
    const id = await assignment(w);
    const all = await Promise.all(Array.from({ length: 5 }, (_, i) => submit(w.student, id, [{ name: "a.js", content: `// ${i}` }])));
    expect(all.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(all.map((r) => r.body.submission.version).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it("takes at most 6 versions a minute from one student, with Retry-After, and none in an archived course", async () => {
    const w = await courseWorld();
    const id = await assignment(w);
    for (let i = 0; i < 6; i++) expect((await submit(w.student, id, [{ name: "a.js", content: `// ${i}` }])).status).toBe(201);
    const refused = await w.student.fetch(`/api/assignments/${id}/submissions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ files: [{ name: "a.js", content: "// 7" }] }),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(await refused.json()).toEqual({ error: "At most 6 versions a minute; wait a moment and hand in again." });
    expect(await rows(id)).toHaveLength(6);

    const other = await assignment(w);
    await w.instructor.json("POST", `/api/courses/${w.courseId}/archive`);
    expect((await submit(w.student, other, [{ name: "a.js", content: "1" }])).status).toBe(409);
    expect(await rows(other)).toEqual([]);
  });

  it("refuses late work under the refuse policy and stores nothing", async () => {
    const w = await courseWorld();
    const id = await assignment(w, { due: PAST });
    const res = await submit(w.student, id, [{ name: "a.js", content: "late" }]);
    expect(res).toEqual({ status: 409, body: { error: "The due time has passed; this assignment no longer accepts submissions." } });
    expect(await rows(id)).toEqual([]);
    expect((await env.FILES.list({ prefix: `courses/${w.courseId}/submissions/` })).objects).toEqual([]);
  });

  it("takes late work with its penalty, and on time with an extension", async () => {
    const w = await courseWorld();
    const id = await assignment(w, { due: PAST, latePolicy: { kind: "penalty", percentPerDay: 5, maxPercent: 40 } });
    expect((await submit(w.student, id, [{ name: "a.js", content: "x" }])).body.submission).toMatchObject({ late: true, penaltyPercent: 40 });
    const strict = await assignment(w, { due: PAST });
    expect((await w.ta.json("PUT", `/api/assignments/${strict}/extensions/${w.student.user.id}`, { due: FUTURE })).status).toBe(200);
    expect((await submit(w.student, strict, [{ name: "a.js", content: "x" }])).body.submission).toMatchObject({ late: false, daysLate: 0, version: 1 });
  });

  it("shows staff every student's latest, and keeps students to their own", async () => {
    const w = await courseWorld();
    const id = await assignment(w);
    const mine = await submit(w.student, id, [{ name: "a.js", content: "1" }]);
    await submit(w.student, id, [{ name: "a.js", content: "2" }]);
    const latest = await w.ta.json<{ submissions: { version: number; userId: string }[] }>("GET", `/api/assignments/${id}/submissions`);
    expect(latest.body.submissions.map((s) => [s.userId, s.version])).toEqual([[w.student.user.id, 2]]);
    expect((await w.ta.json("GET", `/api/submissions/${mine.body.submission.id}`)).status).toBe(200);
    expect((await w.outsider.json("GET", `/api/submissions/${mine.body.submission.id}`)).status).toBe(404);
    expect((await w.student.json("GET", `/api/assignments/${id}/submissions?userId=${w.ta.user.id}`)).status).toBe(404);
    expect((await submit(w.ta, id, [{ name: "a.js", content: "staff" }])).status).toBe(403);
  });

  it("lists a course's assignments with each student's own latest version, and nothing of anyone else's", async () => {
    const w = await courseWorld();
    const id = await assignment(w);
    const other = await signUp("Eve");
    const { invite } = (await w.instructor.json<{ invite: { code: string } }>("GET", `/api/courses/${w.courseId}`)).body;
    expect((await other.json("POST", "/api/enrol", { code: invite.code })).status).toBe(200);
    const list = (who: Account) => who.json<{ assignments: Record<string, unknown>[] }>("GET", `/api/courses/${w.courseId}/assignments`);

    expect((await list(w.student)).body.assignments).toEqual([expect.objectContaining({ id, mine: null })]);
    await submit(w.student, id, [{ name: "a.js", content: "1" }]);
    const second = await submit(w.student, id, [{ name: "a.js", content: "2" }]);
    expect((await list(w.student)).body.assignments[0]!.mine).toEqual({
      version: 2,
      submittedAt: second.body.submission.submittedAt,
      late: false,
      grading: "none",
      score: null,
      maxScore: null,
    });
    expect((await w.student.json<{ assignment: unknown }>("GET", `/api/assignments/${id}`)).body.assignment).toMatchObject({ mine: { version: 2 } });
    expect((await list(other)).body.assignments[0]!.mine).toBeNull();
    expect((await list(w.ta)).body.assignments[0]).not.toHaveProperty("mine");
  });

  it.each([
    ["no files", [], 400],
    ["two files with one name", [{ name: "a.js", content: "1" }, { name: "dir/a.js", content: "2" }], 400],
    ["more than 2 MiB", [{ name: "big.txt", content: "x".repeat(2 * 1024 * 1024 + 1) }], 413],
  ])("refuses %s and stores nothing", async (_what, files, status) => {
    const w = await courseWorld();
    const id = await assignment(w);
    expect((await submit(w.student, id, files)).status).toBe(status);
    expect(await rows(id)).toEqual([]);
  });

  it("is not possible on a draft", async () => {
    const w = await courseWorld();
    const id = await assignment(w, { status: "draft" });
    expect(await submit(w.student, id, [{ name: "a.js", content: "x" }])).toEqual({ status: 404, body: { error: "No such assignment." } });
  });
});
