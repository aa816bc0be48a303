/** Reads a JSON request body with a size cap, then validates it with a schema. */
import type { Context } from "hono";
import type { z } from "zod";
import { fail, fieldErrors } from "./errors";

export async function readJson<S extends z.ZodType>(c: Context, schema: S, maxBytes = 16 * 1024): Promise<z.infer<S>> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > maxBytes) fail(413, `Body is larger than ${maxBytes} bytes.`);
  const text = await c.req.text();
  // content-length can be absent (chunked) or wrong: measure what arrived.
  if (new TextEncoder().encode(text).byteLength > maxBytes) fail(413, `Body is larger than ${maxBytes} bytes.`);
  let data: unknown;
  try {
    data = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    fail(400, "Body is not valid JSON.");
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) fail(400, "Some fields are invalid.", fieldErrors(parsed.error));
  return parsed.data;
}
