/**
 * The grading queue's consumer: for each job (one submission), run every
 * test of its assignment through the runner Worker (the sandbox; never on a
 * request's or a room's thread), judge the outputs (test-format.ts) and
 * store the results. A job that fails is retried by the queue; after its
 * last try the queue moves it to the dead-letter queue, and the submission
 * is marked failed so the student is not left waiting.
 * https://developers.cloudflare.com/queues/configuration/batching-retries/
 */
import type { RunOutput, SubmittedFile } from "../../protocol";
import { getSubmission, saveGrade, setGradeStatus } from "./submissions-store";
import { resultOf, type GraderTest, type TestResult } from "./test-format";
import { getTests } from "./tests-store";

export interface GradeJob {
  submissionId: string;
}

/** Tries per job, as wrangler.toml's max_retries (3) plus the first. */
export const MAX_ATTEMPTS = 4;

export type GraderEnv = Pick<Env, "DB" | "FILES" | "RUNNER">;

async function runTest(env: GraderEnv, files: SubmittedFile[], test: GraderTest): Promise<TestResult> {
  const job = test.kind === "io" ? { kind: "io", stdin: test.stdin, args: test.args, budget: test.budget } : { kind: "assert", code: test.code, budget: test.budget };
  const res = await env.RUNNER.fetch("https://runner/grade", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ files, test: job }),
  });
  if (!res.ok) throw new Error(`runner answered ${res.status}`);
  const out = (await res.json()) as RunOutput;
  return resultOf(test, { stdout: out.stdout, error: out.error, timedOut: out.timedOut });
}

/** Grades one submission against its assignment's current tests. Throws when something outside the program fails. */
export async function gradeSubmission(env: GraderEnv, submissionId: string, now: () => number = Date.now): Promise<void> {
  const submission = await getSubmission(env.DB, submissionId);
  if (!submission) return; // deleted since: nothing to grade
  const tests = await getTests(env.DB, submission.assignmentId);
  if (!tests || tests.tests.length === 0) return setGradeStatus(env.DB, [submissionId], "none");
  await setGradeStatus(env.DB, [submissionId], "running");
  const object = await env.FILES.get(submission.r2Key);
  if (!object) throw new Error(`submission ${submissionId}: files missing in R2`);
  const { files } = (await object.json()) as { files: SubmittedFile[] };
  const results: TestResult[] = [];
  for (const test of tests.tests) results.push(await runTest(env, files, test));
  await saveGrade(env.DB, submissionId, results, tests.version, now());
}

export async function gradeBatch(batch: MessageBatch<GradeJob>, env: GraderEnv): Promise<void> {
  for (const message of batch.messages) {
    try {
      await gradeSubmission(env, message.body.submissionId);
      message.ack();
    } catch (error) {
      console.error("grading failed", message.body.submissionId, `attempt ${message.attempts}`, error);
      if (message.attempts >= MAX_ATTEMPTS) await setGradeStatus(env.DB, [message.body.submissionId], "failed");
      message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
    }
  }
}
