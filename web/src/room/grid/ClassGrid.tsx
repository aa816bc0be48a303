/**
 * The teacher's grid: every student's editor, live, sortable and
 * filterable. A tile subscribes only while on screen, so a class of 100
 * typing sends this browser only the editors it shows.
 */
import { For, createMemo, createSignal, onCleanup } from "solid-js";
import { docOfStudent } from "../../../../protocol";
import { studentsHere } from "../roster";
import { useRoom } from "../session";
import { FILTERS, SORTS, orderTiles, type Filter, type Sort, type TileInfo } from "./grid-order";
import { Tile } from "./Tile";
import { ROOM_TEXT } from "../strings";

export function ClassGrid(props: { onOpen: (name: string) => void }) {
  const session = useRoom();
  const [sort, setSort] = createSignal<Sort>("name");
  const [filter, setFilter] = createSignal<Filter>("all");
  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), 1_000);
  session.docs.watchActivity(true);
  onCleanup(() => {
    clearInterval(tick);
    session.docs.watchActivity(false);
  });

  const tiles = createMemo((): TileInfo[] => {
    const here = studentsHere(session.room());
    const known = Object.keys(session.docs.activity)
      .filter((d) => d.startsWith("student:"))
      .map((d) => d.slice("student:".length));
    const hands = session.board.openHands();
    return [...new Set([...here, ...known])].map((name) => {
      const a = session.docs.activity[docOfStudent(name)];
      const hand = hands.find((h) => h.student === name && (h.status === "waiting" || h.status === "claimed"));
      return {
        name,
        online: here.includes(name),
        hand: hand ? (hand.status as "waiting" | "claimed") : null,
        lastRun: a?.lastRun ?? null,
        changedAt: a?.changedAt ?? null,
        pastes: a?.pastes ?? 0,
      };
    });
  });
  // Tiles are keyed by name: a tile stays mounted (and subscribed) while its facts change and the order moves.
  const byName = createMemo(() => new Map(tiles().map((t) => [t.name, t])));
  const shown = createMemo(() => orderTiles(tiles(), sort(), filter()).map((t) => t.name), undefined, {
    equals: (a, b) => a.length === b.length && a.every((n, i) => n === b[i]),
  });

  return (
    <section class="grid-panel" aria-label="Class grid">
      <div class="toolbar">
        <label class="small">
          Sort{" "}
          <select value={sort()} onChange={(e) => setSort(e.currentTarget.value as Sort)}>
            <For each={Object.entries(SORTS)}>{([id, label]) => <option value={id}>{label}</option>}</For>
          </select>
        </label>
        <label class="small">
          Show{" "}
          <select value={filter()} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            <For each={Object.entries(FILTERS)}>{([id, label]) => <option value={id}>{label}</option>}</For>
          </select>
        </label>
        <span class="muted" data-testid="grid-count">
          {ROOM_TEXT.gridCount(shown().length, tiles().length)}
        </span>
      </div>
      <div class="tiles">
        <For each={shown()} fallback={<p class="muted">{ROOM_TEXT.noEditors(filter() !== "all")}</p>}>
          {(name) => <Tile info={byName().get(name)!} now={now()} onOpen={() => props.onOpen(name)} />}
        </For>
      </div>
    </section>
  );
}
