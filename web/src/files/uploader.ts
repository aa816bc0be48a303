/**
 * Resumable upload of one file in parts (docs/api.md § Multipart, resumable).
 * The transport does the HTTP; this decides what to send next, and after a
 * failure asks the server which parts it has and sends only the rest, so a
 * dropped network or a reload costs at most the parts that were in flight.
 */
import type { CourseFile } from "../../../protocol";
import { RateMeter } from "./rate";
import { FILES_TEXT } from "./strings";

export interface UploadState {
  uploadId: string;
  partSize: number;
  /** Part numbers the server has confirmed. */
  parts: number[];
}

/** Why a request failed: `retry` for network drops and server trouble, `fatal` for an answer that will not change. */
export class TransferError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
  ) {
    super(message);
  }
}

/** `T`: what a completed upload becomes (a course file, a lecture). */
export interface UploadTransport<T = CourseFile> {
  start(): Promise<UploadState>;
  /** The upload as the server knows it; null when it no longer exists (completed, aborted or expired). */
  status(uploadId: string): Promise<UploadState | null>;
  /** Sends one part; `onBytes` reports how much of it has left the browser so far. */
  sendPart(uploadId: string, n: number, body: Blob, onBytes: (sent: number) => void): Promise<void>;
  complete(uploadId: string): Promise<T>;
}

export interface UploadProgress {
  sent: number;
  total: number;
  /** Null until there is enough to go on. */
  bytesPerSecond: number | null;
  secondsLeft: number | null;
  /** `waiting`: the connection dropped; the upload resumes by itself. */
  phase: "uploading" | "waiting" | "finishing";
}

export interface UploadOptions<T = CourseFile> {
  transport: UploadTransport<T>;
  /** An upload started earlier for this same file (after a reload), to resume rather than restart. */
  resumeId?: string | null;
  /** Called once the server has an upload id, so a reload can resume it. */
  onStarted?: (uploadId: string) => void;
  onProgress?: (p: UploadProgress) => void;
  /** Parts in flight at once: enough to fill a link, few enough that a drop loses little. */
  concurrency?: number;
  /** Waits after the nth consecutive failure; resolves early when the browser comes back online. */
  wait?: (attempt: number) => Promise<void>;
  now?: () => number;
  signal?: AbortSignal;
}

/** Consecutive failed rounds before giving up: with the default waits, about four minutes offline. */
export const MAX_ROUNDS = 20;

export async function uploadInParts<T = CourseFile>(file: Blob, options: UploadOptions<T>): Promise<T> {
  const { transport, concurrency = 3, wait = backoff, now = () => Date.now() } = options;
  let state = (options.resumeId ? await transport.status(options.resumeId).catch(() => null) : null) ?? (await transport.start());
  options.onStarted?.(state.uploadId);
  const total = file.size;
  const partCount = Math.max(1, Math.ceil(total / state.partSize));
  const partBytes = (n: number) => (n < partCount ? state.partSize : total - state.partSize * (partCount - 1));
  const meter = new RateMeter(now);
  const inFlight = new Map<number, number>();
  let confirmed = 0;
  let phase: UploadProgress["phase"] = "uploading";

  const report = () => {
    let sent = confirmed;
    for (const bytes of inFlight.values()) sent += bytes;
    const bytesPerSecond = meter.sample(sent);
    options.onProgress?.({
      sent,
      total,
      bytesPerSecond,
      secondsLeft: bytesPerSecond ? (total - sent) / bytesPerSecond : null,
      phase,
    });
  };

  for (let failures = 0; ; ) {
    options.signal?.throwIfAborted();
    const have = new Set(state.parts);
    confirmed = state.parts.reduce((sum, n) => sum + partBytes(n), 0);
    const missing = Array.from({ length: partCount }, (_, i) => i + 1).filter((n) => !have.has(n));
    phase = "uploading";
    report();
    // Set by whichever part fails first; the others finish what they are sending and stop.
    const round: { failure: TransferError | null } = { failure: null };
    const next = () => (round.failure ? undefined : missing.shift());
    const worker = async () => {
      for (let n = next(); n !== undefined; n = next()) {
        const part = n;
        inFlight.set(part, 0);
        try {
          await transport.sendPart(state.uploadId, part, file.slice((part - 1) * state.partSize, (part - 1) * state.partSize + partBytes(part)), (bytes) => {
            inFlight.set(part, bytes);
            report();
          });
          confirmed += partBytes(part);
          failures = 0;
        } catch (error) {
          round.failure = asTransferError(error);
        } finally {
          inFlight.delete(part);
          report();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, missing.length) }, worker));
    if (!round.failure) {
      phase = "finishing";
      report();
      try {
        return await transport.complete(state.uploadId);
      } catch (error) {
        round.failure = asTransferError(error);
      }
    }
    let problem = round.failure;
    phase = "waiting";
    // Ask rather than assume, and send nothing until the server answers: a
    // part whose answer was lost may have arrived, and resending it blind
    // over a flaky link costs the most where the link is worst.
    for (;;) {
      if (!problem.retry || ++failures > MAX_ROUNDS) throw problem;
      report();
      await wait(failures);
      options.signal?.throwIfAborted();
      try {
        const fresh = await transport.status(state.uploadId);
        if (!fresh) throw new TransferError(FILES_TEXT.expired, false);
        state = fresh;
        break;
      } catch (error) {
        problem = asTransferError(error);
      }
    }
  }
}

function asTransferError(error: unknown): TransferError {
  if (error instanceof TransferError) return error;
  if (error instanceof DOMException && error.name === "AbortError") throw error;
  return new TransferError(error instanceof Error ? error.message : String(error), true);
}

/** 1, 2, 4, 8, then every 15 s; sooner when the browser says it is back online. */
export function backoff(attempt: number): Promise<void> {
  const ms = Math.min(15_000, 1000 * 2 ** (attempt - 1));
  // A window in the browser; no `online` event elsewhere (the tests' workerd).
  const events = globalThis as unknown as Partial<EventTarget>;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      events.removeEventListener?.("online", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    events.addEventListener?.("online", done);
  });
}
