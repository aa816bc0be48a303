// One participant of the crash test: a room socket that reconnects by itself
// the way the browser's does (web/src/lib/connection.ts: backoff with
// jitter, JOIN again with the resume point, the same rules for when that
// point moves) and keeps an outbox the way docs/protocol.md asks of every
// client: CHAT, ASK and HAND_RAISE are sent again under their clientId after
// every JOIN until the room confirms them, and a SHARE until its echo comes.
//
// It also writes down everything the checks need afterwards: each event
// frame as received (raw text, so it can be compared byte for byte with the
// room's log), each JOIN answer, each snapshot the client reset its view to,
// and each confirmation with how it arrived.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";

/** Frames that are numbered events in the room's log (what a resume replays). */
export const EVENT_FRAMES = new Set(["CHAT", "CHAT_UPDATE", "MUTED", "QUESTION", "QUESTION_DELETED", "HAND"]);
const MAX_BACKOFF_MS = 10_000;
const HEARTBEAT_MS = 25_000;
/** The messages bucket refills one a second; the web client waits a little longer before sending again. */
const RETRY_AFTER_LIMIT_MS = 1_250;
const FATAL_JOIN_ERRORS = new Set(["ROOM_NOT_FOUND", "BAD_TOKEN", "ROLE_TAKEN", "NAME_TAKEN", "FORBIDDEN", "INVALID_MESSAGE"]);
/** Replaced, class room closed, access changed, session ended: the web client gives up on each. */
const TERMINAL_CLOSES = new Set([4001, 4003, 4005, 4006]);
const KIND_OF = { CHAT: "chat", ASK: "question", HAND_RAISE: "hand" };

export const newClientId = (prefix) => `${prefix}-${randomUUID().replace(/-/g, "")}`;

