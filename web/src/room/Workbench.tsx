/**
 * An editor with Run (button or Ctrl/Cmd+Enter, the room's one solid
 * button), a language choice, the view's share action, and the output
 * panel below a handle that resizes the editor. Both views build on it.
 * The editor is a live document of the room (the student's own, or the
 * teacher's), so staff see it as it is typed; a copy is kept in
 * localStorage too, and starts the document if the room has none yet. The
 * language is kept beside it: code typed as TypeScript stays TypeScript.
 */
import { Show, createEffect, createSignal, type JSX } from "solid-js";
import { LIMITS, type Language, type RunOutput } from "../../../protocol";
import { draftKey } from "../lib/identity";
import { user } from "../lib/session";
import { readStorage, writeStorage } from "../lib/storage";
import { CodeEditor, type EditorHandle } from "./CodeEditor";
import type { DocSync } from "./docs/doc-sync";
import { editorFit } from "./editor-fit";
import { keptLanguage } from "./kept-language";
import { OutputPanel } from "./OutputPanel";
import { editorPane } from "./panes";
import { useRoom } from "./session";
import type { ShareStatus } from "./share";
import { Splitter } from "../ui/Splitter";
import { ROOM_TEXT } from "./strings";

const STARTER = `// Write JavaScript here, then press Run (Ctrl/Cmd+Enter).
const greet = (name) => \`Hello, \${name}!\`;
console.log(greet("ThirdSpace"));
`;

export function Workbench(props: {
  actionLabel: string;
  onAction: (code: string) => void;
  actionStatus?: ShareStatus | null;
  ref?: (handle: EditorHandle) => void;
  notice?: JSX.Element;
  /** The live document this editor is: `student:<name>` or `teacher`. */
  doc: string;
  /** Read-only while staff lock the students' editors. */
  locked?: boolean;
  /** Others see this editor's cursor: always (the teacher's), or while someone else is in it (a student's). */
  cursors: DocSync["cursors"];
}) {
  const session = useRoom();
  // Kept per account: on a shared browser the next person starts from their own draft, never this one.
  const key = draftKey(user()!.id, session.roomId, session.role);
  const [language, setLanguage] = keptLanguage(key);
  const [output, setOutput] = createSignal<RunOutput | null>(null);
  const [running, setRunning] = createSignal(false);
  const [error, setError] = createSignal("");
  let editor: EditorHandle | undefined;
  let sync: DocSync | undefined;
  let bench: HTMLElement | undefined;
  const height = editorPane(editorFit(() => bench));

  session.listen((message) => {
    if (message.responseType !== "RUN") return;
    setRunning(false);
    setOutput(message.payload);
  });
  // Only an ERROR that answers a RUN ends the run: others belong to other panels.
  session.onError("run", (e) => {
    setRunning(false);
    setError(e.error_message);
  });
  // A run whose connection dropped is never answered: the new connection knows nothing of it.
  createEffect(() => {
    if (session.status() === "joined" || !running()) return;
    setRunning(false);
    setError(ROOM_TEXT.runDropped);
  });

  function run() {
    if (!editor || running()) return;
    setError("");
    sync?.flushNow();
    const code = editor.code();
    // The room would refuse it (LIMITS.maxCodeChars); said here in the reader's terms, with nothing sent.
    if (code.length > LIMITS.maxCodeChars) return setError(ROOM_TEXT.codeTooLong(LIMITS.maxCodeChars));
    const sent = session.send({ action: "RUN", payload: { code, language: language() } });
    if (sent) setRunning(true);
    else setError(ROOM_TEXT.runNotConnected);
  }

  return (
    <section class="workbench" ref={bench} style={{ "--editor-height": `${height.size()}px` }}>
      <div class="toolbar">
        <select aria-label="Language" value={language()} onChange={(e) => setLanguage(e.currentTarget.value as Language)}>
          <option value="javascript">JavaScript</option>
          <option value="typescript">TypeScript</option>
        </select>
        <button class="primary" onClick={run} disabled={running()}>
          Run
        </button>
        <button
          onClick={() => {
            sync?.flushNow();
            if (editor) props.onAction(editor.code());
          }}
        >
          {props.actionLabel}
        </button>
        <Show when={props.actionStatus} keyed>
          {(s) => (
            <span class={s.error ? "error" : "muted"} role={s.error ? "alert" : "status"} data-testid="share-status">
              {s.text}
            </span>
          )}
        </Show>
      </div>
      {props.notice}
      <Show when={session.docs.refusal()}>
        <p class="error" role="alert" data-testid="doc-refused">
          Not saved. {session.docs.refusal()} Your changes stay in this editor.
        </p>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert" data-testid="run-error">
          {error()}
        </p>
      </Show>
      <CodeEditor
        label="Your code"
        initial=""
        live={{ model: session.docs, doc: props.doc, seed: () => readStorage(key) ?? STARTER, cursors: props.cursors, ref: (s) => (sync = s) }}
        readOnly={Boolean(props.locked) || session.status() === "failed"}
        typescript={language() === "typescript"}
        onRun={run}
        onChange={(code) => writeStorage(key, code)}
        ref={(h) => {
          editor = h;
          props.ref?.(h);
        }}
      />
      <Splitter label="Resize the editor" orientation="horizontal" pane={height} />
      <OutputPanel output={output()} running={running()} />
    </section>
  );
}
