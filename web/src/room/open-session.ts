/**
 * Opens a room session: the connection, and the one place each frame is
 * sent on from — the room state, the chat and board models, the error
 * router, then the components that listen.
 */
import { createSignal, getOwner, onCleanup } from "solid-js";
import type { HandView, LiveState, Role } from "../../../protocol";
import { ChatModel } from "../chat/chat";
import { RoomConnection, type Status } from "../lib/connection";
import { CLOSE_TEXT } from "../lib/error-text";
import { ErrorRouter } from "../lib/errors";
import { userKey } from "../lib/identity";
import { BoardModel } from "./board";
import { DocsModel } from "./docs/docs-model";
import { EMPTY_ROOM, nextRoomState } from "./roster";
import type { Hours, RoomFrame, RoomSession } from "./session";

export interface SessionOptions {
  roomId: string;
  username: string;
  /** For the keys of what this browser keeps per person (chat outbox, votes). */
  userId: string;
  role: Role;
  token?: string;
  /** A hand went up (staff are told; students are not). */
  onHandRaised?: (hand: HandView) => void;
}

/** Unregisters `remove` when the component that registered goes away (no-op outside one). */
function whileMounted(remove: () => void): void {
  if (getOwner()) onCleanup(remove);
}

export function openRoomSession(opts: SessionOptions): RoomSession & { stop(): void } {
  const [room, setRoom] = createSignal(EMPTY_ROOM);
  const [status, setStatus] = createSignal<Status>("connecting");
  const [problem, setProblem] = createSignal("");
  const [hours, setHours] = createSignal<Hours | null>(null);
  const [live, setLive] = createSignal<LiveState | null>(null);
  // The name this account goes by in the room: the display name, unless a namesake was here first ("Ada (2)").
  const [me, setMe] = createSignal(opts.username);
  const [ready, setReady] = createSignal(false);
  const listeners = new Set<(message: RoomFrame) => void>();
  // Errors of the connection itself (JOIN, LEAVE, or frames the room could not read), and of any panel not on screen.
  const errors = new ErrorRouter((error) => setProblem(error.error_message));

  // The models need the connection and the connection's callbacks need the models; nothing calls back before start().
  const conn = new RoomConnection({
    roomId: opts.roomId,
    username: opts.username,
    role: opts.role,
    ...(opts.token ? { token: opts.token } : {}),
    onStatus: (s, detail) => {
      setStatus(s);
      if (s === "joined") setProblem("");
      if (s === "failed" || s === "waiting") setProblem(detail ?? CLOSE_TEXT.disconnected);
    },
    onMessage: (message) => {
      if (message.responseType === "ERROR") return errors.route(message.payload);
      if (message.responseType === "JOIN" && "you" in message.payload) setMe(message.payload.you);
      setRoom((state) => nextRoomState(state, message));
      if (message.responseType === "STATUS") setHours(message.payload);
      if (message.responseType === "LIVE_STATE") setLive(message.payload.live);
      chat.handle(message);
      board.handle(message);
      docs.handle(message);
      for (const listener of listeners) listener(message);
    },
    onJoined: (resumed) => {
      // A joiner hears LIVE_STATE only while a broadcast is on: until then, none is.
      setLive(null);
      chat.joined(resumed);
      board.joined(resumed);
      docs.joined();
      setReady(true);
    },
  });
  const chat = new ChatModel(conn, userKey(opts.userId, "outbox", opts.roomId));
  const board = new BoardModel(conn, userKey(opts.userId, "board", opts.roomId), opts.onHandRaised);
  // The models' panels may not be mounted (a tab not opened yet), so the session, not the panel, registers them.
  errors.on("chat", (e) => chat.refused(e));
  errors.on("questions", (e) => board.refused("questions", e));
  errors.on("help", (e) => board.refused("help", e));
  const docs = new DocsModel((message) => conn.send(message));
  // A refused change is kept by its editor and shown beside it, and playback shows its own errors; a refused subscription is retried.
  errors.on("docs", (e) => {
    docs.refused(e);
    if (e.code !== "RATE_LIMITED" && e.action !== "DOC_PUSH" && e.action !== "DOC_HISTORY") setProblem(e.error_message);
  });

  // Leaving with keystrokes in the last push interval: send them now, and ask first if any are still unconfirmed.
  const beforeUnload = (event: BeforeUnloadEvent) => {
    if (docs.flushAll()) event.preventDefault();
  };
  window.addEventListener("beforeunload", beforeUnload);

  const session: RoomSession & { stop(): void } = {
    roomId: opts.roomId,
    get username() {
      return me();
    },
    role: opts.role,
    send: (message) => conn.send(message),
    chat,
    board,
    docs,
    room,
    status,
    ready,
    problem,
    hours,
    live,
    listen(handler) {
      listeners.add(handler);
      whileMounted(() => listeners.delete(handler));
    },
    onError(target, handler) {
      whileMounted(errors.on(target, handler));
    },
    stop: () => {
      window.removeEventListener("beforeunload", beforeUnload);
      conn.stop();
    },
  };
  conn.start();
  return session;
}
