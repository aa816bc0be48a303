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

/** Token buckets a rate-limited action draws from, per connection. */
export const RATE_CLASSES = {
  /** Chat, questions and hands: people typing at people. */
  messages: {
    burst: CHAT_LIMITS.burst,
    perSecond: CHAT_LIMITS.perSecond,
    error_message: `Slow down: at most ${CHAT_LIMITS.burst} messages at once, then ${CHAT_LIMITS.perSecond} per second.`,
  },
} as const;
export type RateClass = keyof typeof RATE_CLASSES;

type Handler<C, A extends Action> = (caller: C, request: RequestOf<A>) => Outcome | Promise<Outcome>;

export type ActionSpec<A extends Action> = A extends "JOIN"
  ? { joined: false; rate: null; handle: Handler<Arrival, A> }
  : { joined: true; rate: RateClass | null; handle: Handler<Caller, A> };

/** Exactly one entry per protocol action: adding an action to the protocol fails the build until it is here. */
export type ActionTable = { [A in Action]: ActionSpec<A> };
