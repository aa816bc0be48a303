/**
 * A live room: asks for a display name, connects, and shows the student or
 * teacher view. You are the teacher when this browser holds the room's
 * teacher token (from creating the room or from the teacher link).
 */
import { Match, Show, Switch, createResource, createSignal, onCleanup } from "solid-js";
import type { RoomView, ServerMessage } from "../../../protocol";
import { ConnectionBadge } from "../components/ConnectionBadge";
import { getRoom } from "../lib/api";
import { RoomConnection, type Status } from "../lib/connection";
import { clientId, saveName, saveTeacherToken, savedName, teacherToken } from "../lib/identity";
import { StudentView } from "./StudentView";
import { TeacherView } from "./TeacherView";

export interface RoomSession {
  conn: RoomConnection;
  roomId: string;
  username: string;
  room: () => RoomView;
  /** Registers a handler for every frame; returns nothing, lives as long as the page. */
  listen: (handler: (message: ServerMessage) => void) => void;
}

export function RoomPage(props: { roomId: string }) {
  const fromLink = /^#teacher=([A-Za-z0-9_-]+)$/.exec(location.hash)?.[1];
  if (fromLink) {
    saveTeacherToken(props.roomId, fromLink);
    // Keep the capability out of the address bar (and out of screenshots).
    history.replaceState(null, "", location.pathname);
  }
  const token = teacherToken(props.roomId);
  const role = token ? "Teacher" : "Student";
  const [summary] = createResource(() => getRoom(props.roomId).catch(() => null));
  const [name, setName] = createSignal(savedName());
  const [session, setSession] = createSignal<RoomSession | null>(null);
  const [status, setStatus] = createSignal<Status>("connecting");
  const [failure, setFailure] = createSignal("");
  const [room, setRoom] = createSignal<RoomView>({ id: props.roomId, teacher: null, students: [], sharedCode: "" });
  const handlers: ((m: ServerMessage) => void)[] = [];

  function enter(event: SubmitEvent) {
    event.preventDefault();
    const username = name().trim();
    if (!username) return;
    saveName(username);
    setFailure("");
    let everJoined = false;
    const conn = new RoomConnection({
      roomId: props.roomId,
      username,
      role,
      ...(token ? { token } : {}),
      clientId: clientId(),
      onStatus: (s, detail) => {
        setStatus(s);
        if (s === "joined") {
          everJoined = true;
          setFailure("");
        }
        if (s === "failed") {
          setFailure(detail ?? "Disconnected.");
          // Refused at the door (e.g. the name is taken): back to the name form.
          if (!everJoined) setSession(null);
        }
      },
      onMessage: (message) => {
        if ("room" in message) setRoom(message.room);
        for (const h of handlers) h(message);
      },
    });
    const s: RoomSession = { conn, roomId: props.roomId, username, room, listen: (h) => handlers.push(h) };
    conn.start();
    setSession(s);
  }
  onCleanup(() => session()?.conn.stop());

  return (
    <main class="room">
      <header class="topbar">
        <a href="/" class="brand">ThirdSpace</a>
        <span class="title">{summary()?.title ?? "Room"}</span>
        <span class="muted">{role === "Teacher" ? "Teacher" : "Student"} view</span>
        <Show when={session()}>
          <span class="who">{session()!.username}</span>
          <ConnectionBadge status={status()} />
        </Show>
      </header>
      <Show when={failure()}>
        <p class="error banner" role="alert">{failure()}</p>
      </Show>
      <Switch>
        <Match when={summary.state === "ready" && summary() === null}>
          <p class="error banner" role="alert">This room does not exist. Check the link.</p>
        </Match>
        <Match when={!session()}>
          <form class="card narrow" onSubmit={enter}>
            <label>
              Your display name
              <input value={name()} onInput={(e) => setName(e.currentTarget.value)} maxLength={40} required autofocus />
            </label>
            <button type="submit">{role === "Teacher" ? "Enter as teacher" : "Join as student"}</button>
          </form>
        </Match>
        <Match when={role === "Teacher"}>
          <TeacherView session={session()!} />
        </Match>
        <Match when={role === "Student"}>
          <StudentView session={session()!} />
        </Match>
      </Switch>
    </main>
  );
}
