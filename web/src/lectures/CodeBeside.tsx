/**
 * Beside a class recording: the teacher's code as it was at the video's
 * current moment, following play and seek, and a practice editor that
 * "Copy to my editor" fills, where a student runs and changes it.
 */
import { Show, createEffect, createResource, createSignal } from "solid-js";
import type { RunOutput } from "../../../protocol";
import { problemText } from "../lib/api";
import { userKey } from "../lib/identity";
import { user } from "../lib/session";
import { FormAlert } from "../ui/Field";
import { CodeEditor, type EditorHandle } from "../room/CodeEditor";
import { OutputPanel } from "../room/OutputPanel";
import { codePage, runCode } from "./api";
import { loadTimeline } from "./timeline";

export function CodeBeside(props: { lectureId: string; time: number; onCopy?: () => void }) {
  const [timeline] = createResource(() => props.lectureId, (id) => loadTimeline((after) => codePage(id, after)));
  const code = () => timeline()?.textAt(props.time) ?? "";
  const [output, setOutput] = createSignal<RunOutput | null>(null);
  const [running, setRunning] = createSignal(false);
  const [note, setNote] = createSignal("");
  // The practice editor keeps its code and language per person and lecture, through reloads.
  const draftKey = userKey(user()!.id, "practice", props.lectureId);
  const languageKey = userKey(user()!.id, "practice-ts", props.lectureId);
  const [typescript, setTypescript] = createSignal(localStorage.getItem(languageKey) === "1");
  let shown: EditorHandle | undefined;
  let mine: EditorHandle | undefined;

  createEffect(() => {
    const text = code();
    if (shown && shown.code() !== text) shown.replace(text);
  });

  async function run() {
    if (!mine || running()) return;
    setRunning(true);
    setNote("");
    try {
      setOutput(await runCode(mine.code(), typescript() ? "typescript" : "javascript"));
    } catch (e) {
      setNote(problemText(e, "The code could not run; try again."));
    } finally {
      setRunning(false);
    }
  }

  return (
    <section class="code-beside" aria-label="The teacher's code">
      <h2>The teacher's code at this moment</h2>
      <Show when={timeline.error}>
        <p class="error" role="alert">
          The code timeline could not be loaded.
        </p>
      </Show>
      <div class="code-shown">
        <CodeEditor label="The teacher's code at this moment" initial="" readOnly ref={(h) => (shown = h)} />
      </div>
      <button
        onClick={() => {
          mine?.replace(code());
          props.onCopy?.();
        }}
      >
        Copy to my editor
      </button>
      <h2>My editor</h2>
      <label class="row small">
        Language{" "}
        <select
          value={typescript() ? "typescript" : "javascript"}
          onChange={(e) => {
            setTypescript(e.currentTarget.value === "typescript");
            localStorage.setItem(languageKey, typescript() ? "1" : "0");
          }}
        >
          <option value="javascript">JavaScript</option>
          <option value="typescript">TypeScript</option>
        </select>
      </label>
      <div class="code-mine">
        <Show when={typescript()} fallback={<CodeEditor label="My editor" initial={localStorage.getItem(draftKey) ?? ""} onChange={(code) => localStorage.setItem(draftKey, code)} onRun={() => void run()} ref={(h) => (mine = h)} />}>
          <CodeEditor label="My editor" typescript initial={localStorage.getItem(draftKey) ?? ""} onChange={(code) => localStorage.setItem(draftKey, code)} onRun={() => void run()} ref={(h) => (mine = h)} />
        </Show>
      </div>
      <button class="primary" onClick={() => void run()} disabled={running()}>
        Run
      </button>
      <FormAlert message={note()} />
      <OutputPanel output={output()} running={running()} />
    </section>
  );
}
