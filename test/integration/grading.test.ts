/**
 * Autograding through the queue: a submit enqueues its job, the consumer
 * runs each test in the runner's sandbox and stores the results; students
 * see visible tests whole and of hidden tests only how many passed; staff
 * regrade after changing the tests; a job that fails is retried, and marked
 * failed after its last try.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { gradeBatch, type GradeJob } from "../../worker/homework/grader";
import { courseWorld } from "../helpers/courses";
import type { Account } from "../helpers/users";

const VISIBLE = { kind: "io", name: "adds two numbers", points: 2, stdin: "2 3\n", expected: "5" };
// Hidden: its name, input, expected output and code must never reach a student.
const HIDDEN = { kind: "assert", name: "secret-negatives", points: 3, hidden: true, code: "assert.equal(add(-7123, 4), -7119)" };
const SECRETS = ["secret-negatives", "-7123", "-7119", "assert.equal(add("];

const WRONG = "export const add = (a, b) => a * b;\nconst [a, b] = (input() ?? '0 0').split(' ').map(Number);\nconsole.log(add(a, b));";
const RIGHT = "export const add = (a, b) => a + b;\nconst [a, b] = (input() ?? '0 0').split(' ').map(Number);\nconsole.log(add(a, b));";

async function setUp() {
  const w = await courseWorld();
  const made = await w.ta.json<{ assignment: { id: string } }>("POST", `/api/courses/${w.courseId}/assignments`, {
    title: "Add",
    points: 5,
    due: "2099-01-01T00:00",
    status: "published",
  });
  const id = made.body.assignment.id;
  expect((await w.ta.json("PUT", `/api/assignments/${id}/tests`, { tests: [VISIBLE, HIDDEN] })).status).toBe(200);
  return { w, id };
}

const submit = (who: Account, id: string, content: string) =>
  who.json<{ submission: { id: string } }>("POST", `/api/assignments/${id}/submissions`, { files: [{ name: "main.js", content }] });

/** Polls the submission until the queue's consumer has graded it. */
async function graded(who: Account, submissionId: string): Promise<Record<string, any>> {
  for (let i = 0; i < 100; i++) {
    const res = await who.json<{ grading: { status: string } }>("GET", `/api/submissions/${submissionId}`);
    if (res.body.grading.status === "graded" || res.body.grading.status === "failed") return res.body.grading;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("not graded in 10 s");
}

describe("grading through the queue", () => {
  it("grades a submission: visible tests whole to the student, hidden ones as a count; a fix earns full marks", async () => {
    const { w, id } = await setUp();
    const first = await submit(w.student, id, WRONG);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ grading: { status: "queued" } });
    expect(await graded(w.student, first.body.submission.id)).toEqual({
      status: "graded",
      score: 0,
      maxScore: 5,
      tests: [{ name: "adds two numbers", verdict: "failed", points: 0, maxPoints: 2, message: 'Expected "5", got "6".' }],
      hidden: { passed: 0, total: 1, points: 0, maxPoints: 3 },
    });
    const second = await submit(w.student, id, RIGHT);
    expect(await graded(w.student, second.body.submission.id)).toMatchObject({ status: "graded", score: 5, maxScore: 5, hidden: { passed: 1, total: 1 } });
    // Staff see every test, hidden ones included.
    const staffView = await w.ta.json<{ grading: { tests: { name: string }[] } }>("GET", `/api/submissions/${second.body.submission.id}`);
    expect(staffView.body.grading.tests.map((t) => t.name)).toEqual(["adds two numbers", "secret-negatives"]);
  });

  it("never lets a hidden test reach a student, on any route a student can call", async () => {
    const { w, id } = await setUp();
    const { body } = await submit(w.student, id, WRONG);
    await graded(w.student, body.submission.id);
    const reachable = [
      `/api/assignments/${id}`,
      `/api/assignments/${id}/tests`,
      `/api/assignments/${id}/submissions`,
      `/api/submissions/${body.submission.id}`,
      `/api/submissions/${body.submission.id}/feedback`,
      `/api/courses/${w.courseId}/assignments`,
      `/api/courses/${w.courseId}/files`,
    ];
    for (const path of reachable) {
      const text = await (await w.student.fetch(path)).text();
      for (const secret of SECRETS) expect(text, `${path} leaks ${secret}`).not.toContain(secret);
    }
    expect((await w.student.json("GET", `/api/assignments/${id}/tests`)).status).toBe(403);
    expect((await w.student.json("PUT", `/api/assignments/${id}/tests`, { tests: [] })).status).toBe(403);
  });

  it("regrades every student's latest submission after the tests change", async () => {
    const { w, id } = await setUp();
    const { body } = await submit(w.student, id, WRONG);
    await graded(w.student, body.submission.id);
    // The teacher decides multiplying was what they meant.
    const changed = await w.ta.json("PUT", `/api/assignments/${id}/tests`, { tests: [{ ...VISIBLE, expected: "6" }] });
    expect(changed.body).toMatchObject({ version: 2 });
    expect(await w.ta.json("POST", `/api/assignments/${id}/regrade`)).toEqual({ status: 202, body: { queued: 1 } });
    expect(await graded(w.student, body.submission.id)).toMatchObject({ status: "graded", score: 2, maxScore: 2 });
    expect((await w.student.json("POST", `/api/assignments/${id}/regrade`)).status).toBe(403);
  });

  it("retries a job whose grader fails, and marks the submission failed after the last try", async () => {
    const { w, id } = await setUp();
    const { body } = await submit(w.student, id, RIGHT);
    await graded(w.student, body.submission.id);
    // The files vanish from storage: grading cannot proceed.
    const key = (await env.DB.prepare("SELECT r2_key FROM submissions WHERE id = ?").bind(body.submission.id).first<{ r2_key: string }>())!.r2_key;
    await env.FILES.delete(key);
    for (const [attempts, status] of [[1, "running"], [4, "failed"]] as const) {
      const batch = createMessageBatch<GradeJob>("thirdspace-grading", [{ id: `m${attempts}`, timestamp: Date.now(), attempts, body: { submissionId: body.submission.id } }]);
      const ctx = createExecutionContext();
      await gradeBatch(batch, env);
      const result = await getQueueResult(batch, ctx);
      expect(result.retryMessages.map((m) => m.msgId)).toEqual([`m${attempts}`]);
      expect(result.explicitAcks).toEqual([]);
      expect(await env.DB.prepare("SELECT grade_status FROM submissions WHERE id = ?").bind(body.submission.id).first()).toEqual({ grade_status: status });
    }
  });
});
