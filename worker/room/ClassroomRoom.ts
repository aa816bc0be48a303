/**
 * One live classroom: a Durable Object holding the room's sockets and state.
 *
 * Sockets are accepted with the Hibernation API, so an idle room costs no
 * duration; each socket's identity lives in its attachment and everything
 * else in SQLite, so nothing is lost when the object is evicted.
 * https://developers.cloudflare.com/durable-objects/best-practices/websockets/
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import {
  BOARD_ACTIONS,
  CHAT_ACTIONS,
  CHAT_LIMITS,
  CLOSE_CODES,
  RATE_LIMITED_ACTIONS,
  Role,
  RunOutput,
  parseClientFrame,
  type ClientMessage,
  type RoomSummary,
} from "../../protocol";
import { decideAction, decideJoin, roomView, shareAudience, type VerifiedIdentity } from "./rules";
import { tokenMatches } from "../lib/secrets";
import { RoomBoard } from "./board";
import { RoomChat } from "./chat";
import { RoomEvents } from "./events";
import { RoomSockets, type Attachment } from "./sockets";
import { RoomStore } from "./storage";

/**
 * The gateway puts the signed-in user here after checking the session. A
 * Durable Object is reachable only through its namespace binding, so this
 * header can only have come from our own gateway, never from a browser.
 */
export const IDENTITY_HEADER = "X-ThirdSpace-Identity";
const VerifiedIdentitySchema = z.strictObject({ userId: z.string().min(1), name: z.string().min(1), role: Role.nullable() });

export interface ClassWindow {
  id: string;
  title: string;
  opensAt: number;
  closesAt: number;
}

type MessageOf<A extends ClientMessage["action"]> = Extract<ClientMessage, { action: A }>;

/** The WebSocket URL the gateway forwards: /api/rooms/:roomId/ws */
const SOCKET_PATH = /^\/api\/rooms\/([^/]+)\/ws$/;


function closedMessage(hours: { opensAt: number; closesAt: number }, now: number): string {
  const at = (t: number) => new Date(t).toISOString().replace(".000Z", "Z");
  if (hours.closesAt <= hours.opensAt) return "This class was called off.";
  return now < hours.opensAt ? `This class room opens at ${at(hours.opensAt)}.` : `This class room closed at ${at(hours.closesAt)}.`;
}

export class ClassroomRoom extends DurableObject<Env> {
  private readonly store: RoomStore;
  private readonly sockets: RoomSockets;
  private readonly events: RoomEvents;
  private readonly chat: RoomChat;
  private readonly board: RoomBoard;
  /** Sockets with a RUN in flight: one program at a time per connection. */
  private readonly running = new WeakSet<WebSocket>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new RoomStore(ctx.storage.sql, (fn) => ctx.storage.transactionSync(fn));
    this.sockets = new RoomSockets(ctx);
    this.events = new RoomEvents(this.store, this.sockets);
    this.chat = new RoomChat(this.store, this.sockets, this.events, ctx.storage.sql);
    this.board = new RoomBoard(this.store, this.sockets, this.events, ctx.storage.sql);
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
  async dismiss(userId: string): Promise<number> {
    let closed = 0;
    for (const ws of this.sockets.all()) {
      const { verified } = this.sockets.attachment(ws);
      if (verified.userId !== userId) continue;
      this.departed(ws);
      ws.close(CLOSE_CODES.accessChanged, "Your access to this class changed");
      closed += 1;
    }
    return closed;
  }

  override async alarm(): Promise<void> {
    await this.applyHours();
  }

  async summary(): Promise<RoomSummary | null> {
    const room = this.store.room();
    if (!room) return null;
    const students = this.sockets.present().filter(({ participant }) => participant.role === "Student").length;
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
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server);
    const attachment: Attachment = { roomId: decodeURIComponent(match[1]!), verified, participant: null };
    server.serializeAttachment(attachment);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const parsed = parseClientFrame(raw);
    if (!parsed.ok) return this.sockets.sendError(ws, parsed.code, parsed.error_message);
    try {
      const message = parsed.message;
      switch (message.action) {
        case "JOIN":
          return await this.join(ws, message);
        case "LEAVE":
          return this.leave(ws, message);
        case "RUN":
          return await this.run(ws, message);
        case "SHARE":
          return this.share(ws, message);
        default:
          return this.classroomAction(ws, message);
      }
    } catch (error) {
      // Log the detail for operators; the client only learns that it failed.
      console.error("room: action failed", error);
      this.sockets.sendError(ws, "INTERNAL", "Something went wrong in the room; nothing was changed. Try again.");
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.departed(ws);
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // Already closed by the runtime.
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.departed(ws);
  }

