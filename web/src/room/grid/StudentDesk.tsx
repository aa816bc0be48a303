/**
 * A student's editor opened full size from the grid: staff type in it with
 * the student (each sees the other's cursor and name), or replay how it
 * came to be.
 */
import { Show, createSignal } from "solid-js";
import { docOfStudent } from "../../../../protocol";
import { CodeEditor } from "../CodeEditor";
import { Playback } from "../docs/Playback";
import { useRoom } from "../session";

export function StudentDesk(props: { name: string; onBack: () => void }) {
  const session = useRoom();
  const [replay, setReplay] = createSignal(false);
  const here = () => session.room().roster.some((e) => e.username === props.name && e.role === "Student");
  return (
    <section class="desk" aria-label={`${props.name}'s editor`}>
      <div class="toolbar">
        <button class="link" onClick={() => props.onBack()}>
          ← Class grid
        </button>
        <h3>{props.name}'s editor</h3>
        <span class="muted">{replay() ? "playback" : here() ? "live: you both type here, and see each other's cursor" : "left the room"}</span>
        <button onClick={() => setReplay(!replay())}>{replay() ? "Back to live" : "Replay"}</button>
      </div>
      <Show
        when={replay()}
        fallback={
          <CodeEditor
            label={`${props.name}'s code`}
            initial=""
            readOnly={session.status() === "failed"}
            live={{ model: session.docs, doc: docOfStudent(props.name), cursors: "always" }}
          />
        }
      >
        <Playback doc={docOfStudent(props.name)} title={`${props.name}'s editor`} />
      </Show>
    </section>
  );
}
