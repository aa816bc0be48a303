/**
 * What rides along with the live documents: cursors relayed to whoever has
 * the editor open, and the marks on each document's timeline (runs, shares,
 * pastes) that the teacher's grid and playback show.
 */
import { ChangeSet } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { TestClient, roomOfThree } from "../helpers/client";

const send = (c: TestClient, roomId: string, action: string, payload: object) =>
  c.send(JSON.stringify({ username: c.account.user.name, action, roomId, payload }));

const insert = (length: number, at: number, text: string) => ChangeSet.of({ from: at, insert: text }, length).toJSON();

describe("cursors", () => {
  it("relays a cursor to the others who have the editor open, not to the sender or anyone else", async () => {
    const { roomId, grace, ada, linus } = await roomOfThree();
    send(ada, roomId, "DOC_SUBSCRIBE", { docs: ["student:Ada"] });
    await ada.nextOf("DOC_SNAPSHOT");
    send(grace, roomId, "DOC_SUBSCRIBE", { docs: ["student:Ada"] });
    await grace.nextOf("DOC_SNAPSHOT");

    send(grace, roomId, "DOC_CURSOR", { doc: "student:Ada", version: 0, selection: { anchor: 0, head: 0 } });
    expect(await ada.next()).toEqual({
      responseType: "DOC_CURSOR",
      payload: { doc: "student:Ada", version: 0, selection: { anchor: 0, head: 0 }, by: "Grace", role: "Teacher" },
    });
    send(ada, roomId, "DOC_CURSOR", { doc: "student:Ada", version: 0, selection: { anchor: 0, head: 0 } });
    expect(await grace.next()).toMatchObject({ responseType: "DOC_CURSOR", payload: { by: "Ada", role: "Student" } });
    // Closing the editor: the others drop the cursor.
    send(grace, roomId, "DOC_CURSOR", { doc: "student:Ada", version: 0, selection: null });
    expect(await ada.next()).toMatchObject({ responseType: "DOC_CURSOR", payload: { selection: null, by: "Grace" } });
    expect(await grace.drain(60)).toEqual([]);
    expect(await linus.drain(60)).toEqual([]);

    // A classmate has no cursor in Ada's editor, and a follower none in the teacher's.
    send(linus, roomId, "DOC_CURSOR", { doc: "student:Ada", version: 0, selection: { anchor: 0, head: 0 } });
    expect(await linus.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "DOC_CURSOR", code: "FORBIDDEN", error_message: "You can only open your own editor (student:Linus)." },
    });
    send(grace, roomId, "DOC_MODE", { follow: true });
    await linus.nextOf("DOC_MODE");
    send(linus, roomId, "DOC_CURSOR", { doc: "teacher", version: 0, selection: { anchor: 0, head: 0 } });
    expect(await linus.next()).toMatchObject({ responseType: "ERROR", payload: { action: "DOC_CURSOR", code: "FORBIDDEN" } });
    expect(await ada.drain(60)).toEqual([expect.objectContaining({ responseType: "DOC_MODE" })]);
  });

  it("refuses a position past the longest document", async () => {
    const { roomId, ada } = await roomOfThree();
    send(ada, roomId, "DOC_CURSOR", { doc: "student:Ada", version: 0, selection: { anchor: 0, head: 512 * 1024 + 1 } });
    expect(await ada.next()).toMatchObject({ responseType: "ERROR", payload: { action: "DOC_CURSOR", code: "INVALID_MESSAGE" } });
  });
});

describe("marks on the timeline", () => {
  it("marks runs (ok or error), shares and pastes, tells the staff only, and gives them in playback and the grid's activity", async () => {
    const { roomId, grace, ada, linus } = await roomOfThree();
    send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version: 0, updates: [{ clientID: "ada-1", changes: insert(0, 0, "1 + 1") }] });
    await ada.nextOf("DOC_UPDATES");
    const pasted = "\nconst long = [1, 2, 3].map((n) => n * 2);";
    send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version: 1, updates: [{ clientID: "ada-1", changes: insert(5, 5, pasted), paste: true }] });
    expect(await ada.nextOf("DOC_UPDATES")).toMatchObject({ payload: { version: 1, updates: [{ paste: true }] } });
    const paste = await grace.nextOf("DOC_MARK");
    expect(paste).toEqual({ responseType: "DOC_MARK", payload: { doc: "student:Ada", version: 2, kind: "paste", at: expect.any(Number) } });

    send(ada, roomId, "RUN", { code: "1 + 1" });
    await ada.nextOf("RUN");
    expect(await grace.nextOf("DOC_MARK")).toMatchObject({ payload: { doc: "student:Ada", version: 2, kind: "run-ok" } });
    send(ada, roomId, "RUN", { code: "throw new Error('no')" });
    await ada.nextOf("RUN");
    const failed = await grace.nextOf("DOC_MARK");
    expect(failed.payload).toMatchObject({ doc: "student:Ada", version: 2, kind: "run-error" });
    send(ada, roomId, "SHARE", { shared_code: "1 + 1" });
    await ada.nextOf("SHARE");
    expect(await grace.nextOf("DOC_MARK")).toMatchObject({ payload: { doc: "student:Ada", kind: "share" } });
    // Marks go to the staff: a classmate hears nothing of Ada's work.
    expect((await linus.drain(100)).filter((f) => f.responseType === "DOC_MARK")).toEqual([]);

    send(ada, roomId, "DOC_HISTORY", { doc: "student:Ada" });
    const history = await ada.nextOf("DOC_HISTORY");
    expect(history.payload.marks.map((m) => [m.version, m.kind])).toEqual([
      [2, "paste"],
      [2, "run-ok"],
      [2, "run-error"],
      [2, "share"],
    ]);
    // Paged: a mark belongs to the page that starts at or passes through its version, once.
    send(ada, roomId, "DOC_HISTORY", { doc: "student:Ada", after: 0, limit: 1 });
    expect((await ada.nextOf("DOC_HISTORY")).payload).toMatchObject({ hasMore: true, marks: [] });
    send(ada, roomId, "DOC_HISTORY", { doc: "student:Ada", after: 1, limit: 1 });
    expect((await ada.nextOf("DOC_HISTORY")).payload.marks).toHaveLength(4);

    await grace.drain(50);
    send(grace, roomId, "DOC_SUBSCRIBE", { docs: [], activity: true });
    expect(await grace.next()).toEqual({
      responseType: "DOC_ACTIVITY",
      payload: { docs: [{ doc: "student:Ada", version: 2, changedAt: expect.any(Number), lastRun: { version: 2, kind: "run-error", at: failed.payload.at }, pastes: 1 }] },
    });
    send(linus, roomId, "DOC_SUBSCRIBE", { docs: [], activity: true });
    expect(await linus.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "DOC_SUBSCRIBE", code: "FORBIDDEN", error_message: "Only teachers see every editor's activity." },
    });
  });

  it("marks the teacher's own runs on the teacher's editor, for playback, without a DOC_MARK", async () => {
    const { roomId, grace } = await roomOfThree();
    send(grace, roomId, "RUN", { code: "2" });
    await grace.nextOf("RUN");
    send(grace, roomId, "DOC_HISTORY", { doc: "teacher" });
    expect(await grace.next()).toEqual({
      responseType: "DOC_HISTORY",
      payload: { doc: "teacher", version: 0, updates: [], marks: [{ version: 0, kind: "run-ok", at: expect.any(Number) }], hasMore: false },
    });
  });
});