  // ------------------------------------------------------------------ actions

  private async join(ws: WebSocket, message: MessageOf<"JOIN">): Promise<void> {
    const { roomId, verified } = this.sockets.attachment(ws);
    const room = this.store.room();
    const token = message.payload.token;
    const tokenValid = Boolean(
      room?.kind === "adhoc" && message.payload.role === "Teacher" && token && (await tokenMatches(token, room.tokenHash)),
    );

    // Everything from here on is synchronous, so no other message can slip
    // between the check (role free, name unique) and taking the role.
    const now = Date.now();
    const present = this.sockets.present();
    const hours = this.hours(now);
    const decision = decideJoin(message, {
      socketRoomId: roomId,
      roomExists: room !== null,
      // A course channel admits staff and students like a class room, at any time.
      kind: room?.kind === "channel" ? "class" : (room?.kind ?? "adhoc"),
      open: hours?.open ?? true,
      closedMessage: hours ? closedMessage(hours, now) : "",
      tokenValid,
      verified,
      others: present.filter((p) => p.ws !== ws).map((p) => p.participant),
      self: present.find((p) => p.ws === ws)?.participant ?? null,
      now,
    });
    if (!decision.ok) return this.sockets.sendError(ws, decision.code, decision.error_message);

    for (const stale of present.filter((p) => decision.replaces.includes(p.participant))) {
      this.sockets.setParticipant(stale.ws, null);
      stale.ws.close(CLOSE_CODES.replaced, "Replaced by a newer connection");
    }
    const { identity } = decision;
    this.sockets.setParticipant(ws, identity);
    const seq = this.store.recordJoin(identity.username, identity.role, identity.joinedAt);
    const view = this.view();
    this.sockets.send(ws, { responseType: "JOIN", room: view, payload: { role: identity.role }, seq });
    this.sockets.broadcast(
      { responseType: "JOIN", room: view, payload: { role: identity.role, username: identity.username }, seq },
      (p) => p.ws !== ws,
    );
    if (hours) this.sockets.send(ws, { responseType: "STATUS", room: view, payload: hours });
    if (identity.role === "Teacher") {
      // A teacher (re)joining catches up on every student's latest share.
      for (const shared of this.store.studentCode()) {
        this.sockets.send(ws, {
          responseType: "SHARE",
          room: view,
          payload: { shared_code: shared.code, from: shared.username, role: "Student", sharedAt: shared.sharedAt },
        });
      }
    }
    // Resume: what this client missed, exactly once; fresh snapshots if it missed too much.
    const { lastSeq } = message.payload;
    if (lastSeq !== undefined && !this.events.replay(ws, lastSeq, identity.role === "Teacher")) {
      this.chat.sendFreshHistory(ws);
      this.board.sendBoard(ws, identity.role === "Teacher");
    }
  }

  /** Chat, questions and the help queue: joined participants only, some actions rate-limited. */
  private classroomAction(ws: WebSocket, message: MessageOf<(typeof CHAT_ACTIONS)[number] | (typeof BOARD_ACTIONS)[number]>): void {
    const { roomId, participant } = this.sockets.attachment(ws);
    const decision = decideAction(message, participant, roomId);
    if (!decision.ok) return this.sockets.sendError(ws, decision.code, decision.error_message);
    const now = Date.now();
    if (RATE_LIMITED_ACTIONS.includes(message.action) && !this.chat.allow(ws, now)) {
      return this.sockets.sendError(
        ws,
        "RATE_LIMITED",
        `Slow down: at most ${CHAT_LIMITS.burst} messages at once, then ${CHAT_LIMITS.perSecond} per second.`,
      );
    }
    if ((CHAT_ACTIONS as readonly string[]).includes(message.action)) {
      this.chat.handle(ws, participant!, message as MessageOf<(typeof CHAT_ACTIONS)[number]>, now);
    } else {
      this.board.handle(ws, participant!, message as MessageOf<(typeof BOARD_ACTIONS)[number]>, now);
    }
  }

  private leave(ws: WebSocket, message: MessageOf<"LEAVE">): void {
    const { roomId, participant } = this.sockets.attachment(ws);
    const decision = decideAction(message, participant, roomId);
    if (!decision.ok) return this.sockets.sendError(ws, decision.code, decision.error_message);
    const self = participant!;
    this.sockets.setParticipant(ws, null);
    const seq = this.store.recordLeave(self.username, self.role, Date.now());
    const room = this.view();
    this.sockets.send(ws, { responseType: "LEAVE", room, payload: { role: self.role }, seq });
    this.sockets.broadcast({ responseType: "LEAVE", room, payload: { role: self.role, username: self.username }, seq });
  }

