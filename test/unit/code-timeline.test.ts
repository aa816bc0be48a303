/** The teacher's code at a moment of a recording, replayed from the code it began with and the editor's log, forwards and backwards. */
import { ChangeSet, Text } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { CodeTimeline, loadTimeline } from "../../web/src/lectures/timeline";

const T0 = 1_000_000;

/** `count` changes each appending one line "line i" (after `first` lines already there), a second apart. */
function typing(count: number, first = 0) {
  let text = Text.of(linesUpTo(first).split("\n"));
  if (first === 0) text = Text.empty;
  const updates = [];
  for (let i = first; i < first + count; i++) {
    const insert = `${i ? "\n" : ""}line ${i}`;
    const changes = ChangeSet.of({ from: text.length, insert }, text.length);
    text = changes.apply(text);
    updates.push({ changes: changes.toJSON(), at: T0 + (i - first) * 1000 });
  }
  return updates;
}
const linesUpTo = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`).join("\n");

describe("CodeTimeline", () => {
  it("starts from the code the recording began with, and shows what was made by each moment", () => {
    const timeline = new CodeTimeline(T0);
    // Lines 0 and 1 were typed before the video's first frame: they come as the start, not as changes.
    timeline.add({ start: { version: 2, text: linesUpTo(2) }, updates: typing(3, 2) });
    expect(timeline.textAt(-10)).toBe(linesUpTo(2));
    expect(timeline.textAt(0)).toBe(linesUpTo(3));
    expect(timeline.textAt(1.5)).toBe(linesUpTo(4));
    expect(timeline.textAt(100)).toBe(linesUpTo(5));
    expect(timeline.textAt(0.5)).toBe(linesUpTo(3));
  });

  it("seeks backwards and forwards over many changes to the same answers as a fresh replay", () => {
    const timeline = new CodeTimeline(T0);
    timeline.add({ start: null, updates: typing(1000) });
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
      return { recordedAt: T0, after, start: after === 0 ? { version: 0, text: "" } : null, updates, hasMore: after + 3 < all.length };
    });
    expect(asked).toEqual([0, 3, 6]);
    expect(timeline.length).toBe(7);
    expect(timeline.textAt(6)).toBe(linesUpTo(7));
  });
});
