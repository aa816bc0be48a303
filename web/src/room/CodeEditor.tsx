/**
 * CodeMirror 6 in a Solid component. The parent gets an `EditorHandle` to
 * read the code and to put someone else's code in as one undoable change.
 * With `live`, the text is one of the room's live documents (docs/): it
 * arrives from the room, and every change goes back to it.
 */
import { javascript } from "@codemirror/lang-javascript";
import { EditorState, Compartment, Prec, type Extension } from "@codemirror/state";
import { keymap, placeholder } from "@codemirror/view";
import { undo } from "@codemirror/commands";
import { EditorView, basicSetup } from "codemirror";
import { createEffect, onCleanup, onMount } from "solid-js";
import type { DocSync } from "./docs/doc-sync";
import type { DocsModel } from "./docs/docs-model";
import { remoteCursors } from "./docs/remote-cursors";
import { editorTheme } from "../ui/editor-theme";

/** Binds an editor to a live document of the room. */
export interface LiveBinding {
  model: DocsModel;
  doc: string;
  /** The text a new (empty) document starts with. */
  seed?: () => string;
  /** Whether others see this editor's cursor (DocSync.cursors). */
  cursors?: DocSync["cursors"];
  /** The editor's link to the document, once made. */
  ref?: (sync: DocSync) => void;
}

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
  live?: LiveBinding;
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
    const extensions = (): Extension[] => [
      runKeys,
      basicSetup,
      editorTheme(),
      language.of(javascript({ typescript: Boolean(props.typescript) })),
      readOnly.of(readOnlyFacets(Boolean(props.readOnly))),
      // In the tab order even while read-only (not contenteditable then), so the keyboard can reach and scroll any editor.
      EditorView.contentAttributes.of({ "aria-label": props.label, tabindex: "0" }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) props.onChange?.(u.state.doc.toString());
        if (sync && (u.docChanged || u.selectionSet)) sync.changed();
      }),
      ...(props.live ? [remoteCursors()] : []),
    ];
    let sync: DocSync | undefined;
    const live = props.live;
    if (live) {
      sync = live.model.open({ doc: live.doc, extensions, ...(live.seed ? { seed: live.seed } : {}) });
      sync.cursors = live.cursors ?? "never";
      // Until the room's copy arrives there is nothing to type into: a keystroke here would be lost.
      view = new EditorView({
        parent: host,
        state: EditorState.create({ extensions: [Prec.highest(readOnlyFacets(true)), extensions(), placeholder("Loading…")] }),
      });
      sync.attach(view);
      live.ref?.(sync);
    } else {
      view = new EditorView({ parent: host, state: EditorState.create({ doc: props.initial, extensions: extensions() }) });
    }
    onCleanup(() => sync && live?.model.close(sync));
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
    view?.dispatch({ effects: readOnly.reconfigure(readOnlyFacets(ro)) });
  });
  onCleanup(() => view?.destroy());

  return <div class="editor" classList={{ readonly: Boolean(props.readOnly) }} ref={host} />;
}

const readOnlyFacets = (ro: boolean): Extension => [EditorState.readOnly.of(ro), EditorView.editable.of(!ro)];
