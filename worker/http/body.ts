/**
 * Request bodies under a size cap: JSON bodies read with a byte count that
 * stops at the cap, and raw bodies passed on to R2 as exactly their declared
 * length. Neither trusts Content-Length: it can be absent (chunked) or smaller
 * than what follows, so the bytes are counted as they arrive.
 */
import type { Context } from "hono";
import type { z } from "zod";
import { UNPAIRED_SURROGATE, hasUnpairedSurrogate } from "../../protocol";
import { fail, fieldErrors } from "./errors";

const tooLarge = (maxBytes: number): never => fail(413, `Body is larger than ${maxBytes} bytes.`);

/**
 * The body's bytes, read until the end or until they pass `maxBytes`; then
 * the stream is cancelled, so a body of any size costs at most the cap in
 * memory, and the answer is 413.
 */
async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** The raw body of at most `maxBytes` (413 past that, whatever Content-Length said). */
export function readBytes(c: Context, maxBytes: number): Promise<Uint8Array> {
  if (Number(c.req.header("content-length") ?? "0") > maxBytes) tooLarge(maxBytes);
  return readCapped(c.req.raw.body, maxBytes);
}

/** Reads a JSON request body of at most `maxBytes`, then validates it with a schema. An empty body is `{}`. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S, maxBytes = 16 * 1024): Promise<z.infer<S>> {
  // A declared size over the cap is refused before anything is read.
  const text = new TextDecoder().decode(await readBytes(c, maxBytes));
  let data: unknown;
  try {
    data = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    fail(400, "Body is not valid JSON.");
  }
  if (hasUnpairedSurrogate(text, data)) fail(400, UNPAIRED_SURROGATE);
  const parsed = schema.safeParse(data);
  if (!parsed.success) fail(400, "Some fields are invalid.", fieldErrors(parsed.error));
  return parsed.data;
}

/**
 * Hands `store` the request body as a stream of exactly `length` bytes (the
 * caller has checked the declared Content-Length against its limits), and
 * answers 400 if the body turns out longer or shorter.
 *
 * R2 takes a stream only when its length is known; a FixedLengthStream makes
 * it known whatever the request says, and fails the write when the bytes do
 * not match, so R2 keeps nothing
 * (https://developers.cloudflare.com/workers/runtime-apis/streams/transformstream/#fixedlengthstream).
 * The count in front of it stops reading, and cancels the body, at the first
 * byte past `length`: a Content-Length smaller than the body cannot make R2
 * hold more than was declared, nor pass a size or quota check.
 */
export async function withExactBody<T>(c: Context, length: number, store: (body: ReadableStream<Uint8Array>) => Promise<T>): Promise<T> {
  let received = 0;
  let ended = false;
  const counted = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      received += chunk.byteLength;
      if (received > length) throw new RangeError("request body longer than its Content-Length");
      controller.enqueue(chunk);
    },
    flush() {
      ended = true;
    },
  });
  const exact = new FixedLengthStream(length);
  // A failure here surfaces in `store`, through the stream it breaks.
  (c.req.raw.body ?? new Blob([]).stream()).pipeThrough(counted).pipeTo(exact.writable).catch(() => {});
  try {
    return await store(exact.readable);
  } catch (error) {
    if (received > length) fail(400, `The body is longer than its Content-Length of ${length} bytes; nothing was stored.`);
    if (ended && received < length) fail(400, "The body ended before its Content-Length; nothing was stored.");
    throw error;
  }
}
