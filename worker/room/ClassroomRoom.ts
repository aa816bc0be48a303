/**
 * One live classroom: a Durable Object holding the room's sockets and state.
 *
 * Sockets are accepted with the Hibernation API, so an idle room costs no
 * duration; each socket's identity lives in its attachment and everything
 * else in SQLite, so nothing is lost when the object is evicted.
 * https://developers.cloudflare.com/durable-objects/best-practices/websockets/
 */
import { DurableObject } from "cloudflare:workers";
import * as z from "zod";
import { ACCESS_REASONS, CLOSE_CODES, ROOM_ROLE, Role, type DocUpdate, type RoomSummary } from "../../protocol";
import type { CodeTimelinePage } from "../../protocol/lectures";
import { membership } from "../courses/store";
import { newId } from "../lib/secrets";
import type { ActionTable } from "./actions";
import { RoomBoard } from "./board";
import { RoomChat } from "./chat";
import { RoomCode } from "./code";
import { RoomDocs } from "./docs";
import { DocStore } from "./docs-store";
import { RoomEvents } from "./events";
import { RoomGate } from "./gate";
import { RoomLive } from "./live";
import { classHours, nextChange } from "./hours";
import { RoomPresence } from "./presence";
import { TokenBucket } from "./rate-limit";
import type { VerifiedIdentity } from "./rules";
import { SeatStore } from "./seats";
import { RoomSockets } from "./sockets";
import { RoomStore } from "./storage";

/**
 * The gateway puts the signed-in user here after checking the session. A
 * Durable Object is reachable only through its namespace binding, so this
 * header can only have come from our own gateway, never from a browser.
 */
export const IDENTITY_HEADER = "X-ThirdSpace-Identity";

/**
 * The identity as that header's value: JSON with every non-ASCII character
 * escaped (`\u00eb`), since header values are bytes and a display name may
 * be "Zoë"; JSON.parse reads it back unchanged.
 */
export const identityHeader = (identity: VerifiedIdentity): string =>
  JSON.stringify(identity).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

const VerifiedIdentitySchema = z.strictObject({
  userId: z.string().min(1),
  name: z.string().min(1),
  role: Role.nullable(),
  courseId: z.string().min(1).optional(),
  session: z.strictObject({ id: z.string().min(1), expiresAt: z.number() }).optional(),
});

/**
 * Sockets one account may hold open in one room (tabs, a reconnect racing
 * its old socket). A newer one beyond this closes the oldest, so a person is
 * never locked out by their own stale sockets and nobody holds hundreds.
 */
export const MAX_SOCKETS_PER_USER = 4;

/**
 * New sockets one account may open in one room: a burst, then one every two
 * seconds. The cap above closes the oldest, but a socket that has never sent
 * a frame is seen closed only seconds later (measured locally: about 10 s,
 * when the object hibernates), so without this an account opening sockets
 * fast could hold hundreds; refused upgrades answer at once (429).
 */
export const SOCKET_OPENINGS = { burst: 8, perSecond: 0.5 } as const;

export interface ClassWindow {
  id: string;
  title: string;
  opensAt: number;
  closesAt: number;
}

/** A page of the code timeline: a lecture's hour of typing is a few thousand changes. */
const CODE_LOG_PAGE = { changes: 2000, chars: 1024 * 1024 } as const;

/** The WebSocket URL the gateway forwards: /api/rooms/:roomId/ws */
const SOCKET_PATH = /^\/api\/rooms\/([^/]+)\/ws$/;


