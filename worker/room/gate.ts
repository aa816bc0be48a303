/**
 * The one way into the room's actions: parse and validate the frame, look the
 * action up in the table, check the sender has joined (as who they say, in
 * this room), take a token from its rate-limit bucket, run the handler, and
 * answer any refusal or failure with an ERROR naming the request.
 */
import { CLOSE_CODES, LIMITS, errorContext, parseClientFrame, type Action, type ClientMessage } from "../../protocol";
import { RATE_CLASSES, type ActionSpec, type ActionTable, type Outcome, type RateClass } from "./actions";
import { TokenBucket } from "./rate-limit";
import { decideAction, reject } from "./rules";
import type { RoomSockets } from "./sockets";

/**
 * Frames of any kind one person may send to the room, over all their
 * connections: far above what a person does (typing in chat, running and
 * sharing code), far below what stalls a room.
 */
export const FRAME_BUDGET = {
  burst: 200,
  perSecond: 100,
  error_message: "Too many frames: at most 200 at once, then 100 per second. This connection is closed; reconnect to go on.",
} as const;

/**
 * Characters of frames one person may send, over all their connections. The
 * frame budget counts frames, and a frame may be 1 MiB: parsing and checking
 * a few of those a second took the room's one thread for seconds. Pasting a
 * whole document, running it and sharing it fit in the burst.
 */
export const BYTE_BUDGET = {
  burst: 4 * 1024 * 1024,
  perSecond: 1024 * 1024,
  error_message: "Too much data: at most 4 MiB at once, then 1 MiB per second. This connection is closed; reconnect to go on.",
} as const;

export class RoomGate {
  /**
   * Per rate class, per account: a new connection finds the bucket its
   * predecessor left, so reconnecting refills nothing. Kept in memory only:
   * the object is evicted only after its sockets fall quiet, and a quiet
   * account's bucket would have refilled by then anyway.
   */
  private readonly buckets = new Map<RateClass | "frames" | "bytes", Map<string, TokenBucket>>();

  constructor(
    private readonly table: ActionTable,
    private readonly sockets: RoomSockets,
  ) {}

  async dispatch(ws: WebSocket, raw: string | ArrayBuffer, now: number): Promise<void> {
    // Before anything else, even parsing: a socket that floods the room with
    // frames of any kind, valid or not, is cut off rather than served.
    // A frame over the size cap is refused unread (step 1), so it costs no more than one at the cap.
    const size = Math.min(LIMITS.maxFrameBytes, typeof raw === "string" ? raw.length : raw.byteLength);
    const over = !this.take("frames", ws, now, FRAME_BUDGET) ? FRAME_BUDGET : !this.take("bytes", ws, now, BYTE_BUDGET, size) ? BYTE_BUDGET : null;
    if (over) {
      this.sockets.sendError(ws, "RATE_LIMITED", over.error_message);
      return ws.close(CLOSE_CODES.tooManyFrames, over === FRAME_BUDGET ? "Too many frames" : "Too much data");
    }
    const parsed = parseClientFrame(raw);
    if (!parsed.ok) {
      const { code, error_message, action, clientId } = parsed;
      return this.sockets.sendError(ws, code, error_message, { ...(action ? { action } : {}), ...(clientId ? { clientId } : {}) });
    }
    const message = parsed.message;
    let outcome: Outcome;
    try {
      outcome = await this.route(ws, message, now);
    } catch (error) {
      // Log the detail for operators; the client only learns that it failed.
      console.error("room: action failed", message.action, error);
      outcome = reject("INTERNAL", "Something went wrong in the room; nothing was changed. Try again.");
    }
    if (outcome) this.sockets.sendError(ws, outcome.code, outcome.error_message, errorContext(message));
  }

  private route(ws: WebSocket, message: ClientMessage, now: number): Outcome | Promise<Outcome> {
    const { roomId, verified, participant } = this.sockets.attachment(ws);
    // The table's type ties each action to its request; indexing by a union loses that link once, here.
    const spec = this.table[message.action] as ActionSpec<Action>;
    const limit = spec.rate ? RATE_CLASSES[spec.rate] : null;
    const exempt = limit && "studentsOnly" in limit && participant?.role === "Teacher";
    const limited = spec.rate && !exempt && !this.take(spec.rate, ws, now, limit!);
    if (!spec.joined) {
      if (limited) return reject("RATE_LIMITED", RATE_CLASSES[spec.rate!].error_message);
      return (spec as ActionSpec<"JOIN">).handle({ ws, roomId, verified, self: participant, now }, message as never);
    }
    const decision = decideAction(message, participant, roomId, verified.name);
    if (!decision.ok) return decision;
    if (limited) return reject("RATE_LIMITED", RATE_CLASSES[spec.rate!].error_message);
    return (spec as ActionSpec<"SHARE">).handle({ ws, self: decision.self, roomId, now }, message as never);
  }

  /** Counts one against the sender's bucket of that class; false means refused (and nothing else happens). */
  private take(rate: RateClass | "frames" | "bytes", ws: WebSocket, now: number, limit: { burst: number; perSecond: number }, count = 1): boolean {
    const account = this.sockets.attachment(ws).verified.userId;
    let perAccount = this.buckets.get(rate);
    if (!perAccount) this.buckets.set(rate, (perAccount = new Map()));
    let bucket = perAccount.get(account);
    if (!bucket) perAccount.set(account, (bucket = new TokenBucket(limit.burst, limit.perSecond, now)));
    return bucket.take(now, count);
  }
}
