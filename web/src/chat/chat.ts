/**
 * The chat as the browser sees it: messages by id, an outbox of messages
 * not yet confirmed (kept in localStorage, so nothing typed offline is
 * lost), and the unread count. A message shows as sent only once the room
 * confirms it is stored (its CHAT frame, or an ACK for a retry).
 */
import { createSignal, type Accessor, type Setter } from "solid-js";
import { createStore, produce, type SetStoreFunction } from "solid-js/store";
import { CHAT_LIMITS, type ChatMessage, type ServerMessage } from "../../../protocol";
import type { RoomConnection } from "../lib/connection";
import type { ErrorPayload } from "../lib/errors";

export interface Pending {
  clientId: string;
  text: string;
  attach?: { code?: string; output?: string };
  createdAt: number;
  /** Why the room refused it. A refused message is not sent again by itself (it would be refused again); the author retries or discards it. */
  error?: string;
}

const newClientId = () => `c-${crypto.randomUUID().replace(/-/g, "")}`;

interface ChatState {
  messages: Record<number, ChatMessage>;
  order: number[];
  pending: Pending[];
  hasMore: boolean;
  muted: string[];
  error: string;
}

/** A message refused as too fast is sent again after this long (the limit refills one message a second). */
const RETRY_AFTER_LIMIT_MS = Math.ceil(1000 / CHAT_LIMITS.perSecond) + 250;

export class ChatModel {
  readonly state: ChatState;
  private readonly setState: SetStoreFunction<ChatState>;
  readonly unread: Accessor<number>;
  private readonly setUnread: Setter<number>;
  /** The output of this person's latest RUN, which a message can attach. */
  readonly lastOutput: Accessor<string | null>;
  private readonly setLastOutput: Setter<string | null>;
  private visible = true;

  constructor(
    private readonly conn: RoomConnection,
    private readonly outboxKey: string,
  ) {
    const saved = JSON.parse(localStorage.getItem(outboxKey) ?? "[]") as Pending[];
    [this.state, this.setState] = createStore<ChatState>({ messages: {}, order: [], pending: saved, hasMore: false, muted: [], error: "" });
    [this.unread, this.setUnread] = createSignal(0);
    [this.lastOutput, this.setLastOutput] = createSignal<string | null>(null);
  }

  /** Whether the chat is on screen (unread counts only what arrives while it is not). */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.setUnread(0);
  }

  /** After a JOIN: fetch history the first time, and send whatever is waiting. */
  joined(resumed: boolean): void {
    if (!resumed) this.conn.send({ action: "HISTORY", payload: { limit: CHAT_LIMITS.historyPage } });
    for (const p of this.state.pending) if (!p.error) this.transmit(p);
  }

  send(text: string, attach?: Pending["attach"]): void {
    const pending: Pending = { clientId: newClientId(), text, ...(attach ? { attach } : {}), createdAt: Date.now() };
    this.setState({ error: "" });
    this.setState("pending", (list) => [...list, pending]);
    this.saveOutbox();
    this.transmit(pending);
  }

  /** Sends a refused message again, as it was (same clientId: the room never stores it twice). */
  retry(clientId: string): void {
    const p = this.state.pending.find((x) => x.clientId === clientId);
    if (!p) return;
    this.setState("pending", (x) => x.clientId === clientId, "error", undefined);
    this.saveOutbox();
    this.transmit(p);
  }

  discard(clientId: string): void {
    this.setState("pending", (list) => list.filter((p) => p.clientId !== clientId));
    this.saveOutbox();
  }

  edit(id: number, text: string): void {
    this.request({ action: "CHAT_EDIT", payload: { id, text } });
  }

  remove(id: number): void {
    this.request({ action: "CHAT_DELETE", payload: { id } });
  }

  mute(username: string, muted: boolean): void {
    this.request({ action: "MUTE", payload: { username, muted } });
  }

  loadOlder(): void {
    const oldest = this.state.order[0];
    if (oldest !== undefined) this.request({ action: "HISTORY", payload: { before: oldest, limit: CHAT_LIMITS.historyPage } });
  }

  /**
   * An ERROR that answers one of this chat's requests (the error router
   * sends only those here). A refused message is marked on its outbox
   * entry, found by the clientId the ERROR echoes; anything else is shown
   * once for the panel.
   */
  refused(error: ErrorPayload): void {
    const clientId = error.action === "CHAT" ? error.clientId : undefined;
    const pending = clientId ? this.state.pending.find((p) => p.clientId === clientId) : undefined;
    if (pending && error.code === "RATE_LIMITED") {
      // Only too fast: the bucket refills at CHAT_LIMITS.perSecond, so it goes out again by itself.
      setTimeout(() => this.state.pending.includes(pending) && this.transmit(pending), RETRY_AFTER_LIMIT_MS);
      return;
    }
    if (clientId && pending) {
      this.setState("pending", (p) => p.clientId === clientId, "error", error.error_message);
      this.saveOutbox();
      return;
    }
    this.setState({ error: error.error_message });
  }

  handle(message: ServerMessage): void {
    switch (message.responseType) {
      case "RUN":
        this.setLastOutput(message.payload.codeOutput);
        return;
      case "CHAT":
        this.confirm(message.payload.message.clientId);
        this.upsert([message.payload.message]);
        if (!this.visible) this.setUnread((n) => n + 1);
        return;
      case "CHAT_UPDATE":
        return this.upsert([message.payload.message]);
      case "ACK":
        return this.confirm(message.payload.clientId);
      case "HISTORY":
        if (message.payload.reset) this.setState({ messages: {}, order: [] });
        this.upsert(message.payload.messages);
        this.setState({ hasMore: message.payload.hasMore, muted: message.payload.muted });
        return;
      case "MUTED":
        this.setState("muted", (list) =>
          message.payload.muted ? [...new Set([...list, message.payload.username])] : list.filter((n) => n !== message.payload.username),
        );
        return;
    }
  }

  /** A new request clears the last error: it answered an older one. */
  private request(message: Parameters<RoomConnection["send"]>[0]): void {
    this.setState({ error: "" });
    this.conn.send(message);
  }

  private transmit(p: Pending): void {
    // Not connected: it stays in the outbox and goes out on the next JOIN.
    this.conn.send({ action: "CHAT", payload: { clientId: p.clientId, text: p.text, ...(p.attach ? { attach: p.attach } : {}) } });
  }

  private confirm(clientId: string): void {
    if (!this.state.pending.some((p) => p.clientId === clientId)) return;
    this.setState("pending", (list) => list.filter((p) => p.clientId !== clientId));
    this.saveOutbox();
  }

  private upsert(messages: readonly ChatMessage[]): void {
    this.setState(
      produce((s) => {
        for (const m of messages) {
          if (!(m.id in s.messages)) s.order.push(m.id);
          s.messages[m.id] = m;
        }
        s.order.sort((a, b) => a - b);
      }),
    );
  }

  private saveOutbox(): void {
    localStorage.setItem(this.outboxKey, JSON.stringify(this.state.pending));
  }
}
