/**
 * The teacher's room: live roster, own editor with "Share to all", and a
 * student's latest shared code beside it once one is picked; or the class
 * grid of every student's live editor, from which one opens full size to
 * type in or replay. The lock and follow controls sit above both.
 */
import { Show, createSignal, onCleanup } from "solid-js";
import { createStore } from "solid-js/store";
import type { HandView } from "../../../protocol";
import { StaffHandOut } from "../homework/RoomHomework";
import { links, teacherToken } from "../lib/identity";
import { user } from "../lib/session";
import { CodeEditor, type EditorHandle } from "./CodeEditor";
import { ModeControls } from "./docs/ModeControls";
import { ClassGrid } from "./grid/ClassGrid";
import { StudentDesk } from "./grid/StudentDesk";
import { StaffHelp } from "./HelpQueue";
import { RoomTabs } from "./RoomTabs";
import { LiveStage } from "../lectures/live/LiveStage";
import { useRoom } from "./session";
import { createShare } from "./share";
import { StudentList, type Shared } from "./StudentList";
import { Workbench } from "./Workbench";
import { Splitter } from "../ui/Splitter";
import { sidePane } from "./panes";
import { ROOM_TEXT } from "./strings";

export function TeacherView(props: { courseId?: string | undefined }) {
  const session = useRoom();
  const [shares, setShares] = createStore<Record<string, Shared>>({});
  const [selected, setSelected] = createSignal<string | null>(null);
  const [helping, setHelping] = createSignal<HandView | null>(null);
  const [stage, setStage] = createSignal<"editor" | "grid">("editor");
  const [desk, setDesk] = createSignal<string | null>(null);
  const link = links(session.roomId, teacherToken(user()!.id, session.roomId) ?? undefined);
  const { status: shareStatus, share } = createShare(
    (echo) => ROOM_TEXT.sharedToStudents(echo.room.students, echo.payload.sharedAt),
  );
  let editor: EditorHandle | undefined;
  const side = sidePane();
  // The student's code opens beside the editor only when asked for, and gives the space back when closed.
  const picked = () => selected() !== null || helping() !== null;
  let viewer: HTMLElement | undefined;
  let returnFocus: HTMLElement | null = null;

  function pick(set: () => void) {
    returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setStage("editor");
    set();
  }

  function closeViewer() {
    setSelected(null);
    setHelping(null);
    if (returnFocus?.isConnected) returnFocus.focus();
    returnFocus = null;
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.key !== "Escape" || e.defaultPrevented || !picked() || stage() !== "editor") return;
    // Escape in a field or in the teacher's own editor belongs to it; in the student's code, or anywhere else, it closes.
    const target = e.target instanceof Element ? e.target : null;
    if (target && !viewer?.contains(target) && target.closest("input, textarea, select, [contenteditable='true']")) return;
    closeViewer();
  };
  document.addEventListener("keydown", onKey);
  onCleanup(() => document.removeEventListener("keydown", onKey));

  session.listen((message) => {
    if (message.responseType !== "SHARE" || message.payload.role !== "Student") return;
    const { from, shared_code, sharedAt } = message.payload;
    setShares(from, { code: shared_code, sharedAt, unseen: selected() !== from });
  });

  /** A student's live editor, full size (from the grid, a shared-code view or a help request). */
  function openDesk(name: string) {
    setDesk(name);
    setStage("grid");
  }

  function open(name: string) {
    pick(() => {
      setHelping(null);
      setSelected(name);
    });
    if (shares[name]) setShares(name, "unseen", false);
  }

  return (
    <div class="teacher" style={{ "--side-width": `${side.size()}px` }}>
      <aside class="side" id="room-side">
        <LiveStage />
        <StudentList shares={shares} selected={selected()} onOpen={open} />
        <label class="small">
          Student link
          <input readOnly value={link.student} onFocus={(e) => e.currentTarget.select()} />
        </label>
        <RoomTabs
          currentCode={() => editor?.code() ?? ""}
          helpCount={session.board.openHands().filter((h) => h.status === "waiting").length}
          help={() => (
            <StaffHelp
              board={session.board}
              me={session.username}
              onOpen={(hand) =>
                pick(() => {
                  setSelected(null);
                  setHelping(hand);
                })
              }
            />
          )}
          homework={
            props.courseId
              ? () => (
                  <StaffHandOut
                    courseId={props.courseId!}
                    handOut={(code) => {
                      editor?.replace(code);
                      share(code);
                    }}
                  />
                )
              : undefined
          }
        />
      </aside>
      <Splitter label="Resize the side panel" orientation="vertical" pane={side} controls="room-side" />
      <div class="stage">
        <div class="toolbar stage-bar">
          <div class="switch" role="group" aria-label="View">
            <button aria-pressed={stage() === "editor"} onClick={() => setStage("editor")}>
              My editor
            </button>
            <button aria-pressed={stage() === "grid"} onClick={() => setStage("grid")}>
              Class grid · {session.room().students} here
            </button>
          </div>
          <ModeControls />
        </div>
        {/* Hidden, not unmounted: the editor keeps its state and output while the grid is open. */}
        <div class="pair" classList={{ "with-viewer": picked() }} hidden={stage() !== "editor"}>
          <Workbench
            actionLabel="Share to all students"
            actionStatus={shareStatus()}
            ref={(h) => (editor = h)}
            onAction={share}
            doc="teacher"
            cursors="always"
          />
          <section class="viewer" aria-label="Student code" ref={viewer} hidden={!picked()}>
            <button class="viewer-close" onClick={closeViewer} title="Close (Esc)">
              Close
            </button>
            <Show when={helping()} keyed>
              {(hand) => (
                <>
                  <h3>
                    {hand.student}'s code (help request{hand.line ? `, line ${hand.line}` : ""})
                  </h3>
                  <Show when={hand.note}>
                    <p class="muted">{hand.note}</p>
                  </Show>
                  <p class="muted">
                    The code as it was when the hand went up.{" "}
                    <Show when={hand.student}>
                      {(student) => (
                        <button class="link" onClick={() => openDesk(student())}>
                          Open {student()}'s live editor
                        </button>
                      )}
                    </Show>
                  </p>
                  <CodeEditor label={`${hand.student}'s code`} initial={hand.code ?? ""} readOnly {...(hand.line ? { focusLine: hand.line } : {})} />
                </>
              )}
            </Show>
            <Show when={!helping()}>
              <Show when={selected()}>
                {(name) => (
                  <>
                    <h3>{name()}'s shared code</h3>
                    <button class="link" onClick={() => openDesk(name())}>
                      Open {name()}'s live editor
                    </button>
                    <Show when={shares[name()]} keyed fallback={<p class="muted">{name()} has not shared code yet.</p>}>
                      {(shared) => (
                        <>
                          <p class="muted">Shared at {new Date(shared.sharedAt).toLocaleTimeString()}</p>
                          <CodeEditor label={`${name()}'s code`} initial={shared.code} readOnly />
                        </>
                      )}
                    </Show>
                  </>
                )}
              </Show>
            </Show>
          </section>
        </div>
        <Show when={stage() === "grid"}>
          <Show when={desk()} keyed fallback={<ClassGrid onOpen={setDesk} />}>
            {(name) => <StudentDesk name={name} onBack={() => setDesk(null)} />}
          </Show>
        </Show>
      </div>
    </div>
  );
}