  private async run(ws: WebSocket, message: MessageOf<"RUN">): Promise<void> {
    const { roomId, participant } = this.sockets.attachment(ws);
    const decision = decideAction(message, participant, roomId);
    if (!decision.ok) return this.sockets.sendError(ws, decision.code, decision.error_message);
    if (this.running.has(ws)) return this.sockets.sendError(ws, "RUN_BUSY", "Your previous program is still running.");

    this.running.add(ws);
    let output: RunOutput | null = null;
    try {
      // The runner is another Worker: awaiting it leaves this room free to
      // serve everyone else while the program runs.
      const response = await this.env.RUNNER.fetch("https://runner/run", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ code: message.payload.code, language: message.payload.language }),
      });
      const checked = RunOutput.safeParse(response.ok ? await response.json() : null);
      if (checked.success) output = checked.data;
      else console.error("room: runner answered", response.status);
    } catch (error) {
      console.error("room: runner unreachable", error);
    } finally {
      this.running.delete(ws);
    }
    if (!output) return this.sockets.sendError(ws, "RUN_UNAVAILABLE", "The code runner is not available right now; try again.");
    this.sockets.send(ws, { responseType: "RUN", room: this.view(), payload: output });
  }

  private share(ws: WebSocket, message: MessageOf<"SHARE">): void {
    const { roomId, participant } = this.sockets.attachment(ws);
    const decision = decideAction(message, participant, roomId);
    if (!decision.ok) return this.sockets.sendError(ws, decision.code, decision.error_message);
    const self = participant!;
    const code = message.payload.shared_code;
    const now = Date.now();
    const seq =
      self.role === "Student" ? this.store.saveStudentCode(self.userId, self.username, code, now) : this.store.saveTeacherCode(code, now);
    // Sent after the write: the output gate holds these frames until it is
    // durable, so the echo to the sender is an acknowledgement of storage.
    const audience = shareAudience(self.role);
    this.sockets.broadcast(
      {
        responseType: "SHARE",
        room: this.view(),
        payload: { shared_code: code, from: self.username, role: self.role, sharedAt: now },
        seq,
      },
      (p) => p.ws === ws || p.participant.role === audience,
    );
  }

  // ------------------------------------------------------------------ class hours

  /** A class room's hours and whether it is open at `now`; null for ad-hoc rooms. */
  private hours(now: number): { open: boolean; opensAt: number; closesAt: number } | null {
    const room = this.store.room();
    if (room?.kind !== "class" || room.opensAt === null || room.closesAt === null) return null;
    return { open: room.opensAt <= now && now < room.closesAt, opensAt: room.opensAt, closesAt: room.closesAt };
  }

  /** Tells everyone the hours, sends students out of a closed room, and sets the alarm for the next change. */
  private async applyHours(): Promise<void> {
    const now = Date.now();
    const hours = this.hours(now);
    if (!hours) return;
    // Everyone hears the new hours first, students included, then a closed
    // room sends its students out (each a LEAVE for the staff who stay).
    this.sockets.broadcast({ responseType: "STATUS", room: this.view(), payload: hours });
    if (!hours.open) {
      for (const p of this.sockets.present()) {
        if (p.participant.role !== "Student") continue;
        this.departed(p.ws);
        p.ws.close(CLOSE_CODES.roomClosed, "The class room is closed");
      }
    }
    const next = [hours.opensAt, hours.closesAt].filter((t) => t > now).sort((a, b) => a - b)[0];
    if (next === undefined) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  // ------------------------------------------------------------------ helpers

  /** Leaving by closing the socket (a tab closed, a network drop) is a LEAVE for everyone else. */
  private departed(ws: WebSocket): void {
    const { participant } = this.sockets.attachment(ws);
    if (!participant) return;
    this.sockets.setParticipant(ws, null);
    const seq = this.store.recordLeave(participant.username, participant.role, Date.now());
    this.sockets.broadcast({
      responseType: "LEAVE",
      room: this.view(),
      payload: { role: participant.role, username: participant.username },
      seq,
    });
  }

  private view() {
    const room = this.store.room();
    return roomView(
      room?.id ?? "",
      room?.sharedCode ?? "",
      this.sockets.present().map((p) => p.participant),
    );
  }
}
