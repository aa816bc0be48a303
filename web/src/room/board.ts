/**
 * The question board and help queue as the browser sees them: questions and
 * open hands by id, which ones are mine (by the client id I chose), and my
 * votes. Changes arrive as QUESTION / QUESTION_DELETED / HAND frames; BOARD
 * is a snapshot: its first page (the newest questions and every open hand)
 * replaces what we held, an older page adds to it.
 */
import { createStore, produce, type SetStoreFunction } from "solid-js/store";
import type { HandView, QuestionView, ServerMessage } from "../../../protocol";
import type { RoomConnection } from "../lib/connection";
import type { ErrorPayload } from "../lib/errors";
import { ROOM_TEXT } from "./strings";

/** A question the room refused, handed back to its composer so nothing typed is lost. */
export interface Unasked {
  text: string;
  anonymous: boolean;
}

interface BoardState {
  questions: Record<number, QuestionView>;
  hands: Record<number, HandView>;
  /** Older questions than those held exist (ask for them with `loadOlder`). */
  hasMore: boolean;
  mine: string[];
  votes: number[];
  /** The last refusal of a question-board request (ask, vote, answer), and of a help-queue one. */
  questionError: string;
  handError: string;
  unasked: Unasked | null;
}

/** Said when a request could not go out at all (not yet connected, or disconnected): nothing was sent. */
const NOT_CONNECTED = ROOM_TEXT.notConnected;

const newClientId = (prefix: string) => `${prefix}-${crypto.randomUUID().replace(/-/g, "")}`;

export class BoardModel {
  readonly state: BoardState;
  private readonly setState: SetStoreFunction<BoardState>;
  /** Questions sent and not yet confirmed, by clientId: what a refusal hands back, and what a reconnect sends again. */
  private readonly asking = new Map<string, Unasked>();
  /** A hand raised and not yet confirmed: sent again after a reconnect (its clientId makes that safe). */
  private raising: { clientId: string; note?: string; code?: string; line?: number } | null = null;

  constructor(
    private readonly conn: RoomConnection,
    private readonly storageKey: string,
    /** Staff are told when a hand goes up. */
    private readonly onHandRaised?: (hand: HandView) => void,
  ) {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? "{}") as { mine?: string[]; votes?: number[] };
    [this.state, this.setState] = createStore<BoardState>({ questions: {}, hands: {}, hasMore: false, mine: saved.mine ?? [], votes: saved.votes ?? [], questionError: "", handError: "", unasked: null });
  }

  joined(resumed: boolean): void {
    if (!resumed) this.conn.send({ action: "BOARD", payload: {} });
    // What went out just before a drop may never have been stored: send it
    // again under the same clientId; the room stores it once or ACKs it.
    for (const [clientId, q] of this.asking) this.conn.send({ action: "ASK", payload: { clientId, text: q.text, anonymous: q.anonymous } });
    if (this.raising) this.conn.send({ action: "HAND_RAISE", payload: this.raising });
  }

  ask(text: string, anonymous: boolean): boolean {
    const clientId = newClientId("q");
    this.remember(clientId);
    this.setState({ questionError: "", unasked: null });
    const sent = this.conn.send({ action: "ASK", payload: { clientId, text, anonymous } });
    if (sent) this.asking.set(clientId, { text, anonymous });
    else this.setState({ questionError: NOT_CONNECTED("question", "Ask") });
    return sent;
  }

  vote(id: number, up: boolean): void {
    this.setState({ questionError: "" });
    if (!this.conn.send({ action: "VOTE", payload: { id, up } })) return;
    this.setState("votes", (v) => (up ? [...new Set([...v, id])] : v.filter((x) => x !== id)));
    this.save();
  }

  answer(id: number, answer: string): void {
    this.setState({ questionError: "" });
    this.conn.send({ action: "ANSWER", payload: { id, ...(answer.trim() ? { answer } : {}) } });
  }

  /** Staff remove any question; an author their own. */
  remove(id: number): void {
    this.setState({ questionError: "" });
    this.conn.send({ action: "QUESTION_DELETE", payload: { id } });
  }

  /** The page of questions older than the oldest held. */
  loadOlder(): void {
    const ids = Object.keys(this.state.questions).map(Number);
    if (ids.length) this.conn.send({ action: "BOARD", payload: { before: Math.min(...ids) } });
  }

  raise(note: string, code?: string, line?: number): boolean {
    const clientId = newClientId("h");
    this.remember(clientId);
    this.setState({ handError: "" });
    const payload = { clientId, ...(note.trim() ? { note } : {}), ...(code ? { code } : {}), ...(line ? { line } : {}) };
    const sent = this.conn.send({ action: "HAND_RAISE", payload });
    if (sent) this.raising = payload;
    else this.setState({ handError: NOT_CONNECTED("request", "Raise hand") });
    return sent;
  }

  move(action: "HAND_WITHDRAW" | "HAND_CLAIM" | "HAND_RESOLVE", id: number): void {
    this.setState({ handError: "" });
    this.conn.send({ action, payload: { id } });
  }

  /** The composer took back a refused question. */
  takeUnasked(): void {
    this.setState({ unasked: null });
  }

  /**
   * An ERROR that answers a request of the question board or the help queue
   * (the error router decides which). A refused ASK goes back to its composer,
   * found by the clientId the ERROR echoes.
   */
  refused(panel: "questions" | "help", error: ErrorPayload): void {
    if (panel === "help") {
      if (error.action === "HAND_RAISE" && error.clientId === this.raising?.clientId) this.raising = null;
      return this.setState({ handError: error.error_message });
    }
    const unasked = error.action === "ASK" && error.clientId ? this.asking.get(error.clientId) : undefined;
    if (error.clientId) this.asking.delete(error.clientId);
    this.setState({ questionError: error.error_message, ...(unasked ? { unasked } : {}) });
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
        this.asking.delete(message.payload.question.clientId);
        return this.setState("questions", message.payload.question.id, message.payload.question);
      case "HAND": {
        const hand = message.payload.hand;
        if (hand.clientId === this.raising?.clientId) this.raising = null;
        const isNew = !(hand.id in this.state.hands);
        this.setState("hands", hand.id, hand);
        if (isNew && hand.status === "waiting") this.onHandRaised?.(hand);
        return;
      }
      case "ACK":
        // A retry of something already stored (chat handles its own ACKs too).
        this.asking.delete(message.payload.clientId);
        if (message.payload.clientId === this.raising?.clientId) this.raising = null;
        return;
      case "QUESTION_DELETED":
        return this.setState(produce((s) => void delete s.questions[message.payload.id]));
      case "BOARD": {
        const page = message.payload;
        this.setState(
          produce((s) => {
            const questions = Object.fromEntries(page.questions.map((q) => [q.id, q]));
            if (page.before === undefined) {
              s.questions = questions;
              s.hands = Object.fromEntries(page.hands.map((h) => [h.id, h]));
            } else Object.assign(s.questions, questions);
            s.hasMore = page.hasMore;
            // Asked or raised from another browser or device: still mine.
            s.mine = [...new Set([...s.mine, ...page.mine])];
          }),
        );
        this.save();
        return;
      }
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
