/**
 * The question board and the help queue. Questions: ask (optionally
 * anonymous to classmates, never to staff), upvote, and staff answer and pin
 * an answer. Help queue: a student raises one hand at a time (with code and
 * a line), staff claim and resolve it, the student may withdraw. Every
 * change is a numbered event; staff get a fuller frame than students.
 * Who may do what: board-rules.ts.
 */
import { BOARD_LIMITS, type HandView, type QuestionView, type RequestOf } from "../../protocol";
import type { Caller, Outcome } from "./actions";
import { HAND_STATUS, decideAnswer, decideAsk, decideHandMove, decideRaise, decideRemoveQuestion, decideVote, type HandMove } from "./board-rules";
import { BoardStore, handForClassmates, questionForClassmates } from "./board-store";
import type { RoomEvents } from "./events";
import type { RoomSockets } from "./sockets";
import type { RoomStore } from "./storage";

export class RoomBoard {
  private readonly board: BoardStore;

  constructor(
    private readonly store: RoomStore,
    private readonly sockets: RoomSockets,
    private readonly events: RoomEvents,
    sql: SqlStorage,
    private readonly isMuted: (userId: string) => boolean,
  ) {
    this.board = new BoardStore(sql);
  }

  readonly show = ({ ws, self }: Caller, { payload: p }: RequestOf<"BOARD">): Outcome => this.sendBoard(ws, self.userId, self.role === "Teacher", p.before);

  /**
   * A page of questions (the newest, or those before `before`) and, on the
   * first page, every open hand, as this recipient may see them. Paged, so
   * a small request never costs the room a board of any size.
   */
  sendBoard(ws: WebSocket, userId: string, staff: boolean, before?: number): void {
    const page = this.board.questions(before, BOARD_LIMITS.boardPage);
    const questions = page.questions.map((q) => (staff ? q.view : questionForClassmates(q.view)));
    const open = before === undefined ? this.board.openHands() : [];
    const hands = open.map((h) => (staff ? h.view : handForClassmates(h.view)));
    // Which of these are the recipient's own, so a new browser or device knows
    // too (an anonymous question names nobody, not even to its author's copy).
    const mine = [...page.questions.filter((q) => q.authorId === userId).map((q) => q.view.clientId), ...open.filter((h) => h.studentId === userId).map((h) => h.view.clientId)];
    this.sockets.send(ws, {
      responseType: "BOARD",
      payload: { questions, hands, hasMore: page.hasMore, mine, ...(before === undefined ? {} : { before }) },
      seq: this.store.currentSeq(),
    });
  }

  readonly ask = ({ ws, self, now }: Caller, { payload: p }: RequestOf<"ASK">): Outcome => {
    // A retry is answered before the mute check, as in chat: what was stored stays confirmed.
    const existing = this.board.questionByClientId(self.userId, p.clientId);
    if (existing) return this.ack(ws, p.clientId, existing.view.id, existing.seq);
    const refused = decideAsk(this.isMuted(self.userId));
    if (refused) return refused;
    this.events.publish(now, (seq) => {
      const q = this.board.ask({ ...p, authorId: self.userId, author: self.username, now, seq });
      return this.questionFrames(q.view, seq);
    });
  };

  readonly vote = ({ self, now }: Caller, { payload: p }: RequestOf<"VOTE">): Outcome => {
    const refused = decideVote(p.id, this.board.question(p.id), self);
    if (refused) return refused;
    // A vote that changes nothing (voting twice) is not an event.
    if (!this.board.vote(p.id, self.userId, p.up)) return;
    this.events.publish(now, (seq) => this.questionFrames(this.board.question(p.id)!.view, seq));
  };

  readonly answer = ({ self, now }: Caller, { payload: p }: RequestOf<"ANSWER">): Outcome => {
    const refused = decideAnswer(p.id, this.board.question(p.id) !== null, self);
    if (refused) return refused;
    this.events.publish(now, (seq) => {
      this.board.answer(p.id, self.username, p.answer?.trim() || null, now);
      return this.questionFrames(this.board.question(p.id)!.view, seq);
    });
  };

  readonly removeQuestion = ({ self, now }: Caller, { payload: p }: RequestOf<"QUESTION_DELETE">): Outcome => {
    const refused = decideRemoveQuestion(p.id, this.board.question(p.id), self);
    if (refused) return refused;
    this.events.publish(now, (seq) => {
      this.board.remove(p.id, now);
      return { all: { responseType: "QUESTION_DELETED", payload: { id: p.id, by: self.username }, seq } };
    });
  };

  readonly raise = ({ ws, self, now }: Caller, { payload: p }: RequestOf<"HAND_RAISE">): Outcome => {
    if (self.role === "Student") {
      const existing = this.board.handByClientId(self.userId, p.clientId);
      if (existing) return this.ack(ws, p.clientId, existing.view.id, existing.seq);
    }
    const refused = decideRaise(self, this.board.openHandOf(self.userId) !== null);
    if (refused) return refused;
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
  };

  /** HAND_WITHDRAW, HAND_CLAIM and HAND_RESOLVE: one request moves on. */
  readonly moveHand = ({ self, now }: Caller, { action, payload: { id } }: RequestOf<HandMove>): Outcome => {
    const refused = decideHandMove(action, id, this.board.hand(id), self);
    if (refused) return refused;
    this.events.publish(now, (seq) => {
      this.board.setHand(id, HAND_STATUS[action], now, self.username);
      return this.handFrames(this.board.hand(id)!.view, seq);
    });
  };

  /** A retry of something already stored: confirm it, store nothing. */
  private ack(ws: WebSocket, clientId: string, id: number, seq: number): void {
    this.sockets.send(ws, { responseType: "ACK", payload: { clientId, id }, seq });
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
