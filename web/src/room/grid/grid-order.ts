/**
 * Which tiles the teacher's grid shows, in which order: a pure function of
 * what the room told us, so it is testable without a browser.
 */
import type { DocMark } from "../../../../protocol";

export interface TileInfo {
  name: string;
  /** Here now (a student who left keeps a tile while their editor has changes). */
  online: boolean;
  /** Waiting or being helped. */
  hand: "waiting" | "claimed" | null;
  lastRun: DocMark | null;
  changedAt: number | null;
  pastes: number;
}

export const SORTS = { name: "By name", errors: "Errors first", hands: "Hands first", recent: "Latest change first" } as const;
export const FILTERS = { all: "Everyone", errors: "Last run failed", hands: "Hand raised", pasted: "Pasted code" } as const;
export type Sort = keyof typeof SORTS;
export type Filter = keyof typeof FILTERS;

const failed = (t: TileInfo) => t.lastRun?.kind === "run-error";
const byName = (a: TileInfo, b: TileInfo) => a.name.localeCompare(b.name);
/** A waiting hand before one being helped, before none. */
const handRank = (t: TileInfo) => (t.hand === "waiting" ? 0 : t.hand === "claimed" ? 1 : 2);

export function orderTiles(tiles: readonly TileInfo[], sort: Sort, filter: Filter): TileInfo[] {
  const shown = tiles.filter((t) => (filter === "errors" ? failed(t) : filter === "hands" ? t.hand !== null : filter === "pasted" ? t.pastes > 0 : true));
  const compare: Record<Sort, (a: TileInfo, b: TileInfo) => number> = {
    name: byName,
    errors: (a, b) => Number(failed(b)) - Number(failed(a)) || byName(a, b),
    hands: (a, b) => handRank(a) - handRank(b) || byName(a, b),
    recent: (a, b) => (b.changedAt ?? 0) - (a.changedAt ?? 0) || byName(a, b),
  };
  return [...shown].sort(compare[sort]);
}

/** "typing" within this long of the last change; then "idle for …". */
export const TYPING_MS = 3_000;

export function activityLabel(changedAt: number | null, now: number): string {
  if (changedAt === null) return "no changes yet";
  const ago = now - changedAt;
  if (ago < TYPING_MS) return "typing…";
  const s = Math.round(ago / 1000);
  if (s < 60) return `idle ${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `idle ${m} min` : `idle ${Math.floor(m / 60)} h`;
}
