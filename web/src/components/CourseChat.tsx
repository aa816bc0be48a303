/** The course's channel on its page: chat for all members that persists between classes. */
import { createSignal, onCleanup } from "solid-js";
import type { CourseRole } from "../lib/api";
import { ChatModel } from "../lib/chat";
import { RoomConnection, type Status } from "../lib/connection";
import { user } from "../lib/session";
import { ChatPanel } from "./ChatPanel";
import { ConnectionBadge } from "./ConnectionBadge";

export function CourseChat(props: { courseId: string; role: CourseRole }) {
  const roomId = `course-${props.courseId}`;
  const [status, setStatus] = createSignal<Status>("connecting");
  const me = user()!;
  let chat: ChatModel | undefined;
  const conn = new RoomConnection({
    roomId,
    username: me.name,
    role: props.role === "student" ? "Student" : "Teacher",
    onStatus: (s) => setStatus(s),
    onMessage: (m) => chat?.handle(m),
    onJoined: (resumed) => chat?.joined(resumed),
    snapshots: ["HISTORY"],
  });
  chat = new ChatModel(conn, `thirdspace.outbox.${roomId}.${me.id}`);
  conn.start();
  onCleanup(() => conn.stop());

  return (
    <section class="card" aria-label="Course chat">
      <div class="row spread">
        <h3>Course chat</h3>
        <ConnectionBadge status={status()} />
      </div>
      <p class="muted small">For everyone in the course, between classes too.</p>
      <ChatPanel model={chat} me={me.name} isStaff={props.role !== "student"} />
    </section>
  );
}
