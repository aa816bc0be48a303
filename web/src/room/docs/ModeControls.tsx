/** Staff controls over the students' editors: lock them (read-only) for a demo, and have the class follow the teacher's editor. */
import { Show } from "solid-js";
import { useRoom } from "../session";

export function ModeControls() {
  const session = useRoom();
  const mode = () => session.docs.mode();
  return (
    <div class="modes" role="group" aria-label="Students' editors">
      <button aria-pressed={mode().locked} onClick={() => session.docs.changeMode({ locked: !mode().locked })}>
        {mode().locked ? "🔒 Unlock students' editors" : "Lock students' editors"}
      </button>
      <button aria-pressed={mode().follow} onClick={() => session.docs.changeMode({ follow: !mode().follow })}>
        {mode().follow ? "Stop follow me" : "Follow me"}
      </button>
      <Show when={mode().locked || mode().follow}>
        <span class="notice small" role="status" data-testid="mode-status">
          {[mode().locked && "Students' editors are locked.", mode().follow && "The class follows your editor."].filter(Boolean).join(" ")}
          {mode().by && mode().by !== session.username ? ` Last changed by ${mode().by}.` : ""}
        </span>
      </Show>
    </div>
  );
}