export class ChaosClient {
  /** `account` is { name, cookie }; `onFrame(client, frame)` lets the class script react (the teacher). */
  constructor({ target, roomId, account, role, onFrame }) {
    Object.assign(this, { target, roomId, account, role, onFrame });
    this.name = account.name;
    this.ws = null;
    this.joined = false;
    this.stopped = false;
    this.failed = null;
    this.attempt = 0;
    /** The resume point; null until the snapshots after a fresh JOIN have all arrived. */
    this.lastSeq = null;
    this.awaiting = null;
    this.snapshotSeq = Infinity;
    this.conn = 0; // connections opened, for telling replayed frames from live ones
    this.connInfo = new Map(); // conn -> { lastSeqSent, joinSeq }
    this.events = []; // { seq, type, raw, at, conn }
    this.joins = []; // { conn, at, fresh, lastSeqSent, joinSeq, roster }
    this.resets = []; // { at, base, why }
    this.attempts = []; // { at, opened } for every socket opened
    this.outbox = new Map(); // clientId -> { kind, action, payload, createdAt, sends }
    this.confirmed = new Map(); // clientId -> { kind, id, seq, at, via, payload }
    this.share = { pending: null, acked: null, sent: 0, acks: 0, resends: 0 };
    this.stats = { opened: 0, failedAttempts: 0, resends: 0, ackFrames: 0, rateLimited: 0 };
    this.unexpected = []; // ERRORs the class did not provoke on purpose
    this.timers = new Set();
  }

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    clearInterval(this.heartbeat);
    this.ws?.terminate();
  }

  /** Nothing waiting for a confirmation. */
  settled() {
    return this.joined && this.lastSeq !== null && this.outbox.size === 0 && this.share.pending === null;
  }

  later(ms, fn) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  sendRaw(message) {
    if (!this.joined || this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify({ username: this.name, roomId: this.roomId, role: this.role, ...message }));
    return true;
  }

  /** CHAT, ASK or HAND_RAISE: into the outbox, and out now if joined (else on the next JOIN). */
  post(action, payload) {
    const prefix = { CHAT: "c", ASK: "q", HAND_RAISE: "h" }[action];
    const clientId = newClientId(prefix);
    const item = { kind: KIND_OF[action], action, payload: { clientId, ...payload }, createdAt: performance.now(), sends: 0 };
    this.outbox.set(clientId, item);
    this.transmit(item);
    return clientId;
  }

  transmit(item) {
    if (this.sendRaw({ action: item.action, payload: item.payload })) {
      item.sends += 1;
      item.firstSentAt ??= performance.now();
      if (item.sends > 1) this.stats.resends += 1;
    }
  }

  /** A SHARE whose echo is its confirmation; one in flight at a time, sent again after a reconnect. */
  shareCode(code) {
    if (this.share.pending !== null) return false;
    this.share.pending = code;
    this.share.sent += 1;
    this.sendRaw({ action: "SHARE", payload: { shared_code: code } });
    return true;
  }

  open() {
    const conn = ++this.conn;
    const attempt = { at: performance.now(), opened: false };
    this.attempts.push(attempt);
    const ws = new WebSocket(`${this.target.ws}/api/rooms/${encodeURIComponent(this.roomId)}/ws`, {
      perMessageDeflate: false,
      headers: { cookie: this.account.cookie, origin: this.target.http },
    });
    this.ws = ws;
    this.joined = false;
    const join = () => {
      if (ws.readyState !== WebSocket.OPEN) return;
      this.resuming = this.lastSeq !== null;
      this.connInfo.set(conn, { lastSeqSent: this.lastSeq, joinSeq: null });
      const resume = this.lastSeq === null ? {} : { lastSeq: this.lastSeq };
      ws.send(JSON.stringify({ username: this.name, action: "JOIN", roomId: this.roomId, role: this.role, payload: { roomId: this.roomId, role: this.role, ...resume } }));
    };
    let opened = false;
    ws.on("open", () => {
      opened = true;
      attempt.opened = true;
      this.stats.opened += 1;
      join();
      this.heartbeat = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send("ping"), HEARTBEAT_MS);
    });
    ws.on("message", (data) => {
      const at = performance.now();
      const raw = data.toString();
      if (raw === "pong") return;
      this.receive(JSON.parse(raw), raw, at, conn, ws, join);
    });
    // A refused upgrade or a dead server: the close that follows reconnects.
    ws.on("error", () => {});
    ws.on("close", (code) => {
      clearInterval(this.heartbeat);
      this.joined = false;
      if (this.ws !== ws || this.stopped) return;
      if (TERMINAL_CLOSES.has(code)) {
        this.stopped = true;
        this.failed = `socket closed with ${code}; a real client would not reconnect`;
        return;
      }
      if (!opened) this.stats.failedAttempts += 1;
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
      this.attempt += 1;
      this.later(delay, () => this.open());
    });
  }

  receive(frame, raw, at, conn, ws, join) {
    const type = frame.responseType;
    const info = this.connInfo.get(conn);
    if (EVENT_FRAMES.has(type)) this.events.push({ seq: frame.seq, type, raw, at, conn });
    this.track(frame, at);

    if (!this.joined && type === "JOIN" && frame.payload.username === undefined) {
      this.joined = true;
      this.attempt = 0;
      info.joinSeq = frame.seq;
      this.joins.push({ conn, at, fresh: !this.resuming, lastSeqSent: info.lastSeqSent, joinSeq: frame.seq, roster: frame.payload.roster });
      if (!this.resuming) {
        this.awaiting = new Set(["HISTORY", "BOARD"]);
        this.snapshotSeq = Infinity;
        this.sendRaw({ action: "HISTORY", payload: { limit: 50 } });
        this.sendRaw({ action: "BOARD", payload: {} });
      }
      for (const item of this.outbox.values()) this.transmit(item);
      if (this.share.pending !== null) {
        this.share.resends += 1;
        this.sendRaw({ action: "SHARE", payload: { shared_code: this.share.pending } });
      }
    } else if (!this.joined && type === "ERROR") {
      const { code } = frame.payload;
      if (code === "ROOM_CLOSED") return this.later(30_000, join);
      if (FATAL_JOIN_ERRORS.has(code)) {
        this.stopped = true;
        this.failed = `JOIN refused: ${code} ${frame.payload.error_message}`;
        ws.close(1000, "join refused");
        return;
      }
    }
    this.confirm(frame, at, conn);
    if (type === "ERROR") this.refusal(frame.payload);
    this.onFrame?.(this, frame);
  }

  /** Moves the resume point as the web client does: event frames in order; the snapshots once both have come. */
  track(frame, at) {
    if (typeof frame.seq !== "number") return;
    const type = frame.responseType;
    if (type === "HISTORY" && frame.payload.reset) this.resets.push({ at, base: frame.seq, why: "too far behind: HISTORY reset" });
    if (this.awaiting?.has(type)) {
      this.awaiting.delete(type);
      this.snapshotSeq = Math.min(this.snapshotSeq, frame.seq);
      if (this.awaiting.size === 0) {
        this.awaiting = null;
        this.lastSeq = this.snapshotSeq;
        this.resets.push({ at, base: this.snapshotSeq, why: "fresh JOIN snapshots" });
      }
    } else if (EVENT_FRAMES.has(type) && this.lastSeq !== null) {
      this.lastSeq = Math.max(this.lastSeq, frame.seq);
    }
  }

  /** The room confirms what is stored: its own event (live or replayed) or an ACK for a retry. */
  confirm(frame, at, conn) {
    const p = frame.payload;
    let clientId = null;
    let id = null;
    let author = this.name;
    if (frame.responseType === "ACK") {
      this.stats.ackFrames += 1;
      ({ clientId, id } = p);
    } else if (frame.responseType === "CHAT") {
      ({ clientId, id, author } = p.message);
    } else if (frame.responseType === "QUESTION") {
      ({ clientId, id } = p.question);
    } else if (frame.responseType === "HAND") {
      ({ clientId, id } = p.hand);
    } else if (frame.responseType === "SHARE" && p.from === this.name && p.role === this.role && typeof frame.seq === "number") {
      if (p.shared_code === this.share.pending) {
        this.share.acked = p.shared_code;
        this.share.pending = null;
        this.share.acks += 1;
      }
      return;
    }
    const item = clientId && author === this.name ? this.outbox.get(clientId) : undefined;
    if (!item) return;
    this.outbox.delete(clientId);
    const joinSeq = this.connInfo.get(conn)?.joinSeq;
    const via = frame.responseType === "ACK" ? "ACK" : joinSeq != null && frame.seq < joinSeq ? "replay" : "live";
    this.confirmed.set(clientId, { kind: item.kind, id, seq: frame.seq, at, via, payload: item.payload, sends: item.sends, createdAt: item.createdAt, firstSentAt: item.firstSentAt });
  }

  refusal(error) {
    if (error.action === "SHARE" && error.code === "RATE_LIMITED" && this.share.pending !== null) {
      this.stats.rateLimited += 1;
      const code = this.share.pending;
      this.later(RETRY_AFTER_LIMIT_MS, () => this.share.pending === code && this.sendRaw({ action: "SHARE", payload: { shared_code: code } }));
      return;
    }
    const item = error.clientId ? this.outbox.get(error.clientId) : undefined;
    if (item && error.code === "RATE_LIMITED") {
      this.stats.rateLimited += 1;
      this.later(RETRY_AFTER_LIMIT_MS, () => this.outbox.has(error.clientId) && this.transmit(item));
      return;
    }
    this.unexpected.push({ at: performance.now(), ...error });
  }
}
