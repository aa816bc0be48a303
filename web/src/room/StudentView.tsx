/** A student's room: own editor, Run, "Share with teacher"; teacher code lands here, undoably. */
import { Show, createSignal } from "solid-js";
import { StudentHandIn } from "../homework/RoomHomework";
import type { EditorHandle } from "./CodeEditor";
import { StudentHelp } from "./HelpQueue";
import { RoomTabs } from "./RoomTabs";
import { useRoom } from "./session";
import { createShare } from "./share";
import { Workbench } from "./Workbench";

export function StudentView(props: { courseId?: string | undefined }) {
  const session = useRoom();
  const room = session.room;
  const [teacherCodeArrived, setTeacherCodeArrived] = createSignal<string | null>(null);
  const { status: shareStatus, share } = createShare((echo) => `Shared with teacher at ${new Date(echo.payload.sharedAt).toLocaleTimeString()}`);
  let editor: EditorHandle | undefined;

  session.listen((message) => {
    if (message.responseType !== "SHARE" || message.payload.role !== "Teacher") return;
    // Lands in the editor as one change the student can undo.
    editor?.replace(message.payload.shared_code);
    setTeacherCodeArrived(message.payload.from);
  });

  return (
    <div class="student">
      <aside class="side">
        <h3>Class</h3>
        <p>
          Teacher: <strong>{room().teacher ?? "not here yet"}</strong>
        </p>
        <p class="muted" data-testid="student-count">
          {room().students} student(s) connected
        </p>
        {/* The teacher's last share: from our JOIN answer (shared before we came), then from each teacher SHARE. */}
        <Show when={room().sharedCode}>
          <button onClick={() => editor?.replace(room().sharedCode)}>Load the teacher's latest code</button>
        </Show>
        <RoomTabs
          currentCode={() => editor?.code() ?? ""}
          help={() => <StudentHelp board={session.board} code={() => (editor ? { code: editor.code(), line: editor.line() } : null)} />}
          homework={props.courseId ? () => <StudentHandIn courseId={props.courseId!} code={() => editor?.code() ?? ""} /> : undefined}
        />
      </aside>
      <Workbench
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
