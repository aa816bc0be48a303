/** The teacher's list of students: who is here (join order), then those who left but shared code, each with a "new code" dot. */
import { For, Show, createMemo } from "solid-js";
import { studentsHere } from "./roster";
import { useRoom } from "./session";

/** A student's latest shared code, as the teacher has it. */
export interface Shared {
  code: string;
  sharedAt: number;
  unseen: boolean;
}

export function StudentList(props: { shares: Record<string, Shared>; selected: string | null; onOpen: (name: string) => void }) {
  const session = useRoom();
  const entries = createMemo(() => {
    const online = studentsHere(session.room());
    const offline = Object.keys(props.shares).filter((n) => !online.includes(n));
    return [...online.map((name) => ({ name, online: true })), ...offline.map((name) => ({ name, online: false }))];
  });

  return (
    <>
      {/* The count is the room's own (every frame carries it), not the length of a list we assembled from deltas. */}
      <h3>Students ({session.room().students})</h3>
      <ul class="roster" aria-label="Roster">
        <For each={entries()} fallback={<li class="muted">No students yet. Share the student link.</li>}>
          {(s) => (
            <li classList={{ selected: props.selected === s.name, offline: !s.online }}>
              <button class="link" onClick={() => props.onOpen(s.name)}>
                {s.name}
              </button>
              <Show when={props.shares[s.name]?.unseen}>
                <span class="dot" title="New code shared">
                  new
                </span>
              </Show>
              <Show when={!s.online}>
                <span class="muted"> (left)</span>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </>
  );
}
