/**
 * A live broadcast's recording, sent to the class's recording as it goes
 * (record.ts feeds it MediaRecorder's chunks): the chunks are cut into parts
 * of exactly the upload's part size (R2 allows only the last part to be
 * shorter), each part is sent once cut, and stopping sends the rest as the
 * last part, then completes the upload with the recording's length
 * (docs/api.md § Recordings). A dropped network holds parts back and sends
 * them when it returns; nothing is dropped while the page stays open.
 */
import { TransferError, backoff } from "../../files/uploader";
import { statusText } from "../../lib/error-text";

/** Cuts a growing byte stream into parts of `partSize`, always keeping at least one byte back for the last part. */
export class PartCutter {
  private pending: Blob[] = [];
  private pendingBytes = 0;
  private next = 1;

  constructor(readonly partSize: number) {}

  /** Adds recorded bytes; returns the parts now complete, in order. */
  push(chunk: Blob): { n: number; body: Blob }[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.size;
    const parts: { n: number; body: Blob }[] = [];
    while (this.pendingBytes > this.partSize) {
      const all = new Blob(this.pending);
      parts.push({ n: this.next++, body: all.slice(0, this.partSize) });
      this.pending = [all.slice(this.partSize)];
      this.pendingBytes -= this.partSize;
    }
    return parts;
  }

  /** The last part (what is left), or null when nothing was ever recorded. */
  finish(): { n: number; body: Blob } | null {
    if (this.pendingBytes === 0) return null;
    const last = { n: this.next++, body: new Blob(this.pending) };
    this.pending = [];
    this.pendingBytes = 0;
    return last;
  }
}

export interface RecordingTransport {
  sendPart(n: number, body: Blob, last: boolean): Promise<void>;
  complete(duration: number): Promise<void>;
}

export interface RecordingProgress {
  sentBytes: number;
  waitingParts: number;
  /** The connection dropped: parts wait, and go when it is back. */
  retrying: boolean;
}

/** Sends parts one after another, retrying each until it is stored. */
export class PartSender {
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;
  private sent = 0;
  private failure: Error | null = null;

  constructor(
    private readonly transport: RecordingTransport,
    private readonly onProgress: (p: RecordingProgress) => void = () => {},
    private readonly wait: (attempt: number) => Promise<void> = backoff,
  ) {}

  enqueue(n: number, body: Blob, last = false): Promise<void> {
    this.waiting += 1;
    this.report(false);
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      for (let attempt = 1; ; attempt++) {
        try {
          await this.transport.sendPart(n, body, last);
          break;
        } catch (error) {
          const retry = !(error instanceof TransferError) || error.retry;
          if (!retry || attempt > 40) {
            this.failure = error instanceof Error ? error : new Error(String(error));
            return;
          }
          this.report(true);
          await this.wait(attempt);
        }
      }
      this.waiting -= 1;
      this.sent += body.size;
      this.report(false);
    });
    return this.chain;
  }

  /** Waits for every queued part, then completes; throws what stopped the parts, if anything did. */
  async finish(duration: number): Promise<void> {
    await this.chain;
    if (this.failure) throw this.failure;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transport.complete(duration);
      } catch (error) {
        if ((error instanceof TransferError && !error.retry) || attempt > 40) throw error;
        await this.wait(attempt);
      }
    }
  }

  private report(retrying: boolean): void {
    this.onProgress({ sentBytes: this.sent, waitingParts: this.waiting, retrying });
  }
}

/** The HTTP side: the open-ended upload's parts and its completion. */
export function recordingTransport(uploadId: string): RecordingTransport {
  const check = async (res: Response) => {
    if (res.ok) return;
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new TransferError(body.error ?? `The recording could not be saved. ${statusText(res.status)}`, res.status === 408 || res.status === 429 || res.status >= 500);
  };
  const send = async (url: string, init: RequestInit) => {
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch {
      throw new TransferError("The connection dropped.", true);
    }
    await check(res);
  };
  return {
    sendPart: (n, body, last) => send(`/api/uploads/${uploadId}/parts/${n}${last ? "?last=1" : ""}`, { method: "PUT", body }),
    complete: (duration) => send(`/api/uploads/${uploadId}/complete`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ duration }) }),
  };
}
