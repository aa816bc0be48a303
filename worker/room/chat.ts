/**
 * The room's chat: send (deduplicated by the client's id), edit, delete,
 * mute, history pages, and catching a reconnecting client up. Every change
 * takes the room's next sequence number and is logged for replay, in the
 * same transaction as the change itself.
 */
import { CHAT_LIMITS, type ClientMessage, type ServerMessage } from "../../protocol";
import { ChatStore } from "./chat-store";
import type { RoomEvents } from "./events";
import { TokenBucket } from "./rate-limit";
import type { Participant } from "./rules";
import type { RoomSockets } from "./sockets";
import type { RoomStore } from "./storage";

type ChatAction = Extract<ClientMessage, { action: "CHAT" | "CHAT_EDIT" | "CHAT_DELETE" | "MUTE" | "HISTORY" }>;

export class RoomChat {
  private readonly messages: ChatStore;
  private readonly buckets = new WeakMap<WebSocket, TokenBucket>();

  constructor(
    private readonly store: RoomStore,
    private readonly sockets: RoomSockets,
    private readonly events: RoomEvents,
    sql: SqlStorage,
  ) {
    this.messages = new ChatStore(sql);
  }

  /** Counts one chat action against the connection's limit; false means refused (nothing else happens). */
  allow(ws: WebSocket, now: number): boolean {
    let bucket = this.buckets.get(ws);
    if (!bucket) this.buckets.set(ws, (bucket = new TokenBucket(CHAT_LIMITS.burst, CHAT_LIMITS.perSecond, now)));
    return bucket.take(now);
  }

  handle(ws: WebSocket, self: Participant, message: ChatAction, now: number): void {
    switch (message.action) {
      case "CHAT":
        return this.send(ws, self, message.payload, now);
      case "CHAT_EDIT":
        return this.edit(ws, self, message.payload, now);
      case "CHAT_DELETE":
        return this.remove(ws, self, message.payload.id, now);
      case "MUTE":
        return this.mute(ws, self, message.payload, now);
      case "HISTORY":
        return this.sockets.send(ws, {
          responseType: "HISTORY",
          payload: { ...this.messages.page(message.payload.before, message.payload.limit), reset: false, muted: this.messages.mutedNames() },
          seq: this.store.currentSeq(),
        });
    }
  }

  /** The latest page of history, marked `reset`: a client starts over from it. */
  sendFreshHistory(ws: WebSocket): void {
    this.sockets.send(ws, {
      responseType: "HISTORY",
      payload: { ...this.messages.page(undefined, CHAT_LIMITS.historyPage), reset: true, muted: this.messages.mutedNames() },
      seq: this.store.currentSeq(),
    });
  }

  private send(ws: WebSocket, self: Participant, p: Extract<ChatAction, { action: "CHAT" }>["payload"], now: number): void {
    // A retry is answered before the mute check: a message stored before the
    // mute must still be confirmed, or the sender's outbox would keep it forever.
    const existing = this.messages.byClientId(self.userId, p.clientId);
    if (existing) {
      // A retry of a message already stored: confirm it, store nothing. Not
      // a CHAT frame: the event itself was (or will be, by replay) delivered once.
      return this.sockets.send(ws, {
        responseType: "ACK",
        payload: { clientId: p.clientId, id: existing.message.id },
        seq: existing.seq,
      });
    }
    if (this.messages.isMuted(self.userId)) return this.sockets.sendError(ws, "MUTED", "A teacher has muted you in this chat.");
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
  }

  private edit(ws: WebSocket, self: Participant, p: { id: number; text: string }, now: number): void {
    const stored = this.messages.get(p.id);
    if (!stored || stored.message.deleted) return this.sockets.sendError(ws, "NOT_FOUND", `There is no message ${p.id}.`);
    if (stored.authorId !== self.userId) return this.sockets.sendError(ws, "FORBIDDEN", "You can only edit your own messages.");
    if (this.messages.isMuted(self.userId)) return this.sockets.sendError(ws, "MUTED", "A teacher has muted you in this chat.");
    this.publish(now, (seq) => ({ responseType: "CHAT_UPDATE", payload: { message: this.messages.edit(p.id, p.text, now).message }, seq }));
  }

  private remove(ws: WebSocket, self: Participant, id: number, now: number): void {
    const stored = this.messages.get(id);
    if (!stored || stored.message.deleted) return this.sockets.sendError(ws, "NOT_FOUND", `There is no message ${id}.`);
    if (stored.authorId !== self.userId && self.role !== "Teacher") {
      return this.sockets.sendError(ws, "FORBIDDEN", "Only teachers can delete other people's messages.");
    }
    this.publish(now, (seq) => ({ responseType: "CHAT_UPDATE", payload: { message: this.messages.delete(id, now).message }, seq }));
  }

  private mute(ws: WebSocket, self: Participant, p: { username: string; muted: boolean }, now: number): void {
    if (self.role !== "Teacher") return this.sockets.sendError(ws, "FORBIDDEN", "Only teachers can mute participants.");
    // Students only: a teacher who shares the name is never the one muted.
    const named = this.sockets.present().filter((x) => x.participant.username === p.username);
    const student = named.find((x) => x.participant.role === "Student")?.participant;
    const userId = student?.userId ?? this.messages.studentIdByName(p.username);
    if (!userId && named.length > 0) return this.sockets.sendError(ws, "FORBIDDEN", "Teachers cannot be muted.");
    if (!userId) return this.sockets.sendError(ws, "NOT_FOUND", `No student called "${p.username}" is in this chat.`);
    this.publish(now, (seq) => {
      this.messages.setMuted(userId, p.username, p.muted, self.username, now);
      return { responseType: "MUTED", payload: { username: p.username, muted: p.muted, by: self.username }, seq };
    });
  }

  private publish(now: number, change: (seq: number) => ServerMessage): void {
    this.events.publish(now, (seq) => ({ all: change(seq) }));
  }
}
