/**
 * The room fuzzer's plumbing: raw sockets that keep every frame (even one
 * that is not JSON), and lower bounds on the room's token buckets so the
 * fuzzer knows when a refusal with RATE_LIMITED is possible and when it
 * would be a bug.
 */
import type { Account } from "./users";

export type Received = Record<string, unknown> & { responseType?: string };

export class FuzzSocket {
  /** When the latest frame went out, on any socket: the room read it no sooner. */
  static lastSentAt = 0;
  readonly inbox: Received[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiter: (() => void) | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      const data = event.data;
      let frame: Received;
      try {
        frame = JSON.parse(typeof data === "string" ? data : "null") as Received;
      } catch {
        frame = { notJson: String(data) };
      }
      this.inbox.push(frame ?? { binary: true });
      this.waiter?.();
    });
    ws.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.waiter?.();
    });
  }

  static async open(roomId: string, account: Account): Promise<FuzzSocket> {
    const res = await account.fetch(`/api/rooms/${roomId}/ws`, { headers: { Upgrade: "websocket" } });
    if (!res.webSocket) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
    res.webSocket.accept();
    return new FuzzSocket(res.webSocket);
  }

  send(raw: string | ArrayBuffer): void {
    FuzzSocket.lastSentAt = Date.now();
    this.ws.send(raw);
  }

  /** The next `count` frames, or what arrived by the deadline. */
  async take(count: number, timeoutMs: number): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length < count && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    return this.inbox.splice(0, count);
  }
}

/**
 * A lower bound on a token bucket's tokens. The room reads its clock when it
 * handles a frame, which is after this side sent it and before the answer
 * arrived: refilling from the last answer to the next send never counts a
 * token the room has not got.
 */
export class BucketBound {
  private tokens: number;
  private at: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }

  /** Tokens the room surely has at `now`. */
  surely(now: number): number {
    return Math.min(this.burst, this.tokens + (Math.max(0, now - this.at) / 1000) * this.perSecond);
  }

  /** After a frame that drew `count` tokens from this bucket was answered at `answeredAt`: `took` says whether they were there. */
  spend(sentAt: number, answeredAt: number, took: boolean, count = 1): void {
    this.tokens = took ? Math.max(0, this.surely(sentAt) - count) : 0;
    this.at = answeredAt;
  }

  /** Milliseconds until the bound reaches `want` tokens. */
  waitFor(want: number, now: number): number {
    const have = this.surely(now);
    return have >= want ? 0 : Math.ceil(((want - have) / this.perSecond) * 1000) + 5;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Shortens a frame for a failure message: the seed replays it in full. */
export function preview(raw: string | ArrayBuffer): string {
  if (typeof raw !== "string") return `<binary ${raw.byteLength} bytes>`;
  return raw.length > 300 ? `${JSON.stringify(raw.slice(0, 300))}… (${raw.length} chars)` : JSON.stringify(raw);
}
