/**
 * The room's numbered events: each change takes the next sequence number,
 * is logged (with a staff variant where staff see more) in the same
 * transaction as the change, and is sent to everyone present. A client that
 * reconnects with the last number it saw is replayed what it missed.
 */
import { CHAT_LIMITS, type ServerMessage } from "../../protocol";
import type { RoomSockets } from "./sockets";
import type { RoomStore } from "./storage";

export interface EventFrames {
  /** What students see (and staff too, unless `staff` is given). */
  all: ServerMessage;
  staff?: ServerMessage;
}

export class RoomEvents {
  constructor(
    private readonly store: RoomStore,
    private readonly sockets: RoomSockets,
  ) {}

  publish(now: number, change: (seq: number) => EventFrames): void {
    const { frame, staffFrame } = this.store.logged((seq) => {
      const frames = change(seq);
      return { frame: JSON.stringify(frames.all), ...(frames.staff ? { staffFrame: JSON.stringify(frames.staff) } : {}) };
    }, now);
    for (const p of this.sockets.present()) {
      this.sockets.sendRaw(p.ws, p.participant.role === "Teacher" && staffFrame ? staffFrame : frame);
    }
  }

  /**
   * Replays the events after `lastSeq`, in order, exactly once. Returns false
   * (and sends nothing) when more were missed than are worth replaying; the
   * caller then sends fresh snapshots instead.
   */
  replay(ws: WebSocket, lastSeq: number, staff: boolean): boolean {
    const frames = this.store.eventsAfter(lastSeq, CHAT_LIMITS.maxReplay + 1, staff);
    if (frames.length > CHAT_LIMITS.maxReplay) return false;
    // Each event may carry up to 64 KiB of code: count bytes too, so one JOIN
    // cannot ask for megabytes (JavaScript length is a fair stand-in for bytes here).
    if (frames.reduce((n, f) => n + f.length, 0) > CHAT_LIMITS.maxReplayBytes) return false;
    for (const frame of frames) this.sockets.sendRaw(ws, frame);
    return true;
  }
}
