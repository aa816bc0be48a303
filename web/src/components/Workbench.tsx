/**
 * An editor with Run (button or Ctrl/Cmd+Enter), a language choice, one
 * primary action (share), and the output panel. Both views build on it.
 * The draft is kept in localStorage so a reload never loses work.
 */
import { Show, createSignal, type JSX } from "solid-js";
import type { Language, RunOutput } from "../../../protocol";
import { draftKey } from "../lib/identity";
import type { RoomSession } from "../pages/RoomPage";
import { CodeEditor, type EditorHandle } from "./CodeEditor";
import { OutputPanel } from "./OutputPanel";

const STARTER = `// Write JavaScript here, then press Run (Ctrl/Cmd+Enter).
const greet = (name) => \`Hello, \${name}!\`;
console.log(greet("ThirdSpace"));
`;

export function Workbench(props: {
  session: RoomSession;
  role: "Student" | "Teacher";
  actionLabel: string;
  onAction: (code: string) => void;
  actionStatus?: string;
  ref?: (handle: EditorHandle) => void;
  notice?: JSX.Element;
}) {
  const key = draftKey(props.session.roomId, props.role);
  const [language, setLanguage] = createSignal<Language>("javascript");
  const [output, setOutput] = createSignal<RunOutput | null>(null);
  const [running, setRunning] = createSignal(false);
  const [error, setError] = createSignal("");
  let editor: EditorHandle | undefined;

  props.session.listen((message) => {
    if (message.responseType === "RUN") {
      setRunning(false);
      setOutput(message.payload);
    } else if (message.responseType === "ERROR") {
      setRunning(false);
      setError(message.payload.error_message);
    }
  });

  function run() {
    if (!editor || running()) return;
    setError("");
    const sent = props.session.conn.send({ action: "RUN", payload: { code: editor.code(), language: language() } });
    if (sent) setRunning(true);
    else setError("Not connected; your code will run once the connection is back.");
  }

  return (
    <section class="workbench">
      <div class="toolbar">
        <select aria-label="Language" value={language()} onChange={(e) => setLanguage(e.currentTarget.value as Language)}>
          <option value="javascript">JavaScript</option>
          <option value="typescript">TypeScript</option>
        </select>
        <button onClick={run} disabled={running()}>
          Run
        </button>
        <button class="primary" onClick={() => editor && props.onAction(editor.code())}>
          {props.actionLabel}
        </button>
        <Show when={props.actionStatus}>
          <span class="muted" role="status">{props.actionStatus}</span>
        </Show>
      </div>
      {props.notice}
      <Show when={error()}>
        <p class="error" role="alert">{error()}</p>
      </Show>
      <CodeEditor
        label="Your code"
        initial={localStorage.getItem(key) ?? STARTER}
        typescript={language() === "typescript"}
        onRun={run}
        onChange={(code) => localStorage.setItem(key, code)}
        ref={(h) => {
          editor = h;
          props.ref?.(h);
        }}
      />
      <OutputPanel output={output()} running={running()} />
    </section>
  );
}
