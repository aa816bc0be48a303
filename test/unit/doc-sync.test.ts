/**
 * The web editor's link to a live document (web/src/room/docs/doc-sync.ts)
 * against an authority that keeps the room's one rule: a push applies only
 * on the current version. Frames travel through queues that the test
 * delivers in random order per direction, so pushes cross each other.
 */
import { ChangeSet, Text } from "@codemirror/state";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DocSync, PUSH_EVERY_MS } from "../../web/src/room/docs/doc-sync";

interface Stored {
  clientID: string;
  changes: unknown;
}

class Authority {
  text = Text.empty;
  log: Stored[] = [];
  /** Frames on their way to each client, in order. */
  inbox = new Map<DocSync, object[]>();

  push(from: DocSync, p: { version: number; updates: Stored[] }): void {
    if (p.version !== this.log.length) {
      this.to(from, { doc: "d", version: p.version, updates: this.log.slice(p.version) });
      return;
    }
    for (const u of p.updates) this.text = ChangeSet.fromJSON(u.changes).apply(this.text);
    this.log.push(...p.updates);
    for (const c of this.inbox.keys()) this.to(c, { doc: "d", version: p.version, updates: p.updates });
  }

  to(c: DocSync, frame: object) {
    this.inbox.get(c)!.push(frame);
  }
}

function client(server: Authority, outbox: (() => void)[], seed?: string): DocSync {
  const sync: DocSync = new DocSync({
    doc: "d",
    ...(seed ? { seed: () => seed } : {}),
    send: (action, payload) => {
      if (action === "DOC_PUSH") outbox.push(() => server.push(sync, payload as never));
      if (action === "DOC_PULL") outbox.push(() => server.to(sync, { doc: "d", version: (payload as { version: number }).version, updates: server.log.slice((payload as { version: number }).version) }));
      return true;
    },
  });
  server.inbox.set(sync, []);
  return sync;
}

function deliver(server: Authority, outbox: (() => void)[], rand: () => number): void {
  while (outbox.length) outbox.splice(Math.floor(rand() * Math.min(2, outbox.length)), 1)[0]!();
  for (const [c, frames] of server.inbox) for (const f of frames.splice(0)) c.updates(f as never);
}

describe("DocSync", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("two editors typing at once converge on the room's text, each change once", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const server = new Authority();
    const outbox: (() => void)[] = [];
    const a = client(server, outbox);
    const b = client(server, outbox);
    a.snapshot({ doc: "d", version: 0, text: "" });
    b.snapshot({ doc: "d", version: 0, text: "" });
    for (let round = 0; round < 60; round++) {
      for (const [who, mark] of [[a, "a"], [b, "b"]] as const) {
        const len = who.text.length;
        const at = Math.floor(rand() * (len + 1));
        const del = rand() < 0.3 ? Math.min(2, len - at) : 0;
        who.edit({ changes: { from: at, to: at + del, insert: `<${mark}${round}>` } });
      }
      vi.advanceTimersByTime(PUSH_EVERY_MS);
      if (rand() < 0.5) deliver(server, outbox, rand);
    }
    for (let i = 0; i < 50 && (a.pending.length || b.pending.length || outbox.length); i++) {
      vi.advanceTimersByTime(PUSH_EVERY_MS);
      deliver(server, outbox, rand);
    }
    expect(a.pending).toEqual([]);
    expect(b.pending).toEqual([]);
    expect(a.text).toBe(server.text.toString());
    expect(b.text).toBe(server.text.toString());
    expect(a.version).toBe(server.log.length);
    // Every round's insert of each side is there exactly once, or was deleted by a later edit, never doubled.
    for (let round = 0; round < 60; round++) for (const m of ["a", "b"]) expect(server.text.toString().split(`<${m}${round}>`).length).toBeLessThanOrEqual(2);
  });

  it("two tabs opening a new document seed it once: the second seed is refused as stale and the first arrives", () => {
    const server = new Authority();
    const outbox: (() => void)[] = [];
    const a = client(server, outbox, "// starter\n");
    const b = client(server, outbox, "// starter\n");
    a.snapshot({ doc: "d", version: 0, text: "" });
    b.snapshot({ doc: "d", version: 0, text: "" });
    // Until the seed's answer, there is nothing to type into.
    expect(a.state).toBeNull();
    deliver(server, outbox, () => 0);
    expect(server.text.toString()).toBe("// starter\n");
    expect(a.text).toBe("// starter\n");
    expect(b.text).toBe("// starter\n");
    expect(server.log).toHaveLength(1);
  });

  it("sends at most one push per interval, however fast the typing", () => {
    const server = new Authority();
    const sent: string[] = [];
    const a = new DocSync({ doc: "d", send: (action) => (sent.push(action), true) });
    server.inbox.set(a, []);
    a.snapshot({ doc: "d", version: 0, text: "" });
    for (let i = 0; i < 20; i++) a.edit({ changes: { from: a.text.length, insert: "x" } });
    vi.advanceTimersByTime(PUSH_EVERY_MS);
    expect(sent).toEqual(["DOC_PUSH"]);
  });
});
