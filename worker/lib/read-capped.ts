/**
 * Reading another Worker's JSON answer without trusting its size or speed.
 *
 * `Response.json()` buffers the whole body and parses it on this isolate's
 * one thread, however large it is; a room Durable Object serves a whole
 * class from that thread. Here the body is read as a stream and abandoned
 * at a byte limit or a deadline, whichever comes first.
 */

/**
 * The runner caps each text field of its answer at 64 Ki UTF-16 units, and
 * at most three are long at once (console output, codeOutput, and result or
 * error). JSON may spend 6 bytes on one unit (`\u0001`, a lone surrogate), so
 * a legitimate answer stays under 1.2 MiB; anything larger is a fault, and is
 * not parsed on the room's thread or the grader's.
 */
export const RUNNER_ANSWER_MAX_BYTES = 2 * 1024 * 1024;

export class CappedReadError extends Error {
  constructor(
    readonly reason: "too-large" | "timeout" | "status" | "not-json",
    message: string,
  ) {
    super(message);
    this.name = "CappedReadError";
  }
}

export interface ReadLimits {
  maxBytes: number;
  timeoutMs: number;
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new CappedReadError("timeout", "No complete answer in time."));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}

/** The body of `response` parsed as JSON; throws a CappedReadError past `maxBytes` or once `signal` aborts. */
export async function readJsonCapped(response: Response, maxBytes: number, signal: AbortSignal): Promise<unknown> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new CappedReadError("too-large", `Answer of ${declared} bytes, over the ${maxBytes}-byte limit.`);
  }
  if (!response.body) throw new CappedReadError("not-json", "Empty answer.");
  const reader = response.body.getReader();
  const stop = aborted(signal);
  stop.catch(() => {}); // observed below, or never needed
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), stop]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw new CappedReadError("too-large", `Answer over the ${maxBytes}-byte limit.`);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new CappedReadError("not-json", "Answer is not valid JSON.");
  }
}

/**
 * Waits for another Worker's answer (an RPC call that resolves to a
 * Response, such as the runner's `run` and `grade`) and reads its JSON body
 * within `limits`: the deadline covers the wait and the whole body. A
 * non-2xx status is a CappedReadError too; its body is not read.
 *
 * An RPC call cannot be cancelled from here: past the deadline the caller
 * moves on, and an answer that still comes has its body cancelled unread.
 */
export async function readAnswerCapped(answer: Promise<Response>, limits: ReadLimits): Promise<unknown> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const stop = aborted(signal);
  stop.catch(() => {});
  let response: Response;
  try {
    response = await Promise.race([answer, stop]);
  } catch (error) {
    answer.then((late) => late.body?.cancel(), () => {}).catch(() => {});
    throw error;
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new CappedReadError("status", `Answered ${response.status}.`);
  }
  return readJsonCapped(response, limits.maxBytes, signal);
}
