import { describe, expect, it } from "vitest";
import { activityLabel, orderTiles, type TileInfo } from "../../web/src/room/grid/grid-order";

const tile = (name: string, more: Partial<TileInfo> = {}): TileInfo => ({ name, online: true, hand: null, lastRun: null, changedAt: null, pastes: 0, ...more });
const failed = { version: 3, kind: "run-error" as const, at: 5 };
const ok = { version: 3, kind: "run-ok" as const, at: 5 };
const tiles = [
  tile("Zoe", { lastRun: failed, changedAt: 10 }),
  tile("Ada", { hand: "claimed", lastRun: ok, changedAt: 30 }),
  tile("Linus", { hand: "waiting", pastes: 2, changedAt: 20 }),
  tile("Grace"),
];
const names = (t: TileInfo[]) => t.map((x) => x.name);

describe("the teacher's grid order", () => {
  it("sorts by name, errors first, hands first (waiting before being helped) and latest change", () => {
    expect(names(orderTiles(tiles, "name", "all"))).toEqual(["Ada", "Grace", "Linus", "Zoe"]);
    expect(names(orderTiles(tiles, "errors", "all"))).toEqual(["Zoe", "Ada", "Grace", "Linus"]);
    expect(names(orderTiles(tiles, "hands", "all"))).toEqual(["Linus", "Ada", "Grace", "Zoe"]);
    expect(names(orderTiles(tiles, "recent", "all"))).toEqual(["Ada", "Linus", "Zoe", "Grace"]);
  });

  it("filters to failed runs, raised hands or pastes", () => {
    expect(names(orderTiles(tiles, "name", "errors"))).toEqual(["Zoe"]);
    expect(names(orderTiles(tiles, "name", "hands"))).toEqual(["Ada", "Linus"]);
    expect(names(orderTiles(tiles, "name", "pasted"))).toEqual(["Linus"]);
  });

  it("says typing for a change in the last 3 s, then how long idle", () => {
    expect(activityLabel(null, 1_000)).toBe("no changes yet");
    expect(activityLabel(1_000, 3_999)).toBe("typing…");
    expect(activityLabel(1_000, 13_000)).toBe("idle 12 s");
    expect(activityLabel(0, 125_000)).toBe("idle 2 min");
    expect(activityLabel(0, 7_300_000)).toBe("idle 2 h");
  });
});
