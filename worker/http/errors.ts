/**
 * One place that turns failures into JSON answers. Handlers throw
 * HTTPException with a clear message; anything else is logged and answered
 * with a generic 500 (no stack traces reach clients).
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { plainIssue } from "../../protocol/issues";

export interface ErrorBody {
  error: string;
  /** Per-field messages for a body that failed its schema. */
  fields?: Record<string, string>;
}

export function fail(status: ContentfulStatusCode, error: string, fields?: Record<string, string>): never {
  const body: ErrorBody = fields ? { error, fields } : { error };
  throw new HTTPException(status, { res: Response.json(body, { status }) });
}

/** 429 or 503 with the seconds to wait in `Retry-After` (RFC 9110 § 10.2.3). */
export function failForNow(status: 429 | 503, error: string, retryAfterSeconds: number): never {
  throw new HTTPException(status, { res: Response.json({ error } satisfies ErrorBody, { status, headers: { "retry-after": String(retryAfterSeconds) } }) });
}

export function tooMany(error: string, retryAfterSeconds: number): never {
  failForNow(429, error, retryAfterSeconds);
}

export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "(body)";
    fields[key] ??= plainIssue(issue);
  }
  return fields;
}

export function onError(err: Error, c: Context): Response {
  if (err instanceof HTTPException) return err.getResponse();
  console.error("unhandled error", err);
  return c.json({ error: "Something went wrong on the server and nothing was changed. Try again in a moment." } satisfies ErrorBody, 500);
}
