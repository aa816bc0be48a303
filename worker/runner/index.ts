/**
 * The runner Worker. Its only way in is the `Runner` RPC entrypoint, which
 * the app reaches through its service binding (`entrypoint = "Runner"` in
 * the app's wrangler.toml): `run(job)` runs a room's RUN, `grade(job)` one
 * autograder test against a submission's files (see harness.ts). Its
 * default export, what a URL would reach, answers 404 to everything, so a
 * route or workers.dev address given to it by mistake still runs nothing.
 * https://developers.cloudflare.com/workers/runtime-apis/bindings/service-bindings/rpc/
 *
 * It runs in its own isolate, so a program that spins for its whole budget
 * never blocks a classroom room's thread.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import * as z from "zod";
import { Code, Language, describeIssues, entryFile, type RunOutput } from "../../protocol";
import { TEST_LIMITS } from "../homework/test-format";
import { assertionProgram, ioPrelude } from "./harness";
import { DEFAULT_LIMITS, runJavaScript } from "./sandbox";
import { stripTypes } from "./strip-types";

export const RunJob = z.strictObject({ code: Code, language: Language.default("javascript") });
export type RunJob = z.input<typeof RunJob>;

const Budget = z.number().int().min(100).max(TEST_LIMITS.maxBudget);
export const GradeJob = z.strictObject({
  files: z.array(z.strictObject({ name: z.string().max(200), content: Code })).min(1).max(20),
  test: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("io"), stdin: z.string().max(TEST_LIMITS.maxTextChars), args: z.array(z.string().max(1000)).max(20), budget: Budget }),
    z.strictObject({ kind: z.literal("assert"), code: z.string().max(TEST_LIMITS.maxTextChars), budget: Budget }),
  ]),
});
export type GradeJob = z.input<typeof GradeJob>;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** A program that never ran: the answer for code that does not compile. */
function notRun(error: string): RunOutput {
  return { codeOutput: error, stdout: "", stderr: "", result: null, error, truncated: false, timedOut: false, durationMs: 0 };
}

/**
 * Runs `work` on a job that passed `schema`. The answer is a Response, not
 * the RunOutput itself: Workers RPC would deserialise a returned object
 * whole on the caller's thread, whatever its size, while a Response's body
 * streams, so the room and the grader read it with a byte limit and a
 * deadline (worker/lib/read-capped.ts).
 */
async function answer<S extends z.ZodType>(job: unknown, schema: S, work: (job: z.output<S>) => Promise<RunOutput>): Promise<Response> {
  const parsed = schema.safeParse(job);
  if (!parsed.success) return json({ error: describeIssues(parsed.error) }, 400);
  try {
    return json(await work(parsed.data));
  } catch (e) {
    console.error("runner failure", e);
    return json({ error: "The runner failed." }, 500);
  }
}

async function runCode(job: z.output<typeof RunJob>): Promise<RunOutput> {
  const source = job.language === "typescript" ? stripTypes(job.code) : { ok: true as const, code: job.code };
  // With the autograder's input() and args (no stdin, no arguments), so code written for a test runs here too.
  return source.ok ? runJavaScript(source.code, DEFAULT_LIMITS, ioPrelude("", [])) : notRun(source.error);
}

/** One autograder test against a submission's files: the program's output, judged by the caller. */
async function gradeTest({ files, test }: z.output<typeof GradeJob>): Promise<RunOutput> {
  const entry = entryFile(files);
  if (!entry) return notRun("No JavaScript or TypeScript file to run (name it main.js, for example).");
  const source = entry.name.endsWith(".ts") ? stripTypes(entry.content) : { ok: true as const, code: entry.content };
  if (!source.ok) return notRun(source.error);
  const limits = { ...DEFAULT_LIMITS, interruptBudget: test.budget };
  if (test.kind === "io") return runJavaScript(source.code, limits, ioPrelude(test.stdin, test.args));
  // The student's top-level code runs too: it may read input, of which there is none.
  const built = assertionProgram(source.code, test.code);
  return built.ok ? runJavaScript(built.program, limits, ioPrelude("", [])) : notRun(built.error);
}

/** The service binding's entrypoint. Arguments arrive structured-cloned from the caller and are validated here, at the edge. */
export class Runner extends WorkerEntrypoint<Record<string, never>> {
  /** A room's RUN: `{ code, language }`; answers a RunOutput as JSON. */
  run(job: RunJob): Promise<Response> {
    return answer(job, RunJob, runCode);
  }

  /** One autograder test: `{ files, test }`; answers the RunOutput of that test's program as JSON. */
  grade(job: GradeJob): Promise<Response> {
    return answer(job, GradeJob, gradeTest);
  }
}

export default {
  fetch(): Response {
    return json({ error: "Not found." }, 404);
  },
} satisfies ExportedHandler;
