/**
 * What changed between two versions of a student's work, file by file. A
 * file both versions have is shown as its newer text with the removed lines
 * set above the lines that replaced them; a file only one version has is
 * shown wholly added or wholly removed. Nothing here can be edited.
 *
 * Callers load it with lazy(): the merge view and the editor's full setup
 * then stay out of the chunk every page loads.
 */
import { javascript } from "@codemirror/lang-javascript";
import { getChunks, unifiedMergeView, type Chunk } from "@codemirror/merge";
import { EditorState, Text, type Extension } from "@codemirror/state";
import { EditorView, basicSetup } from "codemirror";
import { For, Show, createMemo, createSignal, onCleanup, onMount } from "solid-js";
import type { SubmittedFile } from "../../../protocol";
import { editorTheme } from "../ui/editor-theme";

export type FileChange = "added" | "removed" | "changed" | "unchanged";

export interface FilePair {
  name: string;
  /** null: the older version has no file of this name. */
  before: string | null;
  /** null: the newer version has no file of this name. */
  after: string | null;
  change: FileChange;
}

/** Every file name of either version, in name order, with how it changed. */
export function pairFiles(before: SubmittedFile[], after: SubmittedFile[]): FilePair[] {
  const older = new Map(before.map((f) => [f.name, f.content]));
  const newer = new Map(after.map((f) => [f.name, f.content]));
  const names = [...new Set([...older.keys(), ...newer.keys()])].sort();
  return names.map((name) => {
    const a = older.get(name) ?? null;
    const b = newer.get(name) ?? null;
    const change: FileChange = a === null ? "added" : b === null ? "removed" : a === b ? "unchanged" : "changed";
    return { name, before: a, after: b, change };
  });
}

// The same line breaks the editor itself recognises, so both sides of a diff split alike.
const toText = (content: string) => Text.of(content.split(/\r\n?|\n/));

/**
 * The two documents to compare. A missing or empty file is an empty
 * document, which still has one (empty) line: unless the other side ends
 * with a line break for that line to pair with, the diff would show a
 * phantom blank line removed above an added file, or added below a removed one.
 */
function documents(pair: FilePair): { original: Text; doc: Text } {
  const whole = (content: string) => (/(\r\n?|\n)$/.test(content) ? content : `${content}\n`);
  const before = pair.before ?? "";
  const after = pair.after ?? "";
  return { original: toText(after === "" ? whole(before) : before), doc: toText(before === "" ? whole(after) : after) };
}

/** The number of whole lines a side of a chunk covers (its `from`/`end` as the merge package gives them). */
function linesIn(doc: Text, from: number, to: number, end: number): number {
  return from === to ? 0 : doc.lineAt(end).number - doc.lineAt(from).number + 1;
}

// Only files the room's editor would run get its highlighting: colouring
// a text file as JavaScript would suggest meaning that is not there.
function languageFor(name: string): Extension {
  const m = /\.(m?jsx?|cjs|tsx?|mts|cts)$/i.exec(name);
  if (!m) return [];
  const ext = m[1]!.toLowerCase();
  return javascript({ typescript: ext.includes("t"), jsx: ext.endsWith("x") });
}

export default function VersionDiff(props: { before: SubmittedFile[]; after: SubmittedFile[]; beforeLabel: string; afterLabel: string }) {
  const pairs = createMemo(() => pairFiles(props.before, props.after));
  const same = () => pairs().every((p) => p.change === "unchanged");
  return (
    <div class="version-diff" data-testid="version-diff">
      <p class="muted small">
        {props.beforeLabel} → {props.afterLabel}
      </p>
      <Show when={!same()} fallback={<p data-testid="diff-none">No differences: both versions hold the same files.</p>}>
        <For each={pairs()}>{(pair) => <FileDiff pair={pair} beforeLabel={props.beforeLabel} afterLabel={props.afterLabel} />}</For>
      </Show>
    </div>
  );
}

/** Lines added and removed, from the chunks the view shows, so the count never disagrees with it. */
function lineCounts(chunks: readonly Chunk[], original: Text, doc: Text): { added: number; removed: number } {
  return {
    added: chunks.reduce((n, c) => n + linesIn(doc, c.fromB, c.toB, c.endB), 0),
    removed: chunks.reduce((n, c) => n + linesIn(original, c.fromA, c.toA, c.endA), 0),
  };
}

/** One file's diff: a heading that says how it changed, then the read-only merge view (none for an unchanged file). */
function FileDiff(props: { pair: FilePair; beforeLabel: string; afterLabel: string }) {
  const { pair } = props;
  const { original, doc } = documents(pair);
  const [counts, setCounts] = createSignal<{ added: number; removed: number } | null>(null);
  let host: HTMLDivElement | undefined;
  let view: EditorView | undefined;

  onMount(() => {
    if (!host) return;
    view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc,
        extensions: [
          basicSetup,
          editorTheme(),
          languageFor(pair.name),
          // Still focusable, so the keyboard can move through it and search it, but never changed.
          EditorState.readOnly.of(true),
          EditorView.contentAttributes.of({
            "aria-label": `${pair.name}: ${props.afterLabel} compared with ${props.beforeLabel}`,
            "aria-readonly": "true",
          }),
          unifiedMergeView({
            original,
            mergeControls: false,
            gutter: true,
            syntaxHighlightDeletions: true,
            collapseUnchanged: { margin: 3, minSize: 6 },
          }),
        ],
      }),
    });
    const shown = getChunks(view.state);
    if (shown) setCounts(lineCounts(shown.chunks, original, doc));
  });
  onCleanup(() => view?.destroy());

  return (
    <section class="diff-file" aria-label={`${pair.name} (${pair.change})`} data-testid="diff-file">
      <h4>
        <code>{pair.name}</code> <span class={`badge diff-${pair.change}`}>{pair.change}</span>{" "}
        <Show when={counts()}>
          {(c) => (
            <span class="muted small" data-testid="diff-counts">
              +{c().added} −{c().removed} lines
            </span>
          )}
        </Show>
      </h4>
      <Show when={pair.change !== "unchanged"}>
        <div class="diff-view" ref={host} />
      </Show>
    </section>
  );
}
