/** The teacher's room: live roster, each student's latest shared code, own editor with "Share to all". */
import { For, Show, createMemo, createSignal } from "solid-js";
import { createStore } from "solid-js/store";
import type { HandView } from "../../../protocol";
import { StaffHelp } from "../components/HelpQueue";
import { RoomTabs } from "../components/RoomTabs";
import { CodeEditor, type EditorHandle } from "../components/CodeEditor";
import { Workbench } from "../components/Workbench";
import { links, teacherToken } from "../lib/identity";
import type { RoomSession } from "./RoomPage";

interface Shared {
  code: string;
  sharedAt: number;
  unseen: boolean;
}

export function TeacherView(props: { session: RoomSession }) {
  const [shares, setShares] = createStore<Record<string, Shared>>({});
  const [selected, setSelected] = createSignal<string | null>(null);
  const [shareStatus, setShareStatus] = createSignal("");
  const [helping, setHelping] = createSignal<HandView | null>(null);
  const room = props.session.room;
  const link = links(props.session.roomId, teacherToken(props.session.roomId) ?? undefined);
  let editor: EditorHandle | undefined;

  props.session.listen((message) => {
    if (message.responseType !== "SHARE") return;
    const { from, role, shared_code, sharedAt } = message.payload;
    if (role === "Student") {
      setShares(from, { code: shared_code, sharedAt, unseen: selected() !== from });
    } else if (from === props.session.username) {
      setShareStatus(`Shared to ${message.room.students.length} student(s) at ${new Date(sharedAt).toLocaleTimeString()}`);
    }
  });

  /** Connected students first (join order), then those who left but shared code. */
  const roster = createMemo(() => {
    const online = room().students;
    const offline = Object.keys(shares).filter((n) => !online.includes(n));
    return [...online.map((name) => ({ name, online: true })), ...offline.map((name) => ({ name, online: false }))];
  });

  function open(name: string) {
    setHelping(null);
    setSelected(name);
    if (shares[name]) setShares(name, "unseen", false);
  }

  return (
    <div class="teacher">
      <aside class="side">
        <h3>Students ({room().students.length})</h3>
        <ul class="roster" aria-label="Roster">
          <For each={roster()} fallback={<li class="muted">No students yet. Share the student link.</li>}>
            {(s) => (
              <li classList={{ selected: selected() === s.name, offline: !s.online }}>
                <button class="link" onClick={() => open(s.name)}>
                  {s.name}
                </button>
                <Show when={shares[s.name]?.unseen}>
                  <span class="dot" title="New code shared">new</span>
                </Show>
                <Show when={!s.online}>
                  <span class="muted"> (left)</span>
                </Show>
              </li>
            )}
          </For>
        </ul>
        <label class="small">
          Student link
          <input readOnly value={link.student} onFocus={(e) => e.currentTarget.select()} />
        </label>
        <RoomTabs
          session={props.session}
          isStaff
          currentCode={() => editor?.code() ?? ""}
          helpCount={props.session.board.openHands().filter((h) => h.status === "waiting").length}
          help={() => (
            <StaffHelp
              board={props.session.board}
              me={props.session.username}
              onOpen={(hand) => {
                setSelected(null);
                setHelping(hand);
              }}
            />
          )}
        />
      </aside>
      <Workbench
        session={props.session}
        role="Teacher"
        actionLabel="Share to all students"
        actionStatus={shareStatus()}
        ref={(h) => (editor = h)}
        onAction={(code) => {
          const sent = props.session.conn.send({ action: "SHARE", payload: { shared_code: code } });
          setShareStatus(sent ? "Sharing…" : "Not connected; try again in a moment.");
        }}
      />
      <section class="viewer" aria-label="Student code">
        <Show when={helping()} keyed>
          {(hand) => (
            <>
              <h3>{hand.student}'s code (help request{hand.line ? `, line ${hand.line}` : ""})</h3>
              <Show when={hand.note}>
                <p class="muted">{hand.note}</p>
              </Show>
              <CodeEditor label={`${hand.student}'s code`} initial={hand.code ?? ""} readOnly {...(hand.line ? { focusLine: hand.line } : {})} />
            </>
          )}
        </Show>
        <Show when={!helping()}>
        <Show when={selected()} fallback={<p class="muted">Click a student to see the code they shared.</p>}>
          {(name) => (
            <>
              <h3>{name()}'s shared code</h3>
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
  );
}
