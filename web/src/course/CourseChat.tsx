/** The course's channel on its page: chat for all members that persists between classes. */
import { Show, createSignal, onCleanup } from "solid-js";
import { ROOM_ROLE, courseChannelId } from "../../../protocol";
import { ChatPanel } from "../chat/ChatPanel";
import { ChatModel } from "../chat/chat";
import type { CourseRole } from "../lib/api";
import { RoomConnection, type Status } from "../lib/connection";
import { CLOSE_TEXT } from "../lib/error-text";
import { ErrorRouter } from "../lib/errors";
import { userKey } from "../lib/identity";
import { user } from "../lib/session";
import { ConnectionBadge } from "../ui/ConnectionBadge";

export function CourseChat(props: { courseId: string; role: CourseRole }) {
  const roomId = courseChannelId(props.courseId);
  const [status, setStatus] = createSignal<Status>("connecting");
  const [problem, setProblem] = createSignal("");
  const me = user()!;
  // The channel has only a chat: its errors go to the chat panel, the rest (joining) beside the badge.
  const errors = new ErrorRouter((e) => setProblem(e.error_message));
  const conn = new RoomConnection({
    roomId,
    username: me.name,
    role: ROOM_ROLE[props.role],
    onStatus: (s, detail) => {
      setStatus(s);
      setProblem(s === "failed" ? (detail ?? CLOSE_TEXT.disconnected) : "");
    },
    onMessage: (m) => (m.responseType === "ERROR" ? errors.route(m.payload) : chat.handle(m)),
    onJoined: (resumed) => chat.joined(resumed),
    snapshots: ["HISTORY"],
  });
  const chat = new ChatModel(conn, userKey(me.id, "outbox", roomId));
  errors.on("chat", (e) => chat.refused(e));
  conn.start();
  onCleanup(() => conn.stop());

  return (
    <section class="card" aria-label="Course chat">
      <div class="row spread">
        <h3>Course chat</h3>
        <ConnectionBadge status={status()} />
      </div>
      <p class="muted small">For everyone in the course, between classes too.</p>
      <Show when={problem()}>
        <p class="error small" role="alert">
          {problem()}
        </p>
      </Show>
      <ChatPanel model={chat} me={me.name} isStaff={props.role !== "student"} />
    </section>
  );
}
