/**
 * The room's chat: send (deduplicated by the client's id), edit, delete,
 * mute, history pages, and catching a reconnecting client up. Every change
 * takes the room's next sequence number and is logged for replay, in the
 * same transaction as the change itself. Who may do what: chat-rules.ts.
 */
import { CHAT_LIMITS, type RequestOf, type ServerMessage } from "../../protocol";
import type { Caller, Outcome } from "./actions";
import { decideDelete, decideEdit, decideMute, decideSend } from "./chat-rules";
import { ChatStore, type StoredMessage } from "./chat-store";
import type { RoomEvents } from "./events";
import type { SeatStore } from "./seats";
import type { RoomSockets } from "./sockets";
import type { RoomStore } from "./storage";

const facts = (stored: StoredMessage | null) => stored && { authorId: stored.authorId, deleted: stored.message.deleted };

export class RoomChat {
  private readonly messages: ChatStore;

  constructor(
    private readonly store: RoomStore,
    private readonly sockets: RoomSockets,
    private readonly events: RoomEvents,
    private readonly seats: SeatStore,
    sql: SqlStorage,
  ) {
    this.messages = new ChatStore(sql);
  }

  /** Muted in this chat: no messages, no edits, and no questions to the class either. */
  isMuted(userId: string): boolean {
    return this.messages.isMuted(userId);
  }

  readonly send = ({ ws, self, now }: Caller, { payload: p }: RequestOf<"CHAT">): Outcome => {
    // A retry is answered before the mute check: a message stored before the
    // mute must still be confirmed, or the sender's outbox would keep it forever.
    const existing = this.messages.byClientId(self.userId, p.clientId);
    if (existing) {
      // A retry of a message already stored: confirm it, store nothing. Not
      // a CHAT frame: the event itself was (or will be, by replay) delivered once.
      return this.sockets.send(ws, { responseType: "ACK", payload: { clientId: p.clientId, id: existing.message.id }, seq: existing.seq });
    }
    const refused = decideSend(this.messages.isMuted(self.userId));
    if (refused) return refused;
    this.publish(now, (seq) => {
      const { message } = this.messages.insert({
        clientId: p.clientId,
        authorId: self.userId,
        author: self.username,
        role: self.role,
        text: p.text,
        attach: p.attach && (p.attach.code !== undefined || p.attach.output !== undefined) ? p.attach : null,
        now,
        seq,
      });
      return { responseType: "CHAT", payload: { message }, seq };
    });
  };

  readonly edit = ({ self, now }: Caller, { payload: p }: RequestOf<"CHAT_EDIT">): Outcome => {
    const refused = decideEdit(p.id, facts(this.messages.get(p.id)), self, this.messages.isMuted(self.userId));
    if (refused) return refused;
    this.publish(now, (seq) => ({ responseType: "CHAT_UPDATE", payload: { message: this.messages.edit(p.id, p.text, now).message }, seq }));
  };

  readonly remove = ({ self, now }: Caller, { payload: { id } }: RequestOf<"CHAT_DELETE">): Outcome => {
    const refused = decideDelete(id, facts(this.messages.get(id)), self);
    if (refused) return refused;
    this.publish(now, (seq) => ({ responseType: "CHAT_UPDATE", payload: { message: this.messages.delete(id, now).message }, seq }));
  };

  readonly mute = ({ self, now }: Caller, { payload: p }: RequestOf<"MUTE">): Outcome => {
    // The name is the one an account goes by in this room (seats.ts): it names
    // exactly one account, and that account is muted, never a namesake.
    const account = this.seats.accountOf(p.username);
    let present = false;
    let staffNamed = false;
    for (const { participant: x } of this.sockets.present()) {
      if (x.userId !== account) continue;
      if (x.role === "Student") present = true;
      else staffNamed = true;
    }
    const studentId = account && (present || this.messages.studentIdByName(p.username) === account) ? account : null;
    const refused = decideMute(self, p.username, studentId, staffNamed);
    if (refused || !studentId) return refused;
    this.publish(now, (seq) => {
      this.messages.setMuted(studentId, p.username, p.muted, self.username, now);
      return { responseType: "MUTED", payload: { username: p.username, muted: p.muted, by: self.username }, seq };
    });
  };

  readonly history = ({ ws }: Caller, { payload: p }: RequestOf<"HISTORY">): Outcome => {
    this.sendHistory(ws, p.before, p.limit, false);
  };

  /** The latest page of history, marked `reset`: a client starts over from it. */
  sendFreshHistory(ws: WebSocket): void {
    this.sendHistory(ws, undefined, CHAT_LIMITS.historyPage, true);
  }

  private sendHistory(ws: WebSocket, before: number | undefined, limit: number, reset: boolean): void {
    this.sockets.send(ws, {
      responseType: "HISTORY",
      payload: { ...this.messages.page(before, limit), reset, muted: this.messages.mutedNames() },
      seq: this.store.currentSeq(),
    });
  }

  private publish(now: number, change: (seq: number) => ServerMessage): void {
    this.events.publish(now, (seq) => ({ all: change(seq) }));
  }
}
