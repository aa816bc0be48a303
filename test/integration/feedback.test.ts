/** Line comments, score overrides, releasing grades, and the gradebook CSV. */
import { describe, expect, it } from "vitest";
import { courseWorld } from "../helpers/courses";

async function submitted(due = "2099-01-01T00:00", latePolicy: object = { kind: "refuse" }, testPoints = 10) {
  const w = await courseWorld();
  const made = await w.ta.json<{ assignment: { id: string } }>("POST", `/api/courses/${w.courseId}/assignments`, {
    title: "=Fib+1",
    points: 10,
    due,
    latePolicy,
    status: "published",
  });
  const id = made.body.assignment.id;
  await w.ta.json("PUT", `/api/assignments/${id}/tests`, { tests: [{ kind: "io", name: "prints 1", points: testPoints, expected: "1" }] });
  const sub = await w.student.json<{ submission: { id: string } }>("POST", `/api/assignments/${id}/submissions`, { files: [{ name: "main.js", content: "console.log(1)" }] });
  const subId = sub.body.submission.id;
  for (let i = 0; i < 100; i++) {
    const g = await w.ta.json<{ grading: { status: string } }>("GET", `/api/submissions/${subId}`);
    if (g.body.grading.status === "graded") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { w, id, subId };
}

describe("feedback and grades", () => {
  it("shows a student comments and the final score only once grades are released", async () => {
    const { w, id, subId } = await submitted();
    const made = await w.ta.json("POST", `/api/submissions/${subId}/comments`, { file: "main.js", line: 1, body: "Nice, but **name** things." });
    expect(made).toEqual({
      status: 201,
      body: { comment: { id: expect.any(String), file: "main.js", line: 1, body: "Nice, but **name** things.", author: "Tariq", createdAt: expect.any(Number) } },
    });
    expect((await w.student.json("GET", `/api/submissions/${subId}/feedback`)).body).toEqual({ released: false, comments: [], finalScore: null });
    expect((await w.ta.json("GET", `/api/submissions/${subId}/feedback`)).body).toMatchObject({ released: false, finalScore: 10, comments: [{ line: 1 }] });

    expect(await w.ta.json("POST", `/api/assignments/${id}/release`, { released: true })).toEqual({ status: 200, body: { released: true } });
    expect((await w.student.json("GET", `/api/assignments/${id}`)).body).toMatchObject({ assignment: { released: true } });
    expect((await w.student.json("GET", `/api/submissions/${subId}/feedback`)).body).toMatchObject({
      released: true,
      finalScore: 10,
      comments: [{ file: "main.js", line: 1, body: "Nice, but **name** things.", author: "Tariq" }],
    });
  });

  it("lets staff override a score with a reason, and only staff comment or override", async () => {
    const { w, subId } = await submitted();
    expect((await w.ta.json("PUT", `/api/submissions/${subId}/override`, { score: 7.5, reason: "Copied the loop from the slides." })).body).toEqual({
      override: { score: 7.5, reason: "Copied the loop from the slides." },
    });
    expect((await w.ta.json("GET", `/api/submissions/${subId}/feedback`)).body).toMatchObject({ finalScore: 7.5 });
    expect((await w.ta.json("PUT", `/api/submissions/${subId}/override`, { score: 7.5 })).status).toBe(400);
    expect((await w.student.json("PUT", `/api/submissions/${subId}/override`, { score: 10, reason: "please" })).status).toBe(403);
    // More than the assignment's points is a typo, refused; the override stays as it was.
    expect(await w.ta.json("PUT", `/api/submissions/${subId}/override`, { score: 75, reason: "Great work" })).toEqual({
      status: 400,
      body: { error: "Some fields are invalid.", fields: { score: "must be at most the assignment's 10 points" } },
    });
    expect((await w.ta.json("GET", `/api/submissions/${subId}/feedback`)).body).toMatchObject({ override: { score: 7.5 } });
    expect((await w.student.json("POST", `/api/submissions/${subId}/comments`, { file: "main.js", line: 1, body: "hi" })).status).toBe(403);
    expect((await w.ta.json("POST", `/api/submissions/${subId}/comments`, { file: "other.js", line: 1, body: "hi" })).status).toBe(400);
    expect((await w.outsider.json("GET", `/api/submissions/${subId}/feedback`)).status).toBe(404);
  });

  it("counts the autograder's score as a share of the assignment's points, and shows a released override's reason to the student", async () => {
    // The tests are worth 4 points, the assignment 10: full marks on the tests are 10.
    const { w, id, subId } = await submitted(undefined, undefined, 4);
    expect((await w.ta.json("GET", `/api/submissions/${subId}/feedback`)).body).toMatchObject({ finalScore: 10, override: { score: null, reason: null } });
    await w.ta.json("POST", `/api/assignments/${id}/release`, { released: true });
    // No override: nothing about one reaches the student.
    expect((await w.student.json("GET", `/api/submissions/${subId}/feedback`)).body).toEqual({ released: true, comments: [], finalScore: 10 });
    await w.ta.json("PUT", `/api/submissions/${subId}/override`, { score: 6, reason: "Hard-coded the output." });
    expect((await w.student.json("GET", `/api/submissions/${subId}/feedback`)).body).toEqual({
      released: true,
      comments: [],
      finalScore: 6,
      override: { score: 6, reason: "Hard-coded the output." },
    });
  });

  it("exports the gradebook: one row per student, final scores after the late penalty, formulas escaped", async () => {
    const { w } = await submitted("2020-01-06T09:00", { kind: "penalty", percentPerDay: 10, maxPercent: 30 });
    const res = await w.ta.fetch(`/api/courses/${w.courseId}/gradebook.csv`);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="gradebook-CS1.csv"');
    const text = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true }).decode(await res.arrayBuffer());
    // 10 points, 30% off for lateness; the title starts with "=", so it is escaped.
    expect(text).toBe(`\ufeffName,Email,'=Fib+1 (10)\r\nStu,${w.student.user.email},7\r\n`);
    expect((await w.student.fetch(`/api/courses/${w.courseId}/gradebook.csv`)).status).toBe(403);
  });
});
