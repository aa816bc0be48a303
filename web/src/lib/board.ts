/**
 * The question board and help queue as the browser sees them: questions and
 * open hands by id, which ones are mine (by the client id I chose), and my
 * votes. Changes arrive as QUESTION / HAND frames; BOARD is a full snapshot.
 */
import { createStore, produce, type SetStoreFunction } from "solid-js/store";
import type { HandView, QuestionView, ServerMessage } from "../../../protocol";
import type { RoomConnection } from "./connection";

interface BoardState {
  questions: Record<number, QuestionView>;
  hands: Record<number, HandView>;
  mine: string[];
  votes: number[];
  error: string;
}

const newClientId = (prefix: string) => `${prefix}-${crypto.randomUUID().replace(/-/g, "")}`;

export class BoardModel {
  readonly state: BoardState;
  private readonly setState: SetStoreFunction<BoardState>;

  constructor(
    private readonly conn: RoomConnection,
    private readonly storageKey: string,
    /** Staff are told when a hand goes up. */
    private readonly onHandRaised?: (hand: HandView) => void,
  ) {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? "{}") as { mine?: string[]; votes?: number[] };
    [this.state, this.setState] = createStore<BoardState>({ questions: {}, hands: {}, mine: saved.mine ?? [], votes: saved.votes ?? [], error: "" });
  }

  joined(resumed: boolean): void {
    if (!resumed) this.conn.send({ action: "BOARD", payload: {} });
  }

  ask(text: string, anonymous: boolean): boolean {
    const clientId = newClientId("q");
    this.remember(clientId);
    return this.conn.send({ action: "ASK", payload: { clientId, text, anonymous } });
  }

  vote(id: number, up: boolean): void {
    if (!this.conn.send({ action: "VOTE", payload: { id, up } })) return;
    this.setState("votes", (v) => (up ? [...new Set([...v, id])] : v.filter((x) => x !== id)));
    this.save();
  }

  answer(id: number, answer: string): void {
    this.conn.send({ action: "ANSWER", payload: { id, ...(answer.trim() ? { answer } : {}) } });
  }

  raise(note: string, code?: string, line?: number): boolean {
    const clientId = newClientId("h");
    this.remember(clientId);
    const payload = { clientId, ...(note.trim() ? { note } : {}), ...(code ? { code } : {}), ...(line ? { line } : {}) };
    return this.conn.send({ action: "HAND_RAISE", payload });
  }

  move(action: "HAND_WITHDRAW" | "HAND_CLAIM" | "HAND_RESOLVE", id: number): void {
    this.conn.send({ action, payload: { id } });
  }

  isMine(clientId: string): boolean {
    return this.state.mine.includes(clientId);
  }

  /** Open requests, first raised first. */
  openHands(): HandView[] {
    return Object.values(this.state.hands)
      .filter((h) => h.status === "waiting" || h.status === "claimed")
      .sort((a, b) => a.raisedAt - b.raisedAt || a.id - b.id);
  }

  handle(message: ServerMessage): void {
    switch (message.responseType) {
      case "QUESTION":
        return this.setState("questions", message.payload.question.id, message.payload.question);
      case "HAND": {
        const hand = message.payload.hand;
        const isNew = !(hand.id in this.state.hands);
        this.setState("hands", hand.id, hand);
        if (isNew && hand.status === "waiting") this.onHandRaised?.(hand);
        return;
      }
      case "BOARD":
        this.setState(
          produce((s) => {
            s.questions = Object.fromEntries(message.payload.questions.map((q) => [q.id, q]));
            s.hands = Object.fromEntries(message.payload.hands.map((h) => [h.id, h]));
          }),
        );
        return;
      case "ERROR":
        if (["HAND_OPEN", "FORBIDDEN", "NOT_FOUND", "RATE_LIMITED"].includes(message.payload.code)) this.setState("error", message.payload.error_message);
        return;
    }
  }

  private remember(clientId: string): void {
    this.setState("mine", (m) => [...m, clientId]);
    this.save();
  }

  private save(): void {
    localStorage.setItem(this.storageKey, JSON.stringify({ mine: this.state.mine, votes: this.state.votes }));
  }
}
