/**
 * The question board and the help queue. Questions: ask (optionally
 * anonymous to classmates, never to staff), upvote, and staff answer and pin
 * an answer. Help queue: a student raises one hand at a time (with code and
 * a line), staff claim and resolve it, the student may withdraw. Every
 * change is a numbered event; staff get a fuller frame than students.
 */
import type { ClientMessage, HandView, QuestionView } from "../../protocol";
import { BoardStore, handForClassmates, questionForClassmates } from "./board-store";
import type { RoomEvents } from "./events";
import type { Participant } from "./rules";
import type { RoomSockets } from "./sockets";
import type { RoomStore } from "./storage";

type BoardAction = Extract<
  ClientMessage,
  { action: "ASK" | "VOTE" | "ANSWER" | "HAND_RAISE" | "HAND_WITHDRAW" | "HAND_CLAIM" | "HAND_RESOLVE" | "BOARD" }
>;
type Payload<A extends BoardAction["action"]> = Extract<BoardAction, { action: A }>["payload"];

export class RoomBoard {
  private readonly board: BoardStore;

  constructor(
    private readonly store: RoomStore,
    private readonly sockets: RoomSockets,
    private readonly events: RoomEvents,
    sql: SqlStorage,
  ) {
    this.board = new BoardStore(sql);
  }

  handle(ws: WebSocket, self: Participant, message: BoardAction, now: number): void {
    switch (message.action) {
      case "ASK":
        return this.ask(ws, self, message.payload, now);
      case "VOTE":
        return this.vote(ws, self, message.payload, now);
      case "ANSWER":
        return this.answer(ws, self, message.payload, now);
      case "HAND_RAISE":
        return this.raise(ws, self, message.payload, now);
      case "HAND_WITHDRAW":
      case "HAND_CLAIM":
      case "HAND_RESOLVE":
        return this.moveHand(ws, self, message.action, message.payload.id, now);
      case "BOARD":
        return this.sendBoard(ws, self.role === "Teacher");
    }
  }

  /** Every question and every open hand, as this recipient may see them. */
  sendBoard(ws: WebSocket, staff: boolean): void {
    const questions = this.board.questions().map((q) => (staff ? q.view : questionForClassmates(q.view)));
    const hands = this.board.openHands().map((h) => (staff ? h.view : handForClassmates(h.view)));
    this.sockets.send(ws, { responseType: "BOARD", payload: { questions, hands }, seq: this.store.currentSeq() });
  }

  private ask(ws: WebSocket, self: Participant, p: Payload<"ASK">, now: number): void {
    const existing = this.board.questionByClientId(self.userId, p.clientId);
    if (existing) {
      return this.sockets.send(ws, { responseType: "ACK", payload: { clientId: p.clientId, id: existing.view.id }, seq: existing.seq });
    }
    this.events.publish(now, (seq) => {
      const q = this.board.ask({ ...p, authorId: self.userId, author: self.username, now, seq });
      return this.questionFrames(q.view, seq);
    });
  }

  private vote(ws: WebSocket, self: Participant, p: Payload<"VOTE">, now: number): void {
    const q = this.board.question(p.id);
    if (!q) return this.sockets.sendError(ws, "NOT_FOUND", `There is no question ${p.id}.`);
    if (q.authorId === self.userId) return this.sockets.sendError(ws, "FORBIDDEN", "You cannot vote for your own question.");
    // A vote that changes nothing (voting twice) is not an event.
    if (!this.board.vote(p.id, self.userId, p.up)) return;
    this.events.publish(now, (seq) => this.questionFrames(this.board.question(p.id)!.view, seq));
  }

  private answer(ws: WebSocket, self: Participant, p: Payload<"ANSWER">, now: number): void {
    if (self.role !== "Teacher") return this.sockets.sendError(ws, "FORBIDDEN", "Only teachers can answer questions.");
    if (!this.board.question(p.id)) return this.sockets.sendError(ws, "NOT_FOUND", `There is no question ${p.id}.`);
    this.events.publish(now, (seq) => {
      this.board.answer(p.id, self.username, p.answer?.trim() || null, now);
      return this.questionFrames(this.board.question(p.id)!.view, seq);
    });
  }

  private raise(ws: WebSocket, self: Participant, p: Payload<"HAND_RAISE">, now: number): void {
    if (self.role !== "Student") return this.sockets.sendError(ws, "FORBIDDEN", "Only students raise hands.");
    const existing = this.board.handByClientId(self.userId, p.clientId);
    if (existing) {
      return this.sockets.send(ws, { responseType: "ACK", payload: { clientId: p.clientId, id: existing.view.id }, seq: existing.seq });
    }
    if (this.board.openHandOf(self.userId)) {
      return this.sockets.sendError(ws, "HAND_OPEN", "Your hand is already up; withdraw it before raising it again.");
    }
    this.events.publish(now, (seq) => {
      const hand = this.board.raise({
        clientId: p.clientId,
        studentId: self.userId,
        student: self.username,
        note: p.note?.trim() || null,
        code: p.code ?? null,
        line: p.line ?? null,
        now,
        seq,
      });
      return this.handFrames(hand.view, seq);
    });
  }

  private moveHand(ws: WebSocket, self: Participant, action: "HAND_WITHDRAW" | "HAND_CLAIM" | "HAND_RESOLVE", id: number, now: number): void {
    const hand = this.board.hand(id);
    const open = hand && (hand.view.status === "waiting" || hand.view.status === "claimed");
    if (!hand || !open) return this.sockets.sendError(ws, "NOT_FOUND", `There is no open request ${id}.`);
    if (action === "HAND_WITHDRAW" && hand.studentId !== self.userId) {
      return this.sockets.sendError(ws, "FORBIDDEN", "You can only withdraw your own request.");
    }
    if (action !== "HAND_WITHDRAW" && self.role !== "Teacher") {
      return this.sockets.sendError(ws, "FORBIDDEN", "Only teachers can claim or resolve requests.");
    }
    if (action === "HAND_CLAIM" && hand.view.status === "claimed") {
      return this.sockets.sendError(ws, "FORBIDDEN", `${hand.view.claimedBy} has already claimed this request.`);
    }
    this.events.publish(now, (seq) => {
      const status = action === "HAND_CLAIM" ? "claimed" : action === "HAND_RESOLVE" ? "resolved" : "withdrawn";
      this.board.setHand(id, status, now, self.username);
      return this.handFrames(this.board.hand(id)!.view, seq);
    });
  }

  private questionFrames(view: QuestionView, seq: number) {
    return {
      all: { responseType: "QUESTION" as const, payload: { question: questionForClassmates(view) }, seq },
      staff: { responseType: "QUESTION" as const, payload: { question: view }, seq },
    };
  }

  private handFrames(view: HandView, seq: number) {
    return {
      all: { responseType: "HAND" as const, payload: { hand: handForClassmates(view) }, seq },
      staff: { responseType: "HAND" as const, payload: { hand: view }, seq },
    };
  }
}
