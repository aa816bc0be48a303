/**
 * A live room. You enter under your account's name. Your role: in a class
 * room, your enrolment decides (instructor or TA → teacher); in an ad-hoc
 * room, you are the teacher when this browser holds the room's teacher
 * token (from creating the room or from the teacher link).
 */
import { Match, Show, Switch, createEffect, createResource, createSignal, onCleanup } from "solid-js";
import type { Role, RoomView, ServerMessage } from "../../../protocol";
import { ConnectionBadge } from "../components/ConnectionBadge";
import { Link } from "../components/Link";
import { getClass, getRoom } from "../lib/api";
import { BoardModel } from "../lib/board";
import { ChatModel } from "../lib/chat";
import { RoomConnection, type Status } from "../lib/connection";
import { saveTeacherToken, teacherToken } from "../lib/identity";
import { user } from "../lib/session";
import { StudentView } from "./StudentView";
import { TeacherView } from "./TeacherView";

export interface RoomSession {
  conn: RoomConnection;
  chat: ChatModel;
  board: BoardModel;
  roomId: string;
  username: string;
  room: () => RoomView;
  /** Registers a handler for every frame; it lives as long as the page. */
  listen: (handler: (message: ServerMessage) => void) => void;
}

interface Hours {
  open: boolean;
  opensAt: number;
  closesAt: number;
}

const CLASS_ROOM = /^class-([A-Za-z0-9]{6,32})$/;

/** Works out this person's role in the room, and the title to show. */
async function resolveRole(roomId: string): Promise<{ role: Role; title: string; token?: string; courseId?: string }> {
  const classId = CLASS_ROOM.exec(roomId)?.[1];
  if (classId) {
    const { class: k, role, course } = await getClass(classId);
    return { role: role === "student" ? "Student" : "Teacher", title: `${course.code}: ${k.title}`, courseId: course.id };
  }
  const summary = await getRoom(roomId);
  const token = teacherToken(roomId);
  return { role: token ? "Teacher" : "Student", title: summary.title, ...(token ? { token } : {}) };
}

export function RoomPage(props: { roomId: string }) {
  const fromLink = /^#teacher=([A-Za-z0-9_-]+)$/.exec(location.hash)?.[1];
  if (fromLink) {
    saveTeacherToken(props.roomId, fromLink);
    // Keep the capability out of the address bar (and out of screenshots).
    history.replaceState(null, "", location.pathname);
  }
  const [resource] = createResource(() => props.roomId, resolveRole);
  // Reading an errored resource throws; the page reads this instead.
  const info = () => (resource.state === "ready" ? resource() : undefined);
  const [status, setStatus] = createSignal<Status>("connecting");
  const [failure, setFailure] = createSignal("");
  const [hours, setHours] = createSignal<Hours | null>(null);
  const [alert, setAlert] = createSignal("");
  const [room, setRoom] = createSignal<RoomView>({ id: props.roomId, teacher: null, students: [], sharedCode: "" });
  const [session, setSession] = createSignal<RoomSession | null>(null);
  const handlers: ((m: ServerMessage) => void)[] = [];

  function connect(role: Role, token?: string) {
    const { name: username, id: userId } = user()!;
    let chat: ChatModel | undefined;
    let board: BoardModel | undefined;
    const conn = new RoomConnection({
      roomId: props.roomId,
      username,
      role,
      ...(token ? { token } : {}),
      onStatus: (s, detail) => {
        setStatus(s);
        if (s === "joined") setFailure("");
        if (s === "failed" || s === "waiting") setFailure(detail ?? "Disconnected.");
      },
      onMessage: (message) => {
        if ("room" in message) setRoom(message.room);
        if (message.responseType === "STATUS") setHours(message.payload);
        chat?.handle(message);
        board?.handle(message);
        for (const h of handlers) h(message);
      },
      onJoined: (resumed) => {
        chat?.joined(resumed);
        board?.joined(resumed);
      },
    });
    chat = new ChatModel(conn, `thirdspace.outbox.${props.roomId}.${userId}`);
    board = new BoardModel(conn, `thirdspace.board.${props.roomId}.${userId}`, (hand) => {
      if (role !== "Teacher") return;
      setAlert(`${hand.student ?? "A student"} raised a hand${hand.note ? `: ${hand.note}` : ""}`);
      if ("Notification" in window && Notification.permission === "granted") new Notification("ThirdSpace", { body: `${hand.student} raised a hand` });
    });
    setSession({ conn, chat, board, roomId: props.roomId, username, room, listen: (h) => handlers.push(h) });
    conn.start();
  }
  onCleanup(() => session()?.conn.stop());

  createEffect(() => {
    const i = info();
    if (i && !session()) connect(i.role, i.token);
  });

  return (
    <main class="room">
      <header class="topbar">
        <Link href={info()?.courseId ? `/courses/${info()!.courseId}` : "/"} class="brand">
          ThirdSpace
        </Link>
        <span class="title">{info()?.title ?? "Room"}</span>
        <Show when={info()}>
          <span class="muted">{info()!.role} view</span>
        </Show>
        <Show when={hours()}>
          <span class="muted" data-testid="hours">
            {hours()!.open ? `Open until ${new Date(hours()!.closesAt).toLocaleTimeString()}` : "Closed to students"}
          </span>
        </Show>
        <span class="who">{user()?.name}</span>
        <ConnectionBadge status={status()} />
      </header>
      <Show when={alert()}>
        <div class="notice banner" role="status" data-testid="staff-alert">
          {alert()}
          <button class="link" onClick={() => setAlert("")}>
            Dismiss
          </button>
        </div>
      </Show>
      <Show when={failure()}>
        <p class="error banner" role="alert">
          {failure()}
        </p>
      </Show>
      <Switch>
        <Match when={resource.state === "errored"}>
          <p class="error banner" role="alert">
            This room does not exist, or it is not one of your classes.
          </p>
        </Match>
        <Match when={session() && info()?.role === "Teacher"}>
          <TeacherView session={session()!} />
        </Match>
        <Match when={session() && info()?.role === "Student"}>
          <StudentView session={session()!} />
        </Match>
      </Switch>
    </main>
  );
}
