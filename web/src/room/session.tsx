/**
 * What every part of a live room shares: one connection, the chat and board
 * models, what we know about the room, and where its errors go. The page
 * opens it (open-session.ts) and provides it; components take it with
 * `useRoom()` instead of receiving it through props or importing a type
 * from the page (which made page and components import each other).
 */
import { createContext, useContext, type Accessor, type JSX } from "solid-js";
import type { ClientMessageInput, LiveState, Role, ServerMessage } from "../../../protocol";
import type { ChatModel } from "../chat/chat";
import type { Status } from "../lib/connection";
import type { ErrorHandler, ErrorTarget } from "../lib/errors";
import type { BoardModel } from "./board";
import type { DocsModel } from "./docs/docs-model";
import type { RoomState } from "./roster";

/** A class room's opening hours (Unix ms), from its STATUS frames. */
export interface Hours {
  open: boolean;
  opensAt: number;
  closesAt: number;
}

/** Every frame but ERROR: errors reach only the panel that sent the request (`onError`). */
export type RoomFrame = Exclude<ServerMessage, { responseType: "ERROR" }>;

export interface RoomSession {
  readonly roomId: string;
  /** The name this account goes by in the room (reactive: set by the JOIN answer). */
  readonly username: string;
  readonly role: Role;
  /** Sends one request if joined; false (nothing sent) while not connected. */
  send(message: Omit<ClientMessageInput, "username" | "roomId" | "role">): boolean;
  readonly chat: ChatModel;
  readonly board: BoardModel;
  /** The live editors: which this browser receives, and the staff's lock and follow modes. */
  readonly docs: DocsModel;
  /** Who is here, the room's counts and the teacher's last shared code. */
  readonly room: Accessor<RoomState>;
  readonly status: Accessor<Status>;
  /** True from the first JOIN answer on: `username` is then the name the room gave us. */
  readonly ready: Accessor<boolean>;
  /** Why the connection is down or was refused, or an error about it; "" when all is well. */
  readonly problem: Accessor<string>;
  readonly hours: Accessor<Hours | null>;
  /** The room's live broadcast, if one is on (LIVE_STATE). */
  readonly live: Accessor<LiveState | null>;
  /** Calls `handler` for every frame (but ERROR) until the calling component is disposed. */
  listen(handler: (message: RoomFrame) => void): void;
  /** Makes `handler` the one that shows ERRORs answering `target`'s requests, until the calling component is disposed. */
  onError(target: ErrorTarget, handler: ErrorHandler): void;
}

const RoomContext = createContext<RoomSession>();

export function RoomProvider(props: { session: RoomSession; children: JSX.Element }) {
  return <RoomContext.Provider value={props.session}>{props.children}</RoomContext.Provider>;
}

/** The room this component is in. Throws outside a `<RoomProvider>`: a room component has no meaning elsewhere. */
export function useRoom(): RoomSession {
  const session = useContext(RoomContext);
  if (!session) throw new Error("useRoom() was called outside a <RoomProvider>.");
  return session;
}
