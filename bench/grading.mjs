// A deadline rush: every student of a course hands in the same assignment at
// the same moment, and the grading queue's consumer grades them all through
// the runner. Measured: how long until the last is graded, and each
// submission's wait from submit to result; also the submit requests
// themselves, and how many ended failed or in the dead-letter queue.
//
// Times come from the server's own rows in D1: `submitted_at` (read by the
// submit handler once it has checked who may submit, before it stores
// anything) and `graded_at` (read by the consumer as it stores the result).
// "Submit to result" starts at the client's send instead, so it includes
// the whole submit request: Node and workerd read the same host clock, so
// the two subtract. D1 is polled from Node rather than each student polling
// GET /api/submissions/:id, which would add a request per student per poll
// to what is measured; two students read their result through the API at
// the end, as a check that what D1 holds is what a student is shown.
//
// The assignment has one input/output test and one assertion (docs/grading.md).
// Even-numbered students hand in a right answer and odd-numbered ones a wrong
// one, so half pass and half fail their tests: a failing test is an ordinary
// grade, not a failed job.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { api, createCourse } from "./accounts.mjs";
import { summarize } from "./stats.mjs";

const POLL_MS = 250;

const TESTS = [
  { kind: "io", name: "adds two numbers", points: 2, stdin: "2 3\n", expected: "5" },
  { kind: "assert", name: "add is exported", points: 1, code: "assert.equal(add(-7123, 4), -7119)" },
];
const MAX_SCORE = TESTS.reduce((n, t) => n + t.points, 0);

/** Student `i`'s main.js: right for even `i`, wrong (a product, not a sum) for odd. */
function solution(i) {
  const op = i % 2 === 0 ? "+" : "*";
  return [
    `// Student ${i}`,
    `export const add = (a, b) => a ${op} b;`,
    "const line = input();",
    "if (line !== null) {",
    "  const [a, b] = line.trim().split(/\\s+/).map(Number);",
    "  console.log(add(a, b));",
    "}",
    "",
  ].join("\n");
}

/** A due time a day ahead, on the course's clock (UTC), so nothing is late. */
const dueTomorrow = () => new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 16);

async function statusCounts(db, assignmentId) {
  const { results } = await db
    .prepare("SELECT grade_status AS status, COUNT(*) AS n FROM submissions WHERE assignment_id = ? GROUP BY grade_status")
    .bind(assignmentId)
    .all();
  return Object.fromEntries(results.map((r) => [r.status, r.n]));
}

/** Polls until every submission is graded or failed, or `timeoutMs` has passed; answers the counts by status. */
async function waitForGrades(db, assignmentId, count, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const counts = await statusCounts(db, assignmentId);
    if ((counts.graded ?? 0) + (counts.failed ?? 0) >= count || performance.now() > deadline) return counts;
    await sleep(POLL_MS);
  }
}

/** What the student sees of their own submission, through the API. */
async function seenByStudent(target, student, submissionId) {
  const { grading } = await api(target, student, "GET", `/api/submissions/${submissionId}`);
  return grading;
}

/**
 * `submissions` students (from `target.pool`) each submit once, all at the
 * same moment. `workerd` gives the database (`d1()`), the dead-letter jobs
 * (`deadLetters()`) and the Workers' log (`onLog`), where each failed
 * grading attempt leaves one line.
 */
