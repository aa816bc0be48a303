/**
 * The grading queue's consumer: for each job (one submission), run every
 * test of its assignment through the runner Worker (the sandbox; never on a
 * request's or a room's thread), judge the outputs (test-format.ts) and
 * store the results. A job that fails is retried by the queue; after its
 * last try the queue moves it to the dead-letter queue, and the submission
 * is marked failed so the student is not left waiting.
 * https://developers.cloudflare.com/queues/configuration/batching-retries/
 */
import { RunOutput, type SubmittedFile } from "../../protocol";
import { RUNNER_ANSWER_MAX_BYTES, readAnswerCapped } from "../lib/read-capped";
import { getSubmission, saveGrade, setGradeStatus } from "./submissions-store";
import { resultOf, type GraderTest, type TestResult } from "./test-format";
import { getTests } from "./tests-store";

export interface GradeJob {
  submissionId: string;
}

/** Tries per job, as wrangler.toml's max_retries (3) plus the first. */
export const MAX_ATTEMPTS = 4;

export type GraderEnv = Pick<Env, "DB" | "FILES" | "RUNNER">;

/**
 * A test's budget is at most 20,000 checks (about 4 s of work) and the runner
 * Worker's CPU limit is 5 s; a test not answered by then is retried with the
 * whole job rather than holding the queue consumer.
 */
const GRADE_TIMEOUT_MS = 30_000;

async function runTest(env: GraderEnv, files: SubmittedFile[], test: GraderTest): Promise<TestResult> {
  const job = test.kind === "io" ? { kind: "io" as const, stdin: test.stdin, args: test.args, budget: test.budget } : { kind: "assert" as const, code: test.code, budget: test.budget };
  // Read like RUN's answer (worker/room/code.ts): bounded, so a runner fault cannot flood this consumer.
  const out = RunOutput.parse(await readAnswerCapped(env.RUNNER.grade({ files, test: job }), { maxBytes: RUNNER_ANSWER_MAX_BYTES, timeoutMs: GRADE_TIMEOUT_MS }));
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
