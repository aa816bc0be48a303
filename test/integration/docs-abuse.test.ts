/**
 * Live documents under hostile input: changes that would leave the stored
 * text broken, a student growing the room's log or its answers without
 * bound, large frames holding the room's thread, and a follower who keeps
 * the teacher's editor after follow mode ends.
 */
import { ChangeSet } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { DOC_LIMITS } from "../../protocol";
import { TestClient, roomOfThree } from "../helpers/client";

const send = (c: TestClient, roomId: string, action: string, payload: object) =>
  c.send(JSON.stringify({ username: c.account.user.name, action, roomId, payload }));

describe("live documents under attack", () => {
  it("refuses a change that cuts a surrogate pair in two, by deleting or inserting, and stores nothing", async () => {
    const { roomId, ada } = await roomOfThree();
    send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version: 0, updates: [{ clientID: "m", changes: [[0, "😀😁"]] }] });
    await ada.nextOf("DOC_UPDATES");
    const cut = { responseType: "ERROR", payload: { action: "DOC_PUSH", code: "INVALID_MESSAGE", error_message: "payload.updates: a change may not cut a character in two (half of a surrogate pair)." } };
    for (const changes of [[1, [0, "X"], 3], [3, [1]], [[1], 3], [2, [1, "y"], 1]]) {
      send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version: 1, updates: [{ clientID: "m", changes }] });
      expect(await ada.next()).toEqual(cut);
    }
    // Whole characters are fine: between the two emoji, and replacing one.
    send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version: 1, updates: [{ clientID: "m", changes: [2, [0, "-"], 2] }, { clientID: "m", changes: [[2, "🙂"], 3] }] });
    await ada.nextOf("DOC_UPDATES");
    send(ada, roomId, "DOC_SUBSCRIBE", { docs: ["student:Ada"] });
    expect(await ada.nextOf("DOC_SNAPSHOT")).toMatchObject({ payload: { version: 3, text: "🙂-😁" } });
  });

  it("checks the size after each change of a push, not only after the last", async () => {
    const { roomId, ada } = await roomOfThree();
    const big = "c".repeat(DOC_LIMITS.maxDocChars + 1);
    send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version: 0, updates: [{ clientID: "m", changes: [[0, big]] }, { clientID: "m", changes: [[big.length]] }] });
    expect(await ada.next()).toMatchObject({ responseType: "ERROR", payload: { code: "INVALID_MESSAGE", error_message: `payload.updates: a document may hold at most ${DOC_LIMITS.maxDocChars} characters.` } });
    send(ada, roomId, "DOC_PULL", { doc: "student:Ada", version: 0 });
    expect(await ada.next()).toEqual({ responseType: "DOC_UPDATES", payload: { doc: "student:Ada", version: 0, updates: [] } });
  });

  it("limits the characters one account puts into the editors, and bounds pull and playback answers by size", async () => {
    const { roomId, grace, ada } = await roomOfThree();
    const chunk = "x".repeat(350_000);
    const fill = (length: number) => ChangeSet.of({ from: 0, to: length, insert: chunk }, length).toJSON();
    let length = 0;
    let version = 0;
    // Ada and Grace each put in 700,000 characters: 1.4 million in the log, each within their own limit.
    for (const who of [ada, ada, grace, grace]) {
      send(who, roomId, "DOC_PUSH", { doc: "student:Ada", version, updates: [{ clientID: who.account.user.name, changes: fill(length) }] });
      await who.nextOf("DOC_UPDATES");
      length = chunk.length;
      version += 1;
    }
    // Ada has about 350,000 left (and 16,384 more a second): half a million more is refused.
    const more = ChangeSet.of({ from: 0, to: length, insert: "y".repeat(500_000) }, length).toJSON();
    send(ada, roomId, "DOC_PUSH", { doc: "student:Ada", version, updates: [{ clientID: "Ada", changes: more }] });
    expect(await ada.nextOf("ERROR")).toEqual({
      responseType: "ERROR",
      payload: { action: "DOC_PUSH", code: "RATE_LIMITED", error_message: "Slow down: at most 1048576 characters into the editors at once, then 16384 a second." },
    });
    // A page stops before 1 MiB of changes; a pull that far back gets the document instead.
    send(ada, roomId, "DOC_HISTORY", { doc: "student:Ada" });
    const page = await ada.nextOf("DOC_HISTORY");
    expect(page.payload.updates).toHaveLength(2);
    expect(page.payload.hasMore).toBe(true);
    send(ada, roomId, "DOC_PULL", { doc: "student:Ada", version: 0 });
    expect(await ada.nextOf("DOC_SNAPSHOT")).toMatchObject({ payload: { version: 4, text: chunk } });
  });

  it("closes a connection that sends more than 4 MiB at once, even in frames the room refuses", async () => {
    const { roomId, ada } = await roomOfThree();
    const frame = JSON.stringify({ username: "Ada", action: "DOC_PUSH", roomId, payload: { doc: "student:Ada", version: 0, updates: [{ clientID: "f", changes: [99_999_999, [0, "q".repeat(1_000_000 - 200)]] }] } });
    for (let i = 0; i < 5; i++) ada.send(frame);
    const answers = await ada.drain(2_000);
    expect(answers.slice(0, 4).map((f) => f.responseType === "ERROR" && f.payload.code)).toEqual(Array(4).fill("INVALID_MESSAGE"));
    expect(answers[4]).toEqual({ responseType: "ERROR", payload: { code: "RATE_LIMITED", error_message: "Too much data: at most 4 MiB at once, then 1 MiB per second. This connection is closed; reconnect to go on." } });
    expect(await ada.waitClosed()).toEqual({ code: 4008, reason: "Too much data" });
  });

  it("stops sending the teacher's editor to students when follow mode ends", async () => {
    const { roomId, grace, linus } = await roomOfThree();
    send(grace, roomId, "DOC_MODE", { follow: true });
    await linus.nextOf("DOC_MODE");
    send(linus, roomId, "DOC_SUBSCRIBE", { docs: ["teacher", "student:Linus"] });
    await linus.nextOf("DOC_SNAPSHOT");
    await linus.nextOf("DOC_SNAPSHOT");
    send(grace, roomId, "DOC_MODE", { follow: false });
    expect(await linus.next()).toMatchObject({ responseType: "DOC_MODE", payload: { follow: false } });
    send(grace, roomId, "DOC_PUSH", { doc: "teacher", version: 0, updates: [{ clientID: "g", changes: [[0, "the solution"]] }] });
    await grace.nextOf("DOC_UPDATES");
    send(grace, roomId, "DOC_CURSOR", { doc: "teacher", version: 1, selection: { anchor: 0, head: 3 } });
    expect(await linus.drain(150)).toEqual([]);
  });
});
