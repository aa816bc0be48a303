/**
 * Playback of one live document from the room's log (DOC_HISTORY): a
 * timeline slider over every version, play and pause at a chosen speed
 * (pauses longer than a second are cut short), and jumps to the marks:
 * runs, shares and large pastes.
 */
import { ChangeSet, Text } from "@codemirror/state";
import { For, Show, createEffect, createSignal, onCleanup } from "solid-js";
import type { DocMark } from "../../../../protocol";
import { CodeEditor, type EditorHandle } from "../CodeEditor";
import { useRoom } from "../session";

const MARK_LABELS: Record<DocMark["kind"], string> = { "run-ok": "Ran OK", "run-error": "Run failed", share: "Shared", paste: "Large paste" };
const SPEEDS = [1, 2, 4, 8, 16];
/** While playing, a pause in the typing longer than this is shortened to it. */
const MAX_GAP_MS = 1_000;

interface Timeline {
  /** The document at each version (0 = empty). */
  texts: Text[];
  /** When each version was stored (texts[v] from times[v]); times[0] is the first change's. */
  times: number[];
  marks: DocMark[];
}

/** `onClose` adds a close button (where nothing else on the page closes it). */
export function Playback(props: { doc: string; title: string; onClose?: () => void }) {
  const session = useRoom();
  const [line, setLine] = createSignal<Timeline | null>(null);
  const [error, setError] = createSignal("");
  const [pos, setPos] = createSignal(0);
  const [playing, setPlaying] = createSignal(false);
  const [speed, setSpeed] = createSignal(4);
  // A signal: the viewer mounts (and hands over its handle) after the history has loaded.
  const [viewer, setViewer] = createSignal<EditorHandle>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));

  session.docs.loadHistory(props.doc).then(
    (h) => {
      let text = Text.empty;
      const texts = [text];
      const times = [h.updates[0]?.at ?? Date.now()];
      for (const u of h.updates) {
        text = ChangeSet.fromJSON(u.changes).apply(text);
        texts.push(text);
        times.push(u.at);
      }
      setLine({ texts, times, marks: h.marks });
      setPos(texts.length - 1);
    },
    (e: Error) => setError(e.message),
  );

  const last = () => (line()?.texts.length ?? 1) - 1;
  createEffect(() => {
    const l = line();
    if (l) viewer()?.replace(l.texts[pos()]!.toString());
  });
  createEffect(() => {
    clearTimeout(timer);
    const l = line();
    if (!playing() || !l) return;
    const at = pos();
    if (at >= last()) return setPlaying(false);
    const gap = Math.min(MAX_GAP_MS, l.times[at + 1]! - l.times[at]!) / speed();
    timer = setTimeout(() => setPos(at + 1), Math.max(16, gap));
  });

  const when = (v: number) => new Date(line()!.times[v]!).toLocaleTimeString();
  return (
    <section class="playback" aria-label={`Playback of ${props.title}`} data-testid="playback">
      <div class="toolbar">
        <h3>Playback: {props.title}</h3>
        <Show when={props.onClose}>
          {(close) => (
            <button class="link" onClick={() => close()()}>
              Close playback
            </button>
          )}
        </Show>
      </div>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={line()} fallback={<Show when={!error()}>{<p class="muted">Loading the history…</p>}</Show>}>
        <div class="toolbar">
          <button onClick={() => (pos() >= last() ? (setPos(0), setPlaying(true)) : setPlaying(!playing()))} disabled={last() === 0}>
            {playing() ? "Pause" : "Play"}
          </button>
          <label class="small">
            Speed{" "}
            <select value={speed()} onChange={(e) => setSpeed(Number(e.currentTarget.value))}>
              <For each={SPEEDS}>{(s) => <option value={s}>{s}×</option>}</For>
            </select>
          </label>
          <span class="muted" data-testid="playback-where">
            Version {pos()} of {last()}
            {pos() > 0 ? ` · changed at ${when(pos())}` : ""}
          </span>
        </div>
        <div class="timeline">
          <input
            type="range"
            min={0}
            max={last()}
            value={pos()}
            aria-label="Playback position"
            onInput={(e) => {
              setPlaying(false);
              setPos(Number(e.currentTarget.value));
            }}
          />
          <div class="ticks" aria-hidden="true">
            <For each={line()!.marks}>
              {(m) => <span class={`tick ${m.kind}`} style={{ left: `${(Math.min(m.version, last()) / Math.max(1, last())) * 100}%` }} />}
            </For>
          </div>
        </div>
        <Show when={line()!.marks.length}>
          <div class="marks" aria-label="Jump to">
            <For each={line()!.marks}>
              {(m) => (
                <button
                  class={`mark ${m.kind}`}
                  onClick={() => {
                    setPlaying(false);
                    setPos(Math.min(m.version, last()));
                  }}
                >
                  {MARK_LABELS[m.kind]} · {new Date(m.at).toLocaleTimeString()}
                </button>
              )}
            </For>
          </div>
        </Show>
        <CodeEditor label={`${props.title} at this point`} initial="" readOnly ref={setViewer} />
      </Show>
    </section>
  );
}
