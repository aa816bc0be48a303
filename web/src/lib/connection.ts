/**
 * One participant's live link to a room: opens the WebSocket, joins, keeps a
 * heartbeat, and reconnects with exponential backoff (joining again) until
 * stopped. Frames are validated with the shared protocol schemas.
 */
import { ACCESS_REASONS, CLOSE_CODES, ServerMessage, parseClientFrame, type ClientMessageInput, type Role } from "../../../protocol";
import { CLOSE_TEXT, errorText } from "./error-text";

export type Status = "connecting" | "joined" | "waiting" | "reconnecting" | "failed";

export interface ConnectionOptions {
  roomId: string;
  username: string;
  role: Role;
  token?: string;
  onMessage: (message: ServerMessage) => void;
  onStatus: (status: Status, detail?: string) => void;
  /** After each successful JOIN; `resumed` when the room replayed what was missed. */
  onJoined?: (resumed: boolean) => void;
  /**
   * The snapshots the page asks for after a fresh JOIN (default HISTORY and
   * BOARD). Until all have arrived, a dropped connection starts fresh again.
   */
  snapshots?: readonly ("HISTORY" | "BOARD")[];
}

/** Frames that are numbered events in the room's log (the ones a resume replays). */
const EVENT_FRAMES = new Set(["CHAT", "CHAT_UPDATE", "MUTED", "QUESTION", "HAND"]);

/** Answered by the room's auto-response without waking it. */
const HEARTBEAT_MS = 25_000;
/**
 * No answer to a ping in this long: the connection is dead though the socket
 * says open (a network that drops packets without closing, a laptop lid).
 * Without this, the page said "Connected" while nothing went through.
 */
const PONG_WAIT_MS = 10_000;
const MAX_BACKOFF_MS = 10_000;
/** ERRORs to a JOIN that retrying will not fix. */
const FATAL_JOIN_ERRORS = new Set(["ROOM_NOT_FOUND", "BAD_TOKEN", "ROLE_TAKEN", "FORBIDDEN", "INVALID_MESSAGE"]);
/** A closed class room is asked again this often: it may open (or be opened early) any minute. */
const CLOSED_RETRY_MS = 30_000;

export class RoomConnection {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private joined = false;
  private stopped = false;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private rejoin: ReturnType<typeof setTimeout> | undefined;
  /**
   * The resume point: every logged event up to it is reflected here. Only
   * event frames and the snapshots move it — not a JOIN answer, whose number
   * can be ahead of the replay that follows it.
   */
  private lastSeq: number | null = null;
  private resuming = false;
  /** After a fresh JOIN: snapshots still awaited, and the lowest number among those that arrived. */
  private awaiting: Set<string> | null = null;
  private snapshotSeq = Number.POSITIVE_INFINITY;