export async function measureGrading(target, workerd, { submissions, timeoutMs = 120_000 + submissions * 500 }) {
  const { pool } = target;
  if (pool.students.length < submissions) throw new Error(`${target.name}: ${submissions} students wanted, ${pool.students.length} signed up`);
  const students = pool.students.slice(0, submissions);
  const courseId = await createCourse(target, pool.teacher, students);
  const { assignment } = await api(
    target,
    pool.teacher,
    "POST",
    `/api/courses/${courseId}/assignments`,
    { title: "Add two numbers", points: MAX_SCORE, due: dueTomorrow(), status: "published" },
    201,
  );
  await api(target, pool.teacher, "PUT", `/api/assignments/${assignment.id}/tests`, { tests: TESTS });
  const db = await workerd.d1();

  let failedAttempts = 0;
  const stopListening = workerd.onLog((_level, message) => {
    if (message.includes("grading failed")) failedAttempts += 1;
  });
  try {
    const submitMs = [];
    const submitErrors = [];
    const firstSentAt = Date.now();
    const answers = await Promise.all(
      students.map(async (student, i) => {
        const sentAt = Date.now();
        const started = performance.now();
        try {
          const { submission } = await api(
            target,
            student,
            "POST",
            `/api/assignments/${assignment.id}/submissions`,
            { files: [{ name: "main.js", content: solution(i) }] },
            201,
          );
          submitMs.push(performance.now() - started);
          return { id: submission.id, sentAt, student, shouldPass: i % 2 === 0 };
        } catch (error) {
          submitErrors.push(error.message);
          return null;
        }
      }),
    );
    const submitsAnsweredAt = Date.now();
    const sent = answers.filter(Boolean);
    if (sent.length < 2) throw new Error(`${target.name}: ${submitErrors.length} of ${submissions} submits refused; first: ${submitErrors[0]}`);
    const counts = await waitForGrades(db, assignment.id, sent.length, timeoutMs);

    const { results: rows } = await db
      .prepare("SELECT id, submitted_at, graded_at, grade_status, score FROM submissions WHERE assignment_id = ?")
      .bind(assignment.id)
      .all();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const graded = sent.map((s) => ({ ...s, row: byId.get(s.id) })).filter((s) => s.row?.grade_status === "graded");
    const wrongVerdicts = graded.filter((s) => (s.row.score === MAX_SCORE) !== s.shouldPass).length;
    const lastGradedAt = Math.max(...graded.map((s) => s.row.graded_at));

    // A passing and a failing student read their result as the web page would.
    for (const s of [sent.find((x) => x.shouldPass), sent.find((x) => !x.shouldPass)].filter(Boolean)) {
      const view = await seenByStudent(target, s.student, s.id);
      if (view.status !== "graded" || (view.score === MAX_SCORE) !== s.shouldPass) {
        throw new Error(`${target.name}: a student sees ${JSON.stringify(view)} for a submission that should ${s.shouldPass ? "pass" : "fail"}`);
      }
    }

    const ids = new Set(sent.map((s) => s.id));
    const deadLettered = (await workerd.deadLetters()).filter((job) => ids.has(job.body?.submissionId)).length;
    return {
      submissions,
      tests: TESTS.map((t) => t.kind),
      allAnsweredSeconds: (submitsAnsweredAt - firstSentAt) / 1000,
      allGradedSeconds: graded.length ? Math.round(lastGradedAt - firstSentAt) / 1000 : null,
      gradedPerSecond: graded.length ? Math.round((graded.length / ((lastGradedAt - firstSentAt) / 1000)) * 10) / 10 : 0,
      // Send -> graded_at: what a student waits for, the submit request included.
      submitToResultMs: summarize(graded.map((s) => s.row.graded_at - s.sentAt)),
      // submitted_at -> graded_at, both server timestamps: without the wait for the handler to start and check access.
      serverSubmitToResultMs: summarize(graded.map((s) => s.row.graded_at - s.row.submitted_at)),
      submitRequestMs: summarize(submitMs),
      submitErrors: submitErrors.length,
      firstSubmitErrors: submitErrors.slice(0, 3),
      graded: graded.length,
      passed: graded.filter((s) => s.row.score === MAX_SCORE).length,
      wrongVerdicts,
      failed: counts.failed ?? 0,
      unfinished: sent.length - graded.length - (counts.failed ?? 0),
      deadLettered,
      failedAttempts,
    };
  } finally {
    stopListening();
  }
}
