/** A student's room: own editor, Run, "Share with teacher"; teacher code lands here, undoably. */
import { Show, createSignal } from "solid-js";
import { StudentHelp } from "../components/HelpQueue";
import { RoomTabs } from "../components/RoomTabs";
import type { EditorHandle } from "../components/CodeEditor";
import { Workbench } from "../components/Workbench";
import type { RoomSession } from "./RoomPage";

export function StudentView(props: { session: RoomSession }) {
  const [shareStatus, setShareStatus] = createSignal("");
  const [teacherCodeArrived, setTeacherCodeArrived] = createSignal<string | null>(null);
  let editor: EditorHandle | undefined;

  props.session.listen((message) => {
    if (message.responseType !== "SHARE") return;
    if (message.payload.role === "Student" && message.payload.from === props.session.username) {
      setShareStatus(`Shared with teacher at ${new Date(message.payload.sharedAt).toLocaleTimeString()}`);
    } else if (message.payload.role === "Teacher") {
      // Lands in the editor as one change the student can undo.
      editor?.replace(message.payload.shared_code);
      setTeacherCodeArrived(message.payload.from);
    }
  });

  function share(code: string) {
    const sent = props.session.conn.send({ action: "SHARE", payload: { shared_code: code } });
    setShareStatus(sent ? "Sharing…" : "Not connected; try again in a moment.");
  }

  const room = props.session.room;
  return (
    <div class="student">
      <aside class="side">
        <h3>Class</h3>
        <p>
          Teacher: <strong>{room().teacher ?? "not here yet"}</strong>
        </p>
        <p class="muted">{room().students.length} student(s) connected</p>
        <Show when={room().sharedCode}>
          <button onClick={() => editor?.replace(room().sharedCode)}>Load the teacher's latest code</button>
        </Show>
        <RoomTabs
          session={props.session}
          isStaff={false}
          currentCode={() => editor?.code() ?? ""}
          help={() => <StudentHelp board={props.session.board} code={() => (editor ? { code: editor.code(), line: editor.line() } : null)} />}
        />
      </aside>
      <Workbench
        session={props.session}
        role="Student"
        actionLabel="Share with teacher"
        onAction={share}
        actionStatus={shareStatus()}
        ref={(h) => (editor = h)}
        notice={
          <Show when={teacherCodeArrived()}>
            <div class="notice" role="status" data-testid="teacher-code-notice">
              {teacherCodeArrived()} shared code into your editor.
              <button
                onClick={() => {
                  editor?.undo();
                  setTeacherCodeArrived(null);
                }}
              >
                Undo (get my code back)
              </button>
              <button class="link" onClick={() => setTeacherCodeArrived(null)}>
                Keep
              </button>
            </div>
          </Show>
        }
      />
    </div>
  );
}
