/**
 * Live-document payloads for the room fuzzer: mostly aimed at what the room
 * really holds (pushes that apply at the current version, cursors inside the
 * document, the editors people may open), and often not (stale or future
 * versions, change sets of the wrong length or no change set at all, one
 * that lands between the halves of an emoji (positions count UTF-16 units), a
 * document grown past its limit, a classmate's editor, positions past the end).
 */
import { ChangeSet } from "@codemirror/state";
import { oddString, type Rng } from "./fuzz-gen";
import type { FrameContext } from "./fuzz-room-frames";
import { MAX_DOC_CHARS } from "./fuzz-room-spec";

type DocAction = "DOC_SUBSCRIBE" | "DOC_PUSH" | "DOC_PULL" | "DOC_MODE" | "DOC_HISTORY" | "DOC_CURSOR";

const INSERTS = ["x", "let a = 1;", "\n", "  ", "😀", "e\u0301", "\t", "}\n{", "a\r\nb", ""];

/**
 * A change set on a document of `length` characters, and the length after it;
 * an `odd` one rarely applies (the wrong length, no change set, too long a
 * document, as many entries as a change may have or one more).
 */
function someChange(rng: Rng, length: number, odd: boolean): { changes: unknown; after: number } {
  if (odd) {
    const roll = rng.next();
    if (roll < 0.6) return { changes: ChangeSet.of({ from: 0, insert: "x" }, length + 1 + rng.int(3)).toJSON(), after: length };
    if (roll < 0.85) return { changes: rng.pick([[["x"]], [[]], [[0, 1]], [[1, "a"], ["b"]]]), after: length };
    if (roll < 0.93) return { changes: ChangeSet.of({ from: 0, insert: "x".repeat(MAX_DOC_CHARS + 1 - length) }, length).toJSON(), after: length };
    return { changes: [length, ...Array<number>(9_999 + rng.int(2)).fill(0)], after: length };
  }
  const from = rng.int(length + 1);
  const to = from + rng.int(Math.min(6, length - from) + 1);
  const insert = rng.chance(0.6) ? rng.word(1 + rng.int(8)) : rng.chance(0.9) ? rng.pick(INSERTS) : oddString(rng);
  const set = ChangeSet.of({ from, to, insert }, length);
  return { changes: set.toJSON(), after: set.newLength };
}

/** A payload for one of the live-document actions, sent as this seat. */
export function docPayload(c: FrameContext, action: DocAction): Record<string, unknown> {
  const { rng, model, seat } = c;
  const docs = model.docs;
  const staff = (seat.joined ?? (seat.name === "Host" ? "Teacher" : "Student")) === "Teacher";
  const own = staff ? "teacher" : `student:${seat.name}`;
  // A student mostly types in their own editor, and now and then reaches for another.
  const writes = action === "DOC_PUSH" || action === "DOC_CURSOR";
  const someDoc = (): string => {
    const roll = rng.next();
    if (staff) return roll < 0.3 ? "teacher" : roll < 0.97 ? `student:${rng.pick(c.names)}` : "student:Ghost";
    return roll < (writes ? 0.8 : 0.6) ? own : roll < (writes ? 0.9 : 0.8) ? "teacher" : `student:${rng.pick(c.names)}`;
  };
  /** Mostly the room's version; else one it has moved past, one it has not reached, or far off. */
  const someVersion = (doc: string): number => {
    const now = docs.version(doc);
    const roll = rng.next();
    if (roll < 0.8) return now;
    if (roll < 0.9) return Math.max(0, now - 1 - rng.int(5));
    if (roll < 0.96) return now + 1 + rng.int(3);
    return rng.pick([0, 600, Number.MAX_SAFE_INTEGER]);
  };
  const doc = someDoc();
  switch (action) {
    case "DOC_SUBSCRIBE": {
      const count = rng.chance(0.1) ? 0 : 1 + rng.int(staff ? 6 : 3);
      const list = Array.from({ length: count }, someDoc);
      if (list.length && rng.chance(0.1)) list.push(rng.pick(list));
      // A whole grid, or one tile more than a socket may watch. Never more than 60 entries naming at most
      // 60 documents: the room refuses those (it counts entries), docs/protocol.md accepts them.
      if (rng.chance(0.01)) return { docs: Array.from({ length: 60 + (rng.chance(0.5) ? 1 : 0) }, (_, k) => `student:Ghost${k}`) };
      return { docs: list, ...(rng.chance(staff ? 0.3 : 0.05) ? { activity: true } : {}) };
    }
    case "DOC_PUSH": {
      const version = someVersion(doc);
      let length = docs.length(doc);
      // Now and then a whole batch, as many updates as a push may carry, or one more.
      const count = rng.chance(0.03) ? 50 + rng.int(2) : rng.chance(0.7) ? 1 : 2 + rng.int(3);
      const odd = rng.chance(0.1) ? rng.int(count) : -1;
      const updates = Array.from({ length: count }, (_, k) => {
        const { changes, after } = someChange(rng, length, k === odd);
        length = after;
        return { clientID: rng.chance(0.8) ? `${seat.name}-tab-${rng.int(3)}` : rng.word(1 + rng.int(64)), changes, ...(rng.chance(0.15) ? { paste: true } : {}) };
      });
      return { doc, version, updates };
    }
    case "DOC_PULL":
      return { doc, version: someVersion(doc) };
    case "DOC_MODE": {
      const roll = rng.next();
      const locked = rng.chance(0.25);
      const follow = rng.chance(0.5);
      return roll < 0.4 ? { locked } : roll < 0.8 ? { follow } : { locked, follow };
    }
    case "DOC_HISTORY": {
      const version = docs.version(doc);
      return {
        doc,
        ...(rng.chance(0.6) ? { after: rng.chance(0.3) ? 0 : rng.int(version + 3) } : {}),
        ...(rng.chance(0.6) ? { limit: 1 + rng.int(rng.chance(0.7) ? 4 : 500) } : {}),
      };
    }
    case "DOC_CURSOR": {
      const length = docs.length(doc);
      const at = () => (rng.chance(0.85) ? rng.int(length + 1) : length + 1 + rng.int(100));
      const roll = rng.next();
      const selection = roll < 0.15 ? null : roll < 0.98 ? { anchor: at(), head: at() } : { anchor: MAX_DOC_CHARS + 1, head: 0 };
      return { doc, version: someVersion(doc), selection };
    }
  }
}