export class ClassroomRoom extends DurableObject<Env> {
  private readonly store: RoomStore;
  private readonly sockets: RoomSockets;
  private readonly presence: RoomPresence;
  private readonly gate: RoomGate;
  private readonly live: RoomLive;
  private readonly docs: DocStore;
  /** Socket openings per account (in memory, like the gate's buckets). */
  private readonly openings = new Map<string, TokenBucket>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new RoomStore(ctx.storage.sql, (fn) => ctx.storage.transactionSync(fn));
    this.sockets = new RoomSockets(ctx);
    const events = new RoomEvents(this.store, this.sockets);
    const seats = new SeatStore(ctx.storage.sql);
    const chat = new RoomChat(this.store, this.sockets, events, seats, ctx.storage.sql);
    const board = new RoomBoard(this.store, this.sockets, events, ctx.storage.sql, (userId) => chat.isMuted(userId));
    this.docs = new DocStore(ctx.storage.sql, (fn) => ctx.storage.transactionSync(fn));
    const docs = new RoomDocs(this.sockets, this.docs);
    const code = new RoomCode(this.store, this.sockets, env.RUNNER, env.DB, docs.marker);
    const live = (this.live = new RoomLive(ctx.storage.sql, this.store, this.sockets, env));
    const greet = (ws: WebSocket) => {
      docs.greet(ws);
      live.greet(ws);
    };
    this.presence = new RoomPresence(this.store, this.sockets, events, chat, board, seats, this.stillAllowed, greet);
    // Every action the protocol defines, in one place: does it need a JOIN, which bucket limits it, who handles it.
    // Staff moderation (MUTE, ANSWER, claiming and resolving hands, DOC_MODE) is left unlimited: a student cannot send it.
    // QUESTION_DELETE draws from "messages": an author may remove their own question.
    const table: ActionTable = {
      JOIN: { joined: false, rate: "presence", handle: this.presence.join },
      LEAVE: {
        joined: true,
        rate: "presence",
        handle: (caller) => {
          live.left(caller.ws);
          return this.presence.leave(caller);
        },
      },
      RUN: { joined: true, rate: "code", handle: code.run },
      SHARE: { joined: true, rate: "code", handle: code.share },
      CHAT: { joined: true, rate: "messages", handle: chat.send },
      CHAT_EDIT: { joined: true, rate: "messages", handle: chat.edit },
      CHAT_DELETE: { joined: true, rate: "messages", handle: chat.remove },
      MUTE: { joined: true, rate: null, handle: chat.mute },
      HISTORY: { joined: true, rate: "reads", handle: chat.history },
      ASK: { joined: true, rate: "messages", handle: board.ask },
      VOTE: { joined: true, rate: "messages", handle: board.vote },
      ANSWER: { joined: true, rate: null, handle: board.answer },
      QUESTION_DELETE: { joined: true, rate: "messages", handle: board.removeQuestion },
      HAND_RAISE: { joined: true, rate: "messages", handle: board.raise },
      HAND_WITHDRAW: { joined: true, rate: "messages", handle: board.moveHand },
      HAND_CLAIM: { joined: true, rate: null, handle: board.moveHand },
      HAND_RESOLVE: { joined: true, rate: null, handle: board.moveHand },
      BOARD: { joined: true, rate: "reads", handle: board.show },
      DOC_SUBSCRIBE: { joined: true, rate: "views", handle: docs.subscribe },
      DOC_PUSH: { joined: true, rate: "typing", handle: docs.push },
      DOC_PULL: { joined: true, rate: "typing", handle: docs.pull },
      DOC_MODE: { joined: true, rate: null, handle: docs.mode },
      DOC_HISTORY: { joined: true, rate: "views", handle: docs.history },
      DOC_CURSOR: { joined: true, rate: "typing", handle: docs.cursor },
      LIVE_START: { joined: true, rate: "presence", handle: live.start },
      LIVE_STOP: { joined: true, rate: null, handle: live.stop },
      LIVE_SIGNAL: { joined: true, rate: "signals", handle: live.signal },
    };
    this.gate = new RoomGate(table, this.sockets);
    // Heartbeats are answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  // ------------------------------------------------------------------ RPC

  async create(init: { id: string; title: string; tokenHash: string }): Promise<boolean> {
    return this.store.create(init.id, init.title, init.tokenHash, Date.now());
  }

  /** Creates or renames a course's channel: chat that persists between classes. */
  async syncChannel(channel: { id: string; title: string }): Promise<void> {
    this.store.syncChannel(channel.id, channel.title, Date.now());
  }

  /** Creates or updates a class room's hours; the alarm then opens and closes it. */
  async syncClass(window: ClassWindow): Promise<void> {
    const changed = this.store.syncClass(window.id, window.title, window.opensAt, window.closesAt, Date.now());
    if (changed) await this.applyHours();
  }

  /**
   * Closes a user's sockets after their course role changed or they were
   * removed: a socket keeps the role it was opened with, so it must go.
   */
  async dismiss(userId: string, reason: string = ACCESS_REASONS.changed): Promise<number> {
    await this.live.endFor(userId);
    return this.sendOutWhere((v) => v.userId === userId, CLOSE_CODES.accessChanged, reason);
  }

  /** Closes the sockets a sign-in session opened, when it signs out. */
  async endSession(sessionId: string): Promise<number> {
    return this.sendOutWhere((v) => v.session?.id === sessionId, CLOSE_CODES.sessionEnded, "You signed out");
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.sendOutWhere((v) => expired(v, now), CLOSE_CODES.sessionEnded, "Your session ended; sign in again");
    await this.applyHours();
  }

  /**
   * A page of a live document's log for a class recording's code timeline:
   * the text as it was at `since` (the recording's first frame), then the
   * changes made from then until `until` (Unix ms), each with its time.
   * Changes from before `since` are never sent: only where they led.
   */
  async codeLog(doc: string, after: number, since: number, until: number): Promise<Omit<CodeTimelinePage, "recordedAt">> {
    if (!this.store.room()) return { after, start: { version: 0, text: "" }, updates: [], hasMore: false };
    const first = this.docs.versionAt(doc, since);
    const from = Math.max(after, first);
    const page = this.docs.history(doc, from, CODE_LOG_PAGE.changes, CODE_LOG_PAGE.chars);
    const updates = page.filter((u) => u.at <= until).map((u) => ({ changes: u.changes as DocUpdate["changes"], at: u.at }));
    const hasMore = updates.length === page.length && page.length > 0 && this.docs.current(doc).version > from + page.length;
    return { after: from, start: from === first ? { version: first, text: this.docs.textAt(doc, first) } : null, updates, hasMore };
  }