  constructor(private readonly opts: ConnectionOptions) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    clearTimeout(this.rejoin);
    clearInterval(this.heartbeat);
    this.ws?.close(1000, "bye");
    this.ws = null;
  }

  /**
   * Sends when joined; returns false (nothing sent) otherwise. A request the
   * room would refuse (too large, a field over its limit) is not sent: it is
   * answered here with the ERROR the room would send, by the same parser,
   * naming its action and clientId, so it reaches the panel that sent it.
   * That answer comes after this call returns, as the room's would.
   */
  send(message: Omit<ClientMessageInput, "username" | "roomId" | "role">): boolean {
    if (!this.joined || this.ws?.readyState !== WebSocket.OPEN) return false;
    const { roomId, username, role } = this.opts;
    const frame = JSON.stringify({ username, roomId, role, ...message });
    const verdict = parseClientFrame(frame);
    if (!verdict.ok) {
      const clientId = (message.payload as { clientId?: unknown }).clientId;
      const payload = { error_message: verdict.error_message, code: verdict.code, action: message.action, ...(typeof clientId === "string" ? { clientId } : {}) };
      queueMicrotask(() => this.opts.onMessage({ responseType: "ERROR", payload }));
      return true;
    }
    this.ws.send(frame);
    return true;
  }

  /** Moves the resume point: events in order; the snapshots once all have come. */
  private track(message: ServerMessage): void {
    if (!("seq" in message) || typeof message.seq !== "number") return;
    if (this.awaiting && this.awaiting.has(message.responseType)) {
      this.awaiting.delete(message.responseType);
      this.snapshotSeq = Math.min(this.snapshotSeq, message.seq);
      if (this.awaiting.size === 0) {
        this.awaiting = null;
        this.lastSeq = this.snapshotSeq;
      }
    } else if (EVENT_FRAMES.has(message.responseType) && this.lastSeq !== null) {
      this.lastSeq = Math.max(this.lastSeq, message.seq);
    }
  }

  private open(): void {
    const { roomId } = this.opts;
    this.opts.onStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/api/rooms/${encodeURIComponent(roomId)}/ws`);
    this.ws = ws;
    this.joined = false;
    const join = () => {
      const { username, role, token } = this.opts;
      if (ws.readyState !== WebSocket.OPEN) return;
      this.resuming = this.lastSeq !== null;
      const resume = this.lastSeq === null ? {} : { lastSeq: this.lastSeq };
      ws.send(JSON.stringify({ username, action: "JOIN", roomId, role, payload: { roomId, role, ...(token ? { token } : {}), ...resume } }));
    };
    let heard = Date.now();
    ws.onopen = () => {
      join();
      this.heartbeat = setInterval(() => {
        if (ws.readyState !== WebSocket.OPEN) return;
        const pinged = Date.now();
        ws.send("ping");
        setTimeout(() => {
          if (heard >= pinged || this.ws !== ws) return;
          // Given up on: its close event may never come, so reconnect now.
          ws.onclose = null;
          ws.close(4000, "no answer");
          this.dropped(ws);
        }, PONG_WAIT_MS);
      }, HEARTBEAT_MS);
    };
    ws.onmessage = (event) => {
      heard = Date.now();
      if (event.data === "pong") return;
      const parsed = ServerMessage.safeParse(JSON.parse(String(event.data)));
      if (!parsed.success) return console.warn("ignored a frame the protocol does not know", parsed.error);
      const message = parsed.data;
      this.track(message);
      if (!this.joined && message.responseType === "JOIN" && message.payload.username === undefined) {
        this.joined = true;
        this.attempt = 0;
        if (!this.resuming) {
          this.awaiting = new Set(this.opts.snapshots ?? ["HISTORY", "BOARD"]);
          this.snapshotSeq = Number.POSITIVE_INFINITY;
        }
        this.opts.onStatus("joined");
        this.opts.onMessage(message);
        this.opts.onJoined?.(this.resuming);
        return;
      } else if (!this.joined && message.responseType === "ERROR" && message.payload.code === "ROOM_CLOSED") {
        this.opts.onStatus("waiting", errorText(message.payload));
        clearTimeout(this.rejoin);
        this.rejoin = setTimeout(join, CLOSED_RETRY_MS);
        return;
      } else if (!this.joined && message.responseType === "ERROR" && FATAL_JOIN_ERRORS.has(message.payload.code)) {
        this.stopped = true;
        this.opts.onStatus("failed", errorText(message.payload));
        ws.close(1000, "join refused");
        return;
      }
      this.opts.onMessage(message);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      clearInterval(this.heartbeat);
      clearTimeout(this.rejoin);
      this.joined = false;
      if (this.stopped) return;
      if (event.code === CLOSE_CODES.replaced) {
        this.stopped = true;
        this.opts.onStatus("failed", CLOSE_TEXT.replaced);
        return;
      }
      if (event.code === CLOSE_CODES.accessChanged) {
        this.stopped = true;
        this.opts.onStatus(
          "failed",
          event.reason === ACCESS_REASONS.removed ? CLOSE_TEXT.removed : CLOSE_TEXT.roleChanged,
        );
        return;
      }
      if (event.code === CLOSE_CODES.sessionEnded) {
        this.stopped = true;
        this.opts.onStatus("failed", CLOSE_TEXT.sessionEnded);
        return;
      }
      if (event.code === CLOSE_CODES.roomClosed) {
        this.stopped = true;
        this.opts.onStatus("failed", CLOSE_TEXT.roomClosed);
        return;
      }
      this.dropped(ws);
    };
  }

  /** A socket is gone (closed, or given up on): unless stopped, open another after a backoff. */
  private dropped(ws: WebSocket): void {
    if (this.ws !== ws) return;
    clearInterval(this.heartbeat);
    clearTimeout(this.rejoin);
    this.joined = false;
    if (this.stopped) return;
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt += 1;
    this.opts.onStatus("reconnecting");
    this.retry = setTimeout(() => this.open(), delay);
  }
}
