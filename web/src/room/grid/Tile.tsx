/**
 * One student's editor in the teacher's grid: a read-only mini view, live
 * only while the tile is on screen (the room sends a client only the
 * documents it subscribed to), with name, typing or idle, last run, hand
 * and pastes.
 */
import { Show, createSignal, onCleanup, onMount } from "solid-js";
import { docOfStudent } from "../../../../protocol";
import type { DocSync } from "../docs/doc-sync";
import { useRoom } from "../session";
import { activityLabel, type TileInfo } from "./grid-order";

/** Lines a tile shows; the full editor is a click away. */
const TILE_LINES = 14;

export function Tile(props: { info: TileInfo; now: number; onOpen: () => void }) {
  const session = useRoom();
  const [text, setText] = createSignal<string | null>(null);
  let el!: HTMLButtonElement;
  let sync: DocSync | null = null;

  const watch = (on: boolean) => {
    if (on && !sync) sync = session.docs.open({ doc: docOfStudent(props.info.name), onChange: (s) => setText(s.text) });
    if (!on && sync) {
      session.docs.close(sync);
      sync = null;
    }
  };
  onMount(() => {
    const seen = new IntersectionObserver((entries) => watch(entries.some((e) => e.isIntersecting)));
    seen.observe(el);
    onCleanup(() => {
      seen.disconnect();
      watch(false);
    });
  });

  const run = () => props.info.lastRun;
  return (
    <button
      ref={el}
      class="tile"
      classList={{ failed: run()?.kind === "run-error", hand: props.info.hand === "waiting", offline: !props.info.online }}
      onClick={() => props.onOpen()}
      data-testid="tile"
      data-student={props.info.name}
      aria-label={`Open ${props.info.name}'s editor`}
    >
      <span class="tile-head">
        <strong>{props.info.name}</strong>
        <Show when={props.info.hand}>
          <span class="badge hand" title="Hand raised">
            ✋ {props.info.hand === "claimed" ? "being helped" : "hand up"}
          </span>
        </Show>
        <Show when={run()}>
          {(r) => (
            <span class={`badge ${r().kind === "run-ok" ? "ok" : "error"}`} data-testid="tile-run">
              {r().kind === "run-ok" ? "ran ok" : "run failed"}
            </span>
          )}
        </Show>
        <Show when={props.info.pastes > 0}>
          <span class="badge paste" title="Pastes of 80 characters or more into this editor" data-testid="tile-paste">
            pasted ×{props.info.pastes}
          </span>
        </Show>
      </span>
      <pre class="tile-code" data-testid="tile-code">
        {text() === null ? "…" : text()!.split("\n").slice(0, TILE_LINES).join("\n")}
      </pre>
      <span class="tile-foot muted">
        {props.info.online ? activityLabel(props.info.changedAt, props.now) : "left the room"}
      </span>
    </button>
  );
}
