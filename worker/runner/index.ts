/**
 * The runner Worker: `POST /run` with `{ code, language }` answers a RunOutput.
 *
 * It is reached only through the gateway's service binding (it has no route
 * of its own in production) and runs in its own isolate, so a program that
 * spins for its whole budget never blocks a classroom room's thread.
 */
import { z } from "zod";
import { Code, Language, describeIssues, type RunOutput } from "../../protocol";
import { runJavaScript } from "./sandbox";
import { stripTypes } from "./strip-types";

export const RunJob = z.strictObject({ code: Code, language: Language.default("javascript") });
export type RunJob = z.input<typeof RunJob>;

/** Code is capped at 512 Ki UTF-16 units; JSON escaping can at most ~6x that. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

export async function handleRun(request: Request): Promise<Response> {
  if (new URL(request.url).pathname !== "/run") return json({ error: "Not found." }, 404);
  if (request.method !== "POST") return json({ error: "Use POST." }, 405);
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_BODY_BYTES) return json({ error: "Body too large." }, 413);
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return json({ error: "Body is not valid JSON." }, 400);
  }
  const job = RunJob.safeParse(body);
  if (!job.success) return json({ error: describeIssues(job.error) }, 400);

  let source = job.data.code;
  if (job.data.language === "typescript") {
    const stripped = stripTypes(source);
    if (!stripped.ok) {
      const failed: RunOutput = {
        codeOutput: stripped.error,
        stdout: "",
        stderr: "",
        result: null,
        error: stripped.error,
        truncated: false,
        timedOut: false,
        durationMs: 0,
      };
      return json(failed);
    }
    source = stripped.code;
  }
  return json(await runJavaScript(source));
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
