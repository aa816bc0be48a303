/**
 * The runner Worker: `POST /run` with `{ code, language }` answers a RunOutput;
 * `POST /grade` with a submission's files and one autograder test answers
 * the RunOutput of that test's program (see harness.ts).
 *
 * It is reached only through the gateway's service binding (it has no route
 * of its own in production) and runs in its own isolate, so a program that
 * spins for its whole budget never blocks a classroom room's thread.
 */
import { z } from "zod";
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

/** Code is capped at 512 Ki UTF-16 units; JSON escaping can at most ~6x that. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** A program that never ran: the answer for code that does not compile. */
function notRun(error: string): RunOutput {
  return { codeOutput: error, stdout: "", stderr: "", result: null, error, truncated: false, timedOut: false, durationMs: 0 };
}

async function readBody<S extends z.ZodType>(request: Request, schema: S): Promise<{ ok: true; data: z.output<S> } | { ok: false; response: Response }> {
  if (request.method !== "POST") return { ok: false, response: json({ error: "Use POST." }, 405) };
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_BODY_BYTES) return { ok: false, response: json({ error: "Body too large." }, 413) };
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return { ok: false, response: json({ error: "Body is not valid JSON." }, 400) };
  }
  const parsed = schema.safeParse(body);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, response: json({ error: describeIssues(parsed.error) }, 400) };
}

export async function handleRun(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (path === "/grade") return handleGrade(request);
  if (path !== "/run") return json({ error: "Not found." }, 404);
  const job = await readBody(request, RunJob);
  if (!job.ok) return job.response;
  const source = job.data.language === "typescript" ? stripTypes(job.data.code) : { ok: true as const, code: job.data.code };
  // With the autograder's input() and args (no stdin, no arguments), so code written for a test runs here too.
  return json(source.ok ? await runJavaScript(source.code, DEFAULT_LIMITS, ioPrelude("", [])) : notRun(source.error));
}

/** One autograder test against a submission's files: the program's output, judged by the caller. */
async function handleGrade(request: Request): Promise<Response> {
  const job = await readBody(request, GradeJob);
  if (!job.ok) return job.response;
  const { files, test } = job.data;
  const entry = entryFile(files);
  if (!entry) return json(notRun("No JavaScript or TypeScript file to run (name it main.js, for example)."));
  const source = entry.name.endsWith(".ts") ? stripTypes(entry.content) : { ok: true as const, code: entry.content };
  if (!source.ok) return json(notRun(source.error));
  const limits = { ...DEFAULT_LIMITS, interruptBudget: test.budget };
  if (test.kind === "io") return json(await runJavaScript(source.code, limits, ioPrelude(test.stdin, test.args)));
  // The student's top-level code runs too: it may read input, of which there is none.
  const built = assertionProgram(source.code, test.code);
  return json(built.ok ? await runJavaScript(built.program, limits, ioPrelude("", [])) : notRun(built.error));
}

export default {
  async fetch(request: Request): Promise<Response> {
    try {
      return await handleRun(request);
    } catch (e) {
      console.error("runner failure", e);
      return json({ error: "The runner failed." }, 500);
    }
  },
} satisfies ExportedHandler;
