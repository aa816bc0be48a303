/**
 * Who is in the room: JOIN (with the resume of a reconnecting client), LEAVE,
 * and leaving by closing the socket or being sent out. The roster goes to
 * the joiner in full, once; everyone else hears only who came or went.
 */
import { ACCESS_REASONS, CLOSE_CODES, type RequestOf } from "../../protocol";
import { tokenMatches } from "../lib/secrets";
import type { Arrival, Caller, Outcome } from "./actions";
import type { RoomBoard } from "./board";
import type { RoomChat } from "./chat";
import type { RoomEvents } from "./events";
import { classHours, closedMessage } from "./hours";
import { decideJoin, type Participant, type VerifiedIdentity } from "./rules";
import type { SeatStore } from "./seats";
import type { RoomSockets } from "./sockets";
import type { RoomStore } from "./storage";

export class RoomPresence {
  constructor(
    private readonly store: RoomStore,
    private readonly sockets: RoomSockets,
    private readonly events: RoomEvents,
    private readonly chat: RoomChat,
    private readonly board: RoomBoard,
    private readonly seats: SeatStore,
    private readonly stillAllowed: (verified: VerifiedIdentity) => Promise<boolean>,
    /** Tells a joiner the editors' modes (docs.ts). */
    private readonly greetDocs: (ws: WebSocket) => void,
  ) {}

  readonly join = async ({ ws, roomId, verified, self }: Arrival, message: RequestOf<"JOIN">): Promise<Outcome> => {
    // The role came from the course when the socket opened; it may have been
    // taken away since (the close reaches the client, as a dismissal would).
    if (!(await this.stillAllowed(verified))) return this.sendOut(ws, CLOSE_CODES.accessChanged, ACCESS_REASONS.changed);
    const room = this.store.room();
    const token = message.payload.token;
    const tokenValid = Boolean(
      room?.kind === "adhoc" && message.payload.role === "Teacher" && token && (await tokenMatches(token, room.tokenHash)),
    );

    // Everything from here on is synchronous, so no other message can slip
    // between the check (role free, name unique) and taking the role.
    const now = Date.now();
    const hours = classHours(room, now);
    // A room never created has no tables; its JOIN is refused below anyway.
    const label = room ? this.seats.labelFor(verified.userId, verified.name) : verified.name;
    const others: Participant[] = [];
    for (const p of this.sockets.present()) if (p.ws !== ws) others.push(p.participant);
    const decision = decideJoin(message, {
      socketRoomId: roomId,
      roomExists: room !== null,
      // A course channel admits staff and students like a class room, at any time.
      kind: room?.kind === "channel" ? "class" : (room?.kind ?? "adhoc"),
      open: hours?.open ?? true,
      closedMessage: hours ? closedMessage(hours, now) : "",
      tokenValid,
      verified,
      others,
      // An earlier JOIN on this socket: read again, the token check above may have let another message in.
      self: this.sockets.attachment(ws).participant ?? self,
      label,
      now,
    });
    if (!decision.ok) return decision;
    this.seats.take(verified.userId, verified.name, label);

    const { identity } = decision;
    for (const stale of [...this.sockets.present()].filter((p) => decision.replaces.includes(p.participant))) {
      this.sockets.setParticipant(stale.ws, null);
      stale.ws.close(CLOSE_CODES.replaced, "Replaced by a newer connection");
      // The same seat again needs no LEAVE (the JOIN notice replaces it); a seat
      // in the other role would stay in everyone's roster without one.
      if (stale.participant.role !== identity.role) this.announceLeave(stale.participant);
    }
    this.sockets.setParticipant(ws, identity);
    const seq = this.store.recordJoin(identity.username, identity.role, identity.joinedAt);
    const roster = this.sockets.roster();
    const view = roster.view(this.store.roomId());
    const role = identity.role;
    this.sockets.send(ws, {
      responseType: "JOIN",
      room: { ...view, sharedCode: this.store.room()?.sharedCode ?? "" },
      payload: { role, you: identity.username, roster: roster.list() },
      seq,
    });
    this.sockets.broadcast({ responseType: "JOIN", room: view, payload: { role, username: identity.username }, seq }, (_p, to) => to !== ws);
    if (hours) this.sockets.send(ws, { responseType: "STATUS", room: view, payload: hours });
    this.greetDocs(ws);
    if (role === "Teacher") {
      // A teacher (re)joining catches up on every student's latest share.
      for (const shared of this.store.studentCode()) {
        this.sockets.send(ws, {
          responseType: "SHARE",
          room: view,
          payload: { shared_code: shared.code, from: shared.username, role: "Student", sharedAt: shared.sharedAt },
        });
      }
    }
    // Resume: what this client missed, exactly once; fresh snapshots if it missed too much.
    const { lastSeq } = message.payload;
    if (lastSeq !== undefined && !this.events.replay(ws, lastSeq, role === "Teacher")) {
      this.chat.sendFreshHistory(ws);
      this.board.sendBoard(ws, identity.userId, role === "Teacher");
    }
  };

  readonly leave = ({ ws, self, now }: Caller): Outcome => {
    this.sockets.setParticipant(ws, null);
    const seq = this.store.recordLeave(self.username, self.role, now);
    const room = this.sockets.roster().view(this.store.roomId());
    this.sockets.send(ws, { responseType: "LEAVE", room, payload: { role: self.role }, seq });
    this.sockets.broadcast({ responseType: "LEAVE", room, payload: { role: self.role, username: self.username }, seq });
  };

  /** A socket closed (a tab closed, a network drop): a LEAVE for everyone else if it had joined. */
  closed(ws: WebSocket): void {
    const participant = this.sockets.forget(ws);
    if (participant) this.announceLeave(participant);
  }

  /** Sends a joined socket out with a close code; everyone else hears it left. */
  sendOut(ws: WebSocket, code: number, reason: string): void {
    const { participant } = this.sockets.attachment(ws);
    if (participant) {
      this.sockets.setParticipant(ws, null);
      this.announceLeave(participant);
    }
    ws.close(code, reason);
  }

  private announceLeave(participant: Participant): void {
    const seq = this.store.recordLeave(participant.username, participant.role, Date.now());
    this.sockets.broadcast({
      responseType: "LEAVE",
      room: this.sockets.roster().view(this.store.roomId()),
      payload: { role: participant.role, username: participant.username },
      seq,
    });
  }
}
