/**
 * A student's room: own editor (live: staff see it as it is typed), Run,
 * "Share with teacher"; teacher code lands here, undoably. While staff lock
 * the editors it is read-only; in follow mode the teacher's editor shows
 * beside it, live.
 */
import { Show, createSignal } from "solid-js";
import { docOfStudent } from "../../../protocol";
import { StudentHandIn } from "../homework/RoomHomework";
import { CodeEditor, type EditorHandle } from "./CodeEditor";
import { Playback } from "./docs/Playback";
import { StudentHelp } from "./HelpQueue";
import { RoomTabs } from "./RoomTabs";
import { LiveStage } from "../lectures/live/LiveStage";
import { Splitter } from "../ui/Splitter";
import { sidePane } from "./panes";
import { useRoom } from "./session";
import { createShare } from "./share";
import { Workbench } from "./Workbench";
import { ROOM_TEXT } from "./strings";

export function StudentView(props: { courseId?: string | undefined }) {
  const session = useRoom();
  const room = session.room;
  const [teacherCodeArrived, setTeacherCodeArrived] = createSignal<string | null>(null);
  // The student's code from before the teacher's arrived: "Undo" brings exactly this back, whatever was typed since.
  let beforeTeacher = "";
  const { status: shareStatus, share } = createShare((echo) => ROOM_TEXT.sharedWithTeacher(echo.payload.sharedAt));
  let editor: EditorHandle | undefined;
  let teacherEditor: EditorHandle | undefined;
  const mode = () => session.docs.mode();
  const [replay, setReplay] = createSignal(false);
  const side = sidePane();

  session.listen((message) => {
    if (message.responseType !== "SHARE" || message.payload.role !== "Teacher") return;
    // Lands in the editor as one change the student can undo.
    if (!teacherCodeArrived()) beforeTeacher = editor?.code() ?? "";
    editor?.replace(message.payload.shared_code);
    setTeacherCodeArrived(message.payload.from);
  });

  return (
    <div class="student" classList={{ following: mode().follow || replay() }} style={{ "--side-width": `${side.size()}px` }}>
      <aside class="side" id="room-side">
        <LiveStage />
        <h3>Class</h3>
        <p>
          Teacher: <strong>{room().teacher ?? "not here yet"}</strong>
        </p>
        <p class="muted" data-testid="student-count">
          {ROOM_TEXT.studentsConnected(room().students)}
        </p>
        {/* The teacher's last share: from our JOIN answer (shared before we came), then from each teacher SHARE. */}
        <Show when={room().sharedCode}>
          <button onClick={() => editor?.replace(room().sharedCode)}>Load the teacher's latest code</button>
        </Show>
        <button class="link" onClick={() => setReplay(!replay())} disabled={!session.ready()}>
          {replay() ? "Close playback" : "Replay my work"}
        </button>
        <RoomTabs
          currentCode={() => editor?.code() ?? ""}
          help={() => <StudentHelp board={session.board} code={() => (editor ? { code: editor.code(), line: editor.line() } : null)} />}
          homework={props.courseId ? () => <StudentHandIn courseId={props.courseId!} code={() => editor?.code() ?? ""} /> : undefined}
        />
      </aside>
      <Splitter label="Resize the side panel" orientation="vertical" pane={side} controls="room-side" />
      <Show when={session.ready()} fallback={<p class="muted">Joining the room…</p>}>
        <Workbench
          actionLabel="Share with teacher"
          onAction={share}
          actionStatus={shareStatus()}
          ref={(h) => (editor = h)}
          doc={docOfStudent(session.username)}
          locked={mode().locked}
          cursors="watched"
          notice={
            <>
              <Show when={session.docs.visitors[docOfStudent(session.username)]?.length}>
                <p class="notice" role="status" data-testid="visitor-notice">
                  {session.docs.visitors[docOfStudent(session.username)]!.join(", ")} opened your editor: you may see them type here.
                </p>
              </Show>
              <Show when={mode().locked}>
                <p class="notice" role="status" data-testid="locked-notice">
                  🔒 {mode().by ?? "Your teacher"} locked the editors for now: watch, then carry on once they unlock.
                </p>
              </Show>
              <Show when={teacherCodeArrived()}>
                <div class="notice" role="status" data-testid="teacher-code-notice">
                  {teacherCodeArrived()} shared code into your editor.
                  <button
                    onClick={() => {
                      editor?.replace(beforeTeacher);
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
            </>
          }
        />
        <Show when={replay()}>
          <Playback doc={docOfStudent(session.username)} title="your editor" onClose={() => setReplay(false)} />
        </Show>
        <Show when={mode().follow && !replay()}>
          <section class="viewer follow" aria-label="The teacher's editor" data-testid="follow-panel">
            <h3>Following {room().teacher ?? "the teacher"} live</h3>
            <p class="muted">Select and copy what you need, or take it all (undo gets your code back).</p>
            <button
              disabled={mode().locked}
              onClick={() => {
                editor?.replace(teacherEditor?.code() ?? "");
              }}
            >
              Copy all into my editor
            </button>
            <CodeEditor label="The teacher's code" initial="" readOnly live={{ model: session.docs, doc: "teacher" }} ref={(h) => (teacherEditor = h)} />
          </section>
        </Show>
      </Show>
    </div>
  );
}
