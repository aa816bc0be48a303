/**
 * The room's actions as one typed table: for each action of the protocol,
 * whether it needs a JOIN first, which rate-limit bucket it draws from, and
 * its handler. The gate (gate.ts) applies the first two for every action
 * alike, so no handler repeats them; a handler only decides its own rules
 * and returns a rejection (the gate sends the ERROR) or nothing.
 */
import { CHAT_LIMITS, type Action, type RequestOf } from "../../protocol";
import type { Participant, Rejection, VerifiedIdentity } from "./rules";

/** The sender of a request that needs a JOIN: joined, checked, on this socket. */
export interface Caller {
  ws: WebSocket;
  self: Participant;
  /** The room this socket was opened for. */
  roomId: string;
  now: number;
}

/** The sender of a JOIN: who the gateway verified, not yet in the room. */
export interface Arrival {
  ws: WebSocket;
  roomId: string;
  verified: VerifiedIdentity;
  /** Who this socket has joined as already, if anyone. */
  self: Participant | null;
  now: number;
}

/** A handler returns nothing when done, or why it refused (nothing changed). */
export type Outcome = Rejection | null | void;

/**
 * Token buckets, per account in the room (they survive reconnecting): each action draws from its class's bucket.
 * A Durable Object runs one handler at a time (~1,000 requests/s in all:
 * https://developers.cloudflare.com/durable-objects/platform/limits/), so
 * any action one socket may repeat without limit is a way to stall the room.
 */
export const RATE_CLASSES = {
  /** Chat, questions and hands: people typing at people. */
  messages: {
    burst: CHAT_LIMITS.burst,
    perSecond: CHAT_LIMITS.perSecond,
    error_message: `Slow down: at most ${CHAT_LIMITS.burst} messages at once, then ${CHAT_LIMITS.perSecond} per second.`,
  },
  /** JOIN and LEAVE: each is a write and a notice to everyone; a client needs one per connection. */
  presence: { burst: 5, perSecond: 0.5, error_message: "Slow down: at most 5 joins or leaves at once, then one every 2 seconds." },
  /** HISTORY and BOARD: small requests with large answers. */
  reads: { burst: 5, perSecond: 1, error_message: "Slow down: at most 5 history or board requests at once, then 1 per second." },
  /**
   * RUN and SHARE by students: code, up to 512 Ki characters each, stored and
   * relayed. Staff are not held to it: a teacher pushing code to the class is
   * the room's main job, and staff are bound by the frame budget alone.
   */
  code: { burst: 20, perSecond: 10, studentsOnly: true, error_message: "Slow down: at most 20 runs or shares at once, then 10 per second." },
  /**
   * DOC_PUSH and DOC_PULL: an editor sends its changes in batches as one
   * types (a few a second) and pulls once per document after a reconnect.
   */
  typing: { burst: 60, perSecond: 30, error_message: "Slow down: at most 60 editor changes at once, then 30 per second." },
  /**
   * DOC_SUBSCRIBE and DOC_HISTORY: a page opening editors (again after each
   * reconnect, and as the teacher scrolls the grid) and playback loading a
   * long log page by page. Each answer is at most the snapshots of the
   * documents new to the set, or 500 changes.
   */
  views: { burst: 20, perSecond: 4, error_message: "Slow down: at most 20 editor openings or playback pages at once, then 4 per second." },
  /**
   * LIVE_SIGNAL: a viewer's hello, answer and a few ICE candidates; the
   * broadcaster's offer to each viewer. A class of 25 joining at once fits the burst.
   */
  signals: { burst: 120, perSecond: 30, error_message: "Slow down: at most 120 live video signals at once, then 30 per second." },
} as const;
export type RateClass = keyof typeof RATE_CLASSES;

type Handler<C, A extends Action> = (caller: C, request: RequestOf<A>) => Outcome | Promise<Outcome>;

export type ActionSpec<A extends Action> = A extends "JOIN"
  ? { joined: false; rate: RateClass | null; handle: Handler<Arrival, A> }
  : { joined: true; rate: RateClass | null; handle: Handler<Caller, A> };

/** Exactly one entry per protocol action: adding an action to the protocol fails the build until it is here. */
export type ActionTable = { [A in Action]: ActionSpec<A> };
