/**
 * Who may go live, stop, and signal whom: pure functions over the
 * broadcast and the caller (protocol/live.ts). live.ts carries them out.
 */
import { LIVE_LIMITS, type RequestOf } from "../../protocol";
import type { RoomKind } from "./storage";
import { reject, type Participant, type Rejection } from "./rules";

/** The broadcast as the room keeps it. */
export interface Broadcast {
  userId: string;
  by: string;
  /** The broadcasting connection; null while it reconnects. */
  peer: string | null;
  startedAt: number;
  provider: "local" | "stream";
  whepUrl: string | null;
  whipUrl: string | null;
  /** Stream's live input, deleted when the broadcast ends. */
  liveInput: string | null;
  /** The recording (a lecture and its upload) and why there is none, as LIVE_STARTED tells the broadcaster. */
  recording: { lectureId: string; uploadId: string; partSize: number; recordedAt: number } | null;
  problem: string | null;
  /** When the broadcaster's connection left (peer null), so a broadcast nobody comes back to ends. */
  pausedAt?: number | null;
}

/**
 * How long a broadcast waits for its broadcaster to come back: a reload or
 * a network drop takes seconds; a closed laptop should not leave the class
 * looking at "reconnecting" for the rest of the lesson.
 */
export const PAUSE_LIMIT_MS = 2 * 60_000;

/** A viewer asks for the video again at most this often: each hello costs the broadcaster a new connection. */
export const HELLO_EVERY_MS = 5_000;

export function abandoned(live: Broadcast | null, now: number): boolean {
  return live !== null && live.peer === null && live.pausedAt != null && now - live.pausedAt > PAUSE_LIMIT_MS;
}

export type StartDecision = Rejection | { ok: true; resume: boolean };

export function decideStart(self: Participant, kind: RoomKind, live: Broadcast | null, resume: boolean): StartDecision {
  if (self.role !== "Teacher") return reject("FORBIDDEN", "Only teachers go live.");
  if (kind === "channel") return reject("FORBIDDEN", "Go live from a class room or an ad-hoc room, not the course chat.");
  if (resume) {
    if (!live) return reject("NOT_FOUND", "That broadcast has ended; go live again.");
    if (live.userId !== self.userId) return reject("FORBIDDEN", `${live.by} is live now, not you.`);
    return { ok: true, resume: true };
  }
  // Someone else's broadcast is theirs to end; your own (a reload lost it) starts over.
  if (live && live.userId !== self.userId) return reject("FORBIDDEN", `${live.by} is live already; end that broadcast first.`);
  return { ok: true, resume: false };
}

export function decideStop(self: Participant, live: Broadcast | null): Rejection | null {
  if (self.role !== "Teacher") return reject("FORBIDDEN", "Only teachers end a broadcast.");
  if (!live) return reject("NOT_FOUND", "No one is live in this room.");
  return null;
}

/**
 * A viewer signals only the broadcaster (and not past the viewer cap with a
 * hello); the broadcaster signals its viewers. Stream's viewers need no
 * signalling: they play from Stream.
 */
export function decideSignal(
  fromPeer: string,
  live: Broadcast | null,
  signal: RequestOf<"LIVE_SIGNAL">["payload"],
  viewers: ReadonlySet<string>,
  lastHello: number | undefined,
  now: number,
): Rejection | null {
  if (!live) return reject("NOT_FOUND", "No one is live in this room.");
  if (live.provider === "stream") return reject("FORBIDDEN", "This broadcast plays from Cloudflare Stream; there is nothing to signal.");
  if (live.peer === null) return reject("NOT_FOUND", "The broadcaster is reconnecting; try again in a moment.");
  if (fromPeer === live.peer) return signal.to === fromPeer ? reject("FORBIDDEN", "That is your own connection.") : null;
  if (signal.to !== live.peer) return reject("FORBIDDEN", "Viewers signal only the broadcaster.");
  if (signal.kind === "hello" && lastHello !== undefined && now - lastHello < HELLO_EVERY_MS) {
    return reject("RATE_LIMITED", "You asked for the video a moment ago; the teacher's answer is on its way.");
  }
  if (signal.kind === "hello" && !viewers.has(fromPeer) && viewers.size >= LIVE_LIMITS.localViewers) {
    return reject("FORBIDDEN", `This broadcast already has ${LIVE_LIMITS.localViewers} viewers, the most a teacher's browser serves; the class needs Cloudflare Stream for more.`);
  }
  return null;
}
