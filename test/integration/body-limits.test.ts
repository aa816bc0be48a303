/**
 * Body size caps hold however the body is sent: with no Content-Length
 * (chunked) or with one that is smaller than the body, a JSON route reads at
 * most its cap and then stops reading; a file upload stores exactly its
 * declared length or nothing.
 */
import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { courseWorld } from "../helpers/courses";
import { BASE, PASSWORD, type Account } from "../helpers/users";

const KiB = 1024;
const MiB = 1024 * KiB;
const JSON_CAP = 16 * KiB;

/**
 * A body produced on demand, `total` bytes in 4 KiB chunks (after `prefix`),
 * that records how much of it the server pulled and whether it was cancelled.
 * Pulled lazily, so `sent` shows what the server asked for, plus what the
 * pipe between the test and the Worker buffers.
 */
function sentOnDemand(total: number, prefix: Uint8Array = new Uint8Array()) {
  const probe = { sent: 0, cancelled: false };
  const filler = new Uint8Array(4 * KiB).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (prefix.byteLength) controller.enqueue(prefix);
      probe.sent += prefix.byteLength;
    },
    pull(controller) {
      if (probe.sent >= total) return controller.close();
      const chunk = filler.subarray(0, Math.min(filler.byteLength, total - probe.sent));
      probe.sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      probe.cancelled = true;
    },
  });
  return { stream, probe };
}

const signUpBody = (name: string) =>
  new TextEncoder().encode(JSON.stringify({ email: `${name}.${crypto.randomUUID().slice(0, 8)}@example.com`, password: PASSWORD, name }));

// workerd gives a stream body no Content-Length unless the headers name one.
const postStream = (path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  SELF.fetch(`${BASE}${path}`, { method: "POST", headers: { Origin: BASE, ...headers }, body, duplex: "half" } as RequestInit);

describe("JSON bodies", () => {
  it("refuses a chunked body over the cap with 413, having read no more than about the cap", async () => {
    const { stream, probe } = sentOnDemand(8 * MiB);
    const res = await postStream("/api/auth/signup", stream);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: `Body is larger than ${JSON_CAP} bytes.` });
    // The cap plus what the pipe holds, never the whole 8 MiB.
    expect(probe.sent).toBeLessThan(JSON_CAP + 256 * KiB);
    expect(probe.cancelled).toBe(true);
  });

  it("takes a chunked body under the cap", async () => {
    const body = signUpBody("Chunked");
    const { stream } = sentOnDemand(body.byteLength, body);
    const res = await postStream("/api/auth/signup", stream);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ user: expect.objectContaining({ name: "Chunked" }) });
  });

  it("counts the bytes when Content-Length says less than the body holds", async () => {
    const body = signUpBody("Liar");
    const { stream, probe } = sentOnDemand(8 * MiB, body);
    const res = await postStream("/api/auth/signup", stream, { "content-length": String(body.byteLength) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: `Body is larger than ${JSON_CAP} bytes.` });
    expect(probe.sent).toBeLessThan(JSON_CAP + 256 * KiB);
  });

  it("still refuses a declared Content-Length over the cap before reading", async () => {
    const { stream, probe } = sentOnDemand(JSON_CAP + 1);
    const res = await postStream("/api/auth/signup", stream, { "content-length": String(JSON_CAP + 1) });
    expect([res.status, await res.json()]).toEqual([413, { error: `Body is larger than ${JSON_CAP} bytes.` }]);
    expect(probe.sent).toBeLessThan(JSON_CAP);
  });
});

describe("file uploads with a Content-Length that does not match the body", () => {
  const r2Sizes = async (courseId: string) => (await env.FILES.list({ prefix: `courses/${courseId}/` })).objects.map((o) => o.size);
  /** Sends `stream` as the body of `method path`, declaring `declared` bytes. */
  const send = (who: Account, method: string, path: string, declared: number, stream: ReadableStream) =>
    who.fetch(path, { method, headers: { "content-length": String(declared) }, body: stream, duplex: "half" } as RequestInit);

  it("refuses a body longer than declared (400) and stores nothing, reading little past the declared length", async () => {
    const w = await courseWorld();
    const { stream, probe } = sentOnDemand(8 * MiB);
    const res = await send(w.ta, "POST", `/api/courses/${w.courseId}/files?name=long.bin`, 100, stream);
    expect([res.status, await res.json()]).toEqual([400, { error: "The body is longer than its Content-Length of 100 bytes; nothing was stored." }]);
    expect(probe.sent).toBeLessThan(256 * KiB);
    expect(await r2Sizes(w.courseId)).toEqual([]);
  });

  it("refuses a body shorter than declared (400) and stores nothing", async () => {
    const w = await courseWorld();
    const { stream } = sentOnDemand(100);
    const res = await send(w.ta, "POST", `/api/courses/${w.courseId}/files?name=short.bin`, 1000, stream);
    expect([res.status, await res.json()]).toEqual([400, { error: "The body ended before its Content-Length; nothing was stored." }]);
    expect(await r2Sizes(w.courseId)).toEqual([]);
  });

  it("stores a streamed body that matches its Content-Length", async () => {
    const w = await courseWorld();
    const { stream } = sentOnDemand(100 * KiB);
    const res = await send(w.ta, "POST", `/api/courses/${w.courseId}/files?name=exact.bin`, 100 * KiB, stream);
    expect([res.status, ((await res.json()) as { size: number }).size]).toEqual([201, 100 * KiB]);
    expect(await r2Sizes(w.courseId)).toEqual([100 * KiB]);
  });

  it("refuses a multipart part longer than declared (400), so a part cannot outgrow the upload's size", async () => {
    const w = await courseWorld();
    const started = await w.ta.json<{ uploadId: string }>("POST", `/api/courses/${w.courseId}/uploads`, { name: "parts.bin", size: 100 });
    const { stream, probe } = sentOnDemand(8 * MiB);
    const res = await send(w.ta, "PUT", `/api/uploads/${started.body.uploadId}/parts/1`, 100, stream);
    expect([res.status, await res.json()]).toEqual([400, { error: "The body is longer than its Content-Length of 100 bytes; nothing was stored." }]);
    expect(probe.sent).toBeLessThan(256 * KiB);
    expect((await w.ta.json("GET", `/api/uploads/${started.body.uploadId}`)).body).toMatchObject({ parts: [] });
  });

  it("refuses a multipart part shorter than declared (400) and records nothing", async () => {
    const w = await courseWorld();
    const started = await w.ta.json<{ uploadId: string }>("POST", `/api/courses/${w.courseId}/uploads`, { name: "parts.bin", size: 1000 });
    const { stream } = sentOnDemand(100);
    const res = await send(w.ta, "PUT", `/api/uploads/${started.body.uploadId}/parts/1`, 1000, stream);
    expect([res.status, await res.json()]).toEqual([400, { error: "The body ended before its Content-Length; nothing was stored." }]);
    expect((await w.ta.json("GET", `/api/uploads/${started.body.uploadId}`)).body).toMatchObject({ parts: [] });
  });
});
