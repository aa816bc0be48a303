/** The teacher's code at a moment of a recording, replayed from the editor's log, forwards and backwards. */
import { ChangeSet, Text } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { CodeTimeline, loadTimeline } from "../../web/src/lectures/timeline";

const T0 = 1_000_000;

/** `count` changes each appending one line "line i", a second apart from `start` s into the video. */
function typing(count: number, start = 0) {
  let text = Text.empty;
  const updates = [];
  for (let i = 0; i < count; i++) {
    const insert = `${i ? "\n" : ""}line ${i}`;
    const changes = ChangeSet.of({ from: text.length, insert }, text.length);
    text = changes.apply(text);
    updates.push({ changes: changes.toJSON(), at: T0 + (start + i) * 1000 });
  }
  return updates;
}
const linesUpTo = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`).join("\n");

describe("CodeTimeline", () => {
  it("shows the code made by each moment, including what was typed before the recording began", () => {
    const timeline = new CodeTimeline(T0);
    timeline.add({ updates: typing(5, -2) }); // lines 0 and 1 come before the video's first frame
    expect(timeline.textAt(0)).toBe(linesUpTo(3));
    expect(timeline.textAt(-10)).toBe("");
    expect(timeline.textAt(1.5)).toBe(linesUpTo(4));
    expect(timeline.textAt(100)).toBe(linesUpTo(5));
  });

  it("seeks backwards and forwards over many changes to the same answers as a fresh replay", () => {
    const timeline = new CodeTimeline(T0);
    timeline.add({ updates: typing(1000) });
    for (const t of [999, 10, 650.5, 0, 401, 399, 1000, 200]) {
      expect(timeline.textAt(t)).toBe(linesUpTo(Math.min(1000, Math.floor(t) + 1)));
    }
  });

  it("loads every page of the log", async () => {
    const all = typing(7);
    const asked: number[] = [];
    const timeline = await loadTimeline(async (after) => {
      asked.push(after);
      const updates = all.slice(after, after + 3);
      return { recordedAt: T0, after, updates, hasMore: after + 3 < all.length };
    });
    expect(asked).toEqual([0, 3, 6]);
    expect(timeline.length).toBe(7);
    expect(timeline.textAt(6)).toBe(linesUpTo(7));
  });
});
