/**
 * Live documents (protocol/docs.ts): the room as the one authority over each
 * editor. Subscriptions decide who receives what; a push applies only on the
 * current version; the log survives an eviction.
 */
import { ChangeSet, Text } from "@codemirror/state";
import { env, evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../../protocol";
import { TestClient, roomOfThree } from "../helpers/client";

type Frame<T extends ServerMessage["responseType"]> = Extract<ServerMessage, { responseType: T }>;

const send = (c: TestClient, roomId: string, action: string, payload: object) =>
  c.send(JSON.stringify({ username: c.account.user.name, action, roomId, payload }));

/** A change inserting `insert` at `at` into a document of `length` characters, as JSON. */
const insert = (length: number, at: number, text: string) => ChangeSet.of({ from: at, insert: text }, length).toJSON();

async function next<T extends ServerMessage["responseType"]>(c: TestClient, type: T): Promise<Frame<T>> {
  const frame = await c.next();
  if (frame.responseType !== type) throw new Error(`expected ${type}, got ${JSON.stringify(frame).slice(0, 300)}`);
  return frame as Frame<T>;
}

describe("live documents", () => {
  it("a student's change reaches the staff subscribed to that editor, and no one else", async () => {
    const { roomId, grace, ada, linus } = await roomOfThree();
    send(ada, roomId, "DOC_SUBSCRIBE", { docs: ["student:Ada"] });
    expect(await next(ada, "DOC_SNAPSHOT")).toEqual({ responseType: "DOC_SNAPSHOT", payload: { doc: "student:Ada", version: 0, text: "" } });
    send(grace, roomId, "DOC_SUBSCRIBE", { docs: ["student:Ada", "student:Linus"] });
    await next(grace, "DOC_SNAPSHOT");
    await next(grace, "DOC_SNAPSHOT");

    const updates = [{ clientID: "ada-1", changes: insert(0, 0, "let x = 1;") }];
    send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version: 0, updates });
    const confirmed = { responseType: "DOC_UPDATES", payload: { doc: "student:Ada", version: 0, updates } };
    expect(await ada.next()).toEqual(confirmed);
    expect(await grace.next()).toEqual(confirmed);
    expect(await linus.drain(100)).toEqual([]);
  });

  it("a new subscription set sends snapshots only of the editors new to it, and stops the ones it dropped", async () => {
    const { roomId, grace, ada, linus } = await roomOfThree();
    send(grace, roomId, "DOC_SUBSCRIBE", { docs: ["student:Ada", "student:Linus"] });
    expect((await grace.drain(100)).map((f) => f.responseType === "DOC_SNAPSHOT" && f.payload.doc)).toEqual(["student:Ada", "student:Linus"]);
    send(grace, roomId, "DOC_SUBSCRIBE", { docs: ["student:Ada"] });
    expect(await grace.drain(100)).toEqual([]);
    send(linus, roomId, "DOC_PUSH", { doc: "student:Linus", version: 0, updates: [{ clientID: "linus-1", changes: insert(0, 0, "l") }] });
    await next(linus, "DOC_UPDATES");
    send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version: 0, updates: [{ clientID: "ada-1", changes: insert(0, 0, "a") }] });
    await next(ada, "DOC_UPDATES");
    expect(await next(grace, "DOC_UPDATES")).toMatchObject({ payload: { doc: "student:Ada" } });
    expect(await grace.drain(100)).toEqual([]);
    send(grace, roomId, "DOC_SUBSCRIBE", { docs: ["student:Linus", "student:Ada"] });
    expect(await grace.drain(100)).toEqual([{ responseType: "DOC_SNAPSHOT", payload: { doc: "student:Linus", version: 1, text: "l" } }]);
  });

  it("refuses a student another's editor and the teacher's, and lets staff type in a student's", async () => {
    const { roomId, grace, ada, linus } = await roomOfThree();
    for (const payload of [{ docs: ["student:Ada"] }, { docs: ["teacher"] }]) {
      send(linus, roomId, "DOC_SUBSCRIBE", payload);
      expect(await linus.next()).toEqual({
        responseType: "ERROR",
        payload: { action: "DOC_SUBSCRIBE", code: "FORBIDDEN", error_message: "You can only open your own editor (student:Linus)." },
      });
    }
    send(linus, roomId, "DOC_PUSH", { doc: "student:Ada", version: 0, updates: [{ clientID: "x", changes: insert(0, 0, "hijack") }] });
    expect(await linus.next()).toMatchObject({ responseType: "ERROR", payload: { code: "FORBIDDEN" } });

    send(ada, roomId, "DOC_SUBSCRIBE", { docs: ["student:Ada"] });
    await next(ada, "DOC_SNAPSHOT");
    send(grace, roomId, "DOC_PUSH", { doc: "student:Ada", version: 0, updates: [{ clientID: "grace-1", changes: insert(0, 0, "// hint") }] });
    expect(await next(ada, "DOC_UPDATES")).toMatchObject({ payload: { version: 0, updates: [{ clientID: "grace-1" }] } });
    // Grace is not subscribed: she still hears her change was stored.
    expect(await next(grace, "DOC_UPDATES")).toMatchObject({ payload: { doc: "student:Ada", version: 0 } });
  });

  it("applies a push only on the current version: a stale one gets what it missed, and nothing is stored", async () => {
    const { roomId, grace, ada } = await roomOfThree();
    send(ada, roomId, "DOC_SUBSCRIBE", { docs: ["student:Ada"] });
    await next(ada, "DOC_SNAPSHOT");
    send(grace, roomId, "DOC_PUSH", { doc: "student:Ada", version: 0, updates: [{ clientID: "grace-1", changes: insert(0, 0, "AB") }] });
    await next(grace, "DOC_UPDATES");
    await next(ada, "DOC_UPDATES");

    // Ada typed "x" on version 0 before she saw Grace's change.
    send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version: 0, updates: [{ clientID: "ada-1", changes: insert(0, 0, "x") }] });
    expect(await ada.next()).toEqual({
      responseType: "DOC_UPDATES",
      payload: { doc: "student:Ada", version: 0, updates: [{ clientID: "grace-1", changes: insert(0, 0, "AB") }] },
    });
    expect(await grace.drain(100)).toEqual([]);
    // Rebased on version 1, it is taken.
    send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version: 1, updates: [{ clientID: "ada-1", changes: insert(2, 2, "x") }] });
    expect(await next(ada, "DOC_UPDATES")).toMatchObject({ payload: { version: 1 } });
    send(grace, roomId, "DOC_SUBSCRIBE", { docs: ["student:Ada"] });
    expect(await next(grace, "DOC_SNAPSHOT")).toMatchObject({ payload: { version: 2, text: "ABx" } });
  });

  it("refuses a change that does not fit the document, or makes it too long, and stores nothing", async () => {
    const { roomId, ada } = await roomOfThree();
    send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version: 0, updates: [{ clientID: "a", changes: [7] }] });
    expect(await ada.next()).toMatchObject({ responseType: "ERROR", payload: { code: "INVALID_MESSAGE", error_message: "payload.updates: a change for a document of 7 characters, but it has 0." } });
    const big = "x".repeat(300 * 1024);
    send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version: 0, updates: [{ clientID: "a", changes: insert(0, 0, big) }, { clientID: "a", changes: insert(big.length, 0, big) }] });
    expect(await ada.next()).toMatchObject({ responseType: "ERROR", payload: { code: "INVALID_MESSAGE", error_message: "payload.updates: a document may hold at most 524288 characters." } });
    send(ada, roomId, "DOC_SUBSCRIBE", { docs: ["student:Ada"] });
    expect(await next(ada, "DOC_SNAPSHOT")).toMatchObject({ payload: { version: 0, text: "" } });
  });

  it("keeps every change through an eviction: pulls and snapshots give the same document", async () => {
    const { roomId, ada, grace } = await roomOfThree();
    let text = Text.of([""]);
    // 150 versions, past the snapshot at 100, in batches as an editor sends them.
    for (let v = 0; v < 150; v += 10) {
      const updates = [];
      for (let k = 0; k < 10; k++) {
        updates.push({ clientID: "ada-1", changes: insert(text.length, text.length, `${v + k};`) });
        text = ChangeSet.fromJSON(updates.at(-1)!.changes).apply(text);
      }
      send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version: v, updates });
      await next(ada, "DOC_UPDATES");
      await new Promise((r) => setTimeout(r, 350)); // the typing bucket refills
    }
    await evictDurableObject(env.ROOM.getByName(roomId));
    const back = await TestClient.joined(roomId, ada.account, "Student");
    send(back, roomId, "DOC_PULL", { doc: "student:Ada", version: 120 });
    const pulled = await next(back, "DOC_UPDATES");
    expect(pulled.payload.version).toBe(120);
    expect(pulled.payload.updates).toHaveLength(30);
    send(grace, roomId, "DOC_SUBSCRIBE", { docs: ["student:Ada"] });
    let snapshot = await grace.next();
    while (snapshot.responseType !== "DOC_SNAPSHOT") snapshot = await grace.next();
    expect(snapshot.payload).toEqual({ doc: "student:Ada", version: 150, text: text.toString() });
  });

  it("locks the students' editors: a locked student's change is refused (LOCKED), staff still type, and the lock outlives a reconnect", async () => {
    const { roomId, grace, ada, linus } = await roomOfThree();
    send(ada, roomId, "DOC_MODE", { locked: true });
    expect(await ada.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "DOC_MODE", code: "FORBIDDEN", error_message: "Only teachers can lock editors or start follow mode." },
    });
    send(grace, roomId, "DOC_MODE", { locked: true });
    const locked = { responseType: "DOC_MODE", payload: { locked: true, follow: false, by: "Grace" } };
    for (const c of [grace, ada, linus]) expect(await c.next()).toEqual(locked);

    send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version: 0, updates: [{ clientID: "ada-1", changes: insert(0, 0, "x") }] });
    expect(await ada.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "DOC_PUSH", code: "LOCKED", error_message: "Your teacher has locked the editors for now; this change was not saved." },
    });
    send(grace, roomId, "DOC_PUSH", { doc: "student:Ada", version: 0, updates: [{ clientID: "grace-1", changes: insert(0, 0, "demo") }] });
    expect(await next(grace, "DOC_UPDATES")).toMatchObject({ payload: { version: 0 } });

    // A student who comes back (after an eviction, too) is told at once.
    await evictDurableObject(env.ROOM.getByName(roomId));
    const back = await TestClient.open(roomId, ada.account);
    back.send({ username: "Ada", action: "JOIN", roomId, role: "Student", payload: { roomId, role: "Student" } });
    await next(back, "JOIN");
    expect(await back.next()).toEqual({ responseType: "DOC_MODE", payload: { locked: true, follow: false, by: null } });
    send(grace, roomId, "DOC_MODE", { locked: false });
    expect(await back.next()).toEqual({ responseType: "DOC_MODE", payload: { locked: false, follow: false, by: "Grace" } });
  });

  it("follow mode: students may watch the teacher's editor live, read-only, only while it is on", async () => {
    const { roomId, grace, ada } = await roomOfThree();
    send(ada, roomId, "DOC_SUBSCRIBE", { docs: ["student:Ada", "teacher"] });
    expect(await ada.next()).toMatchObject({ responseType: "ERROR", payload: { code: "FORBIDDEN" } });

    send(grace, roomId, "DOC_MODE", { follow: true });
    await next(grace, "DOC_MODE");
    expect(await next(ada, "DOC_MODE")).toEqual({ responseType: "DOC_MODE", payload: { locked: false, follow: true, by: "Grace" } });
    send(ada, roomId, "DOC_SUBSCRIBE", { docs: ["student:Ada", "teacher"] });
    await next(ada, "DOC_SNAPSHOT");
    expect(await next(ada, "DOC_SNAPSHOT")).toEqual({ responseType: "DOC_SNAPSHOT", payload: { doc: "teacher", version: 0, text: "" } });

    const updates = [{ clientID: "grace-1", changes: insert(0, 0, "console.log(42)") }];
    send(grace, roomId, "DOC_PUSH", { doc: "teacher", version: 0, updates });
    expect(await ada.next()).toEqual({ responseType: "DOC_UPDATES", payload: { doc: "teacher", version: 0, updates } });
    send(ada, roomId, "DOC_PUSH", { doc: "teacher", version: 1, updates: [{ clientID: "ada-1", changes: insert(15, 0, "!") }] });
    expect(await ada.next()).toMatchObject({ responseType: "ERROR", payload: { action: "DOC_PUSH", code: "FORBIDDEN" } });
  });

  it("plays back a document: replaying its log page by page gives the document at every version, with each change's time", async () => {
    const { roomId, grace, ada, linus } = await roomOfThree();
    const started = Date.now();
    let text = Text.of([""]);
    const atVersion = [text.toString()];
    for (let v = 0; v < 20; v++) {
      const who = v % 3 === 0 ? grace : ada;
      const at = (v * 7) % (text.length + 1);
      const changes = insert(text.length, at, `<${v}>`);
      send(who, roomId, "DOC_PUSH", { doc: "student:Ada", version: v, updates: [{ clientID: `${who.account.user.name}-1`, changes }] });
      await next(who, "DOC_UPDATES");
      text = ChangeSet.fromJSON(changes).apply(text);
      atVersion.push(text.toString());
    }
    const replayed = [""];
    let doc = Text.of([""]);
    let after = 0;
    let pages = 0;
    for (;;) {
      send(ada, roomId, "DOC_HISTORY", { doc: "student:Ada", after, limit: 7 });
      const page = await next(ada, "DOC_HISTORY");
      pages += 1;
      expect(page.payload.version).toBe(after);
      for (const u of page.payload.updates) {
        expect(u.at).toBeGreaterThanOrEqual(started);
        doc = ChangeSet.fromJSON(u.changes).apply(doc);
        replayed.push(doc.toString());
      }
      after += page.payload.updates.length;
      if (!page.payload.hasMore) break;
    }
    expect(pages).toBe(3);
    expect(replayed).toEqual(atVersion);
    // A classmate cannot replay Ada's work.
    send(linus, roomId, "DOC_HISTORY", { doc: "student:Ada" });
    expect(await linus.next()).toMatchObject({ responseType: "ERROR", payload: { action: "DOC_HISTORY", code: "FORBIDDEN" } });
  });
});
