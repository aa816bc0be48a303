/**
 * Reading the runner's answer: bounded in bytes and in time, so a faulty or
 * hostile answer costs the room (or the grader) at most the limit.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CappedReadError, RUNNER_ANSWER_MAX_BYTES, readAnswerCapped, readJsonCapped } from "../../worker/lib/read-capped";

const never = () => new AbortController().signal;

/** A body sent in 1 KiB chunks, `chunks` of them, or without end. */
function streamed(chunks: number | "endless"): Response {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (chunks !== "endless" && sent >= chunks) return controller.close();
      sent += 1;
      controller.enqueue(new Uint8Array(1024).fill(0x20));
    },
  });
  return new Response(body);
}

describe("readJsonCapped", () => {
  it("parses an answer within the limit", async () => {
    expect(await readJsonCapped(new Response(JSON.stringify({ result: "42" })), 1024, never())).toEqual({ result: "42" });
  });

  it("refuses a body larger than the limit, declared or not", async () => {
    const declared = new Response("x".repeat(2048), { headers: { "content-length": "2048" } });
    await expect(readJsonCapped(declared, 1024, never())).rejects.toMatchObject({ name: "CappedReadError", reason: "too-large" });
    await expect(readJsonCapped(streamed(3), 2048, never())).rejects.toMatchObject({ reason: "too-large" });
  });

  it("stops reading a body at the limit, however long it goes on", async () => {
    await expect(readJsonCapped(streamed("endless"), 64 * 1024, never())).rejects.toMatchObject({ reason: "too-large" });
  });

  it("gives up on a body that never ends, at the deadline", async () => {
    const body = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('{"result":')) });
    const started = Date.now();
    const error = await readJsonCapped(new Response(body), 1024, AbortSignal.timeout(200)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CappedReadError);
    expect(error).toMatchObject({ reason: "timeout" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("refuses an answer that is not JSON", async () => {
    await expect(readJsonCapped(new Response("<html>"), 1024, never())).rejects.toMatchObject({ reason: "not-json" });
  });
});

describe("readAnswerCapped", () => {
  const limits = { maxBytes: 4096, timeoutMs: 300 };

  it("parses the answer's JSON body", async () => {
    expect(await readAnswerCapped(Promise.resolve(Response.json({ result: "2" })), limits)).toEqual({ result: "2" });
  });

  it.each([
    ["an error status", () => Response.json({ error: "The runner failed." }, { status: 500 }), "status"],
    ["a body over the limit", () => streamed("endless"), "too-large"],
    ["a body that never ends", () => new Response(new ReadableStream({ start: (c) => c.enqueue(new Uint8Array([0x5b])) })), "timeout"],
    ["no answer at all", () => new Promise<Response>(() => {}), "timeout"],
  ] as const)("fails with %s", async (_what, respond, reason) => {
    const started = Date.now();
    await expect(readAnswerCapped(Promise.resolve(respond()), limits)).rejects.toMatchObject({ name: "CappedReadError", reason });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("cancels the body of an answer that comes after the deadline", async () => {
    let cancelled = false;
    let late: (r: Response) => void = () => {};
    const answer = new Promise<Response>((resolve) => (late = resolve));
    await expect(readAnswerCapped(answer, { maxBytes: 4096, timeoutMs: 50 })).rejects.toMatchObject({ reason: "timeout" });
    late(new Response(new ReadableStream({ cancel: () => void (cancelled = true) })));
    await new Promise((r) => setTimeout(r, 20));
    expect(cancelled).toBe(true);
  });
});

describe("the runner's answers through the RPC binding", () => {
  it("are Responses, read within the limits like any other", async () => {
    const out = await readAnswerCapped(env.RUNNER.run({ code: "6 * 7" }), { maxBytes: RUNNER_ANSWER_MAX_BYTES, timeoutMs: 10_000 });
    expect(out).toMatchObject({ result: "42", error: null });
  });

  it("refuse a job that is not one, with an error status the reader rejects", async () => {
    const bad = { code: 42 } as unknown as { code: string };
    await expect(readAnswerCapped(env.RUNNER.run(bad), { maxBytes: RUNNER_ANSWER_MAX_BYTES, timeoutMs: 10_000 })).rejects.toMatchObject({ reason: "status" });
  });
});
