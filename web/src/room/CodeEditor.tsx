/**
 * CodeMirror 6 in a Solid component. The parent gets an `EditorHandle` to
 * read the code and to put someone else's code in as one undoable change.
 */
import { javascript } from "@codemirror/lang-javascript";
import { EditorState, Compartment } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { undo } from "@codemirror/commands";
import { EditorView, basicSetup } from "codemirror";
import { createEffect, onCleanup, onMount } from "solid-js";

export interface EditorHandle {
  code(): string;
  /** Replaces the whole document as a single undoable step. */
  replace(code: string): void;
  undo(): void;
  focus(): void;
  /** The line the cursor is on (1-based). */
  line(): number;
}

export function CodeEditor(props: {
  initial: string;
  readOnly?: boolean;
  typescript?: boolean;
  label: string;
  onRun?: () => void;
  onChange?: (code: string) => void;
  ref?: (handle: EditorHandle) => void;
  /** Put the cursor on this line (1-based) and scroll to it. */
  focusLine?: number;
}) {
  let host!: HTMLDivElement;
  let view: EditorView | undefined;
  const language = new Compartment();
  const readOnly = new Compartment();

  onMount(() => {
    const runKeys = keymap.of([
      {
        key: "Mod-Enter",
        preventDefault: true,
        run: () => {
          props.onRun?.();
          return true;
        },
      },
    ]);
    view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: props.initial,
        extensions: [
          runKeys,
          basicSetup,
          language.of(javascript({ typescript: props.typescript })),
          readOnly.of([EditorState.readOnly.of(Boolean(props.readOnly)), EditorView.editable.of(!props.readOnly)]),
          EditorView.contentAttributes.of({ "aria-label": props.label }),
          EditorView.updateListener.of((u) => u.docChanged && props.onChange?.(u.state.doc.toString())),
        ],
      }),
    });
    props.ref?.({
      code: () => view!.state.doc.toString(),
      replace: (code) =>
        view!.dispatch({ changes: { from: 0, to: view!.state.doc.length, insert: code }, userEvent: "input.replace" }),
      undo: () => undo(view!),
      focus: () => view!.focus(),
      line: () => view!.state.doc.lineAt(view!.state.selection.main.head).number,
    });
    if (props.focusLine && props.focusLine <= view.state.doc.lines) {
      const at = view.state.doc.line(props.focusLine).from;
      view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: "center" }) });
    }
  });

  createEffect(() => {
    const ts = Boolean(props.typescript);
    view?.dispatch({ effects: language.reconfigure(javascript({ typescript: ts })) });
  });
  createEffect(() => {
    const ro = Boolean(props.readOnly);
    view?.dispatch({ effects: readOnly.reconfigure([EditorState.readOnly.of(ro), EditorView.editable.of(!ro)]) });
  });
  onCleanup(() => view?.destroy());

  return <div class="editor" ref={host} />;
}