  async summary(): Promise<RoomSummary | null> {
    const room = this.store.room();
    if (!room) return null;
    const { students } = this.sockets.roster().view(room.id);
    return { id: room.id, title: room.title, teacher: room.teacherName, students, createdAt: room.createdAt };
  }

  // ------------------------------------------------------------------ sockets

  override async fetch(request: Request): Promise<Response> {
    const match = SOCKET_PATH.exec(new URL(request.url).pathname);
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket" || !match) {
      return new Response("Expected a WebSocket upgrade on /api/rooms/:roomId/ws", { status: 426 });
    }
    let verified: VerifiedIdentity;
    try {
      verified = VerifiedIdentitySchema.parse(JSON.parse(request.headers.get(IDENTITY_HEADER) ?? "null"));
    } catch {
      return new Response("Missing verified identity", { status: 403 });
    }
    const now = Date.now();
    let openings = this.openings.get(verified.userId);
    if (!openings) this.openings.set(verified.userId, (openings = new TokenBucket(SOCKET_OPENINGS.burst, SOCKET_OPENINGS.perSecond, now)));
    if (!openings.take(now)) {
      return Response.json({ error: "Too many connections to this room at once; wait a few seconds." }, { status: 429, headers: { "Retry-After": "2" } });
    }
    // getWebSockets() promises no order: the attachment's opening time gives it.
    const mine = this.sockets
      .all()
      .filter((ws) => this.sockets.attachment(ws).verified.userId === verified.userId)
      .sort((a, b) => this.sockets.attachment(a).openedAt - this.sockets.attachment(b).openedAt);
    for (const old of mine.slice(0, Math.max(0, mine.length - MAX_SOCKETS_PER_USER + 1))) {
      this.presence.sendOut(old, CLOSE_CODES.replaced, "Replaced by a newer connection");
    }
    const pair = new WebSocketPair();
    this.sockets.accept(pair[1], { roomId: decodeURIComponent(match[1]!), verified, participant: null, openedAt: now, peer: newId(12) });
    // The alarm must ring by this session's end; usually it already does (the
    // class's end, an earlier session), and a write per join would cost every join.
    const ends = verified.session?.expiresAt;
    if (ends !== undefined) {
      const current = await this.ctx.storage.getAlarm();
      if (current === null || ends < current) await this.ctx.storage.setAlarm(ends);
    }
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const now = Date.now();
    if (expired(this.sockets.attachment(ws).verified, now)) {
      return this.presence.sendOut(ws, CLOSE_CODES.sessionEnded, "Your session ended; sign in again");
    }
    await this.gate.dispatch(ws, raw, now);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.live.left(ws);
    this.presence.closed(ws);
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // Already closed by the runtime.
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.live.left(ws);
    this.presence.closed(ws);
  }

  // ------------------------------------------------------------------ access

  /**
   * Whether the course still gives this socket's user the role it was opened
   * with: checked at JOIN, so a socket opened before a removal or a demotion
   * cannot join on the old role, whichever room of the course it is in.
   */
  private readonly stillAllowed = async (verified: VerifiedIdentity): Promise<boolean> => {
    if (!verified.courseId) return true;
    const role = await membership(this.env.DB, verified.courseId, verified.userId);
    return role !== null && ROOM_ROLE[role] === verified.role;
  };

  private sendOutWhere(match: (v: VerifiedIdentity) => boolean, code: number, reason: string): number {
    let closed = 0;
    for (const ws of this.sockets.all()) {
      if (!match(this.sockets.attachment(ws).verified)) continue;
      this.presence.sendOut(ws, code, reason);
      closed += 1;
    }
    return closed;
  }

  // ------------------------------------------------------------------ class hours and the alarm

  /** Tells everyone the hours, sends students out of a closed room, and sets the alarm for the next change. */
  private async applyHours(): Promise<void> {
    const now = Date.now();
    const hours = classHours(this.store.room(), now);
    if (hours) {
      // Everyone hears the new hours first, students included, then a closed
      // room sends its students out (each a LEAVE for the staff who stay).
      this.sockets.broadcast({ responseType: "STATUS", room: this.sockets.roster().view(this.store.roomId()), payload: hours });
      if (!hours.open) {
        for (const p of [...this.sockets.present()]) {
          if (p.participant.role === "Student") this.presence.sendOut(p.ws, CLOSE_CODES.roomClosed, "The class room is closed");
        }
      }
    }
    await this.scheduleAlarm(now);
  }

  /**
   * One alarm per object serves two clocks: the class's next opening or
   * closing, and the first open socket's session expiry (an idle socket
   * sends nothing, so only the alarm can end it on time).
   * https://developers.cloudflare.com/durable-objects/api/alarms/
   */
  private async scheduleAlarm(now: number): Promise<void> {
    const hours = classHours(this.store.room(), now);
    const times: number[] = [];
    const change = hours ? nextChange(hours, now) : null;
    if (change !== null) times.push(change);
    for (const ws of this.sockets.all()) {
      const session = this.sockets.attachment(ws).verified.session;
      if (session) times.push(session.expiresAt);
    }
    if (times.length === 0) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.min(...times));
  }
}

const expired = (v: VerifiedIdentity, now: number): boolean => v.session !== undefined && now >= v.session.expiresAt;
