import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../../protocol";
import { TestClient, createRoom } from "../helpers/client";

type Chat = Extract<ServerMessage, { responseType: "CHAT" }>;

async function room() {
  const { roomId, teacherToken } = await createRoom();
  const grace = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
  const ada = await TestClient.joined(roomId, "Ada", "Student");
  const linus = await TestClient.joined(roomId, "Linus", "Student");
  await Promise.all([grace.drain(50), ada.drain(50)]); // join notices
  return { roomId, grace, ada, linus };
}

const say = (c: TestClient, roomId: string, text: string, clientId = `c-${crypto.randomUUID()}`, attach?: object) =>
  c.send({ username: c.account.user.name, action: "CHAT", roomId, role: null, payload: { clientId, text, ...(attach ? { attach } : {}) } });

const act = (c: TestClient, roomId: string, action: "CHAT_EDIT" | "CHAT_DELETE" | "MUTE" | "HISTORY", payload: object) =>
  c.send(JSON.stringify({ username: c.account.user.name, action, roomId, payload }));

const rows = (roomId: string) =>
  runInDurableObject(env.ROOM.getByName(roomId), (_r, state) => state.storage.sql.exec("SELECT id, client_id, text FROM chat ORDER BY id").toArray());

describe("CHAT", () => {
  it("reaches everyone, the sender's copy confirming it is stored", async () => {
    const { roomId, grace, ada, linus } = await room();
    say(ada, roomId, "Is `let` block-scoped?", "ada-00000001");
    const frame = await ada.next();
    expect(frame).toEqual({
      responseType: "CHAT",
      payload: {
        message: {
          id: 1,
          clientId: "ada-00000001",
          author: "Ada",
          authorRole: "Student",
          text: "Is `let` block-scoped?",
          attach: null,
          createdAt: expect.any(Number),
          editedAt: null,
          deleted: false,
        },
      },
      seq: 4,
    });
    expect(await grace.next()).toEqual(frame);
    expect(await linus.next()).toEqual(frame);
    expect(await rows(roomId)).toEqual([{ id: 1, client_id: "ada-00000001", text: "Is `let` block-scoped?" }]);
  });

  it("can carry the sender's code and a run's output", async () => {
    const { roomId, ada } = await room();
    say(ada, roomId, "Why does this loop forever?", undefined, { code: "while (true) {}", output: "Time limit exceeded" });
    expect(await ada.next()).toMatchObject({ payload: { message: { attach: { code: "while (true) {}", output: "Time limit exceeded" } } } });
  });

  it("stores a retried message once and confirms it with an ACK to the sender only", async () => {
    const { roomId, ada, grace } = await room();
    say(ada, roomId, "hello", "retry-0001");
    const first = (await ada.next()) as Chat;
    await grace.next();
    say(ada, roomId, "hello", "retry-0001");
    expect(await ada.next()).toEqual({ responseType: "ACK", payload: { clientId: "retry-0001", id: first.payload.message.id }, seq: first.seq });
    expect(await grace.drain()).toEqual([]);
    expect(await rows(roomId)).toHaveLength(1);
  });

  it.each([
    ["empty text", { clientId: "c-00000001", text: "   " }, "payload.text: must not be empty"],
    ["text over 4000 characters", { clientId: "c-00000001", text: "x".repeat(4001) }, "payload.text: must be at most 4000 characters"],
    ["no client id", { text: "hi" }, expect.stringContaining("payload.clientId")],
    ["attached code over 64 KiB", { clientId: "c-00000001", text: "hi", attach: { code: "x".repeat(65537) } }, "payload.attach.code: must be at most 65536 characters"],
  ])("refuses %s and stores nothing", async (_n, payload, error_message) => {
    const { roomId, ada, grace } = await room();
    ada.send(JSON.stringify({ username: "Ada", action: "CHAT", roomId, payload }));
    const context = { action: "CHAT", ...("clientId" in payload ? { clientId: payload.clientId } : {}) };
    expect(await ada.next()).toEqual({ responseType: "ERROR", payload: { ...context, code: "INVALID_MESSAGE", error_message } });
    expect(await grace.drain()).toEqual([]);
    expect(await rows(roomId)).toEqual([]);
  });

  it("is refused before JOIN", async () => {
    const { roomId } = await createRoom();
    const c = await TestClient.open(roomId, "Ada");
    say(c, roomId, "hi");
    expect(await c.next()).toEqual({ responseType: "ERROR", payload: { action: "CHAT", clientId: expect.any(String), code: "NOT_JOINED", error_message: "Send JOIN before CHAT." } });
  });
});

describe("editing, deleting and moderation", () => {
  it("lets authors edit their own messages only", async () => {
    const { roomId, ada, linus, grace } = await room();
    say(ada, roomId, "tpyo");
    const { payload } = (await ada.next()) as Chat;
    await Promise.all([linus.next(), grace.next()]);
    act(linus, roomId, "CHAT_EDIT", { id: payload.message.id, text: "mine now" });
    expect(await linus.next()).toEqual({ responseType: "ERROR", payload: { action: "CHAT_EDIT", code: "FORBIDDEN", error_message: "You can only edit your own messages." } });
    act(ada, roomId, "CHAT_EDIT", { id: payload.message.id, text: "typo" });
    const update = await grace.next();
    expect(update).toEqual({
      responseType: "CHAT_UPDATE",
      payload: { message: { ...payload.message, text: "typo", editedAt: expect.any(Number) } },
      seq: 5,
    });
    act(ada, roomId, "CHAT_EDIT", { id: 999, text: "x" });
    expect(await ada.next()).toEqual(update);
    expect(await ada.next()).toEqual({ responseType: "ERROR", payload: { action: "CHAT_EDIT", code: "NOT_FOUND", error_message: "There is no message 999." } });
  });

  it("lets authors delete their own messages, and teachers delete anyone's", async () => {
    const { roomId, ada, linus, grace } = await room();
    say(ada, roomId, "first", undefined, { code: "x()" });
    const first = (await ada.next()) as Chat;
    say(ada, roomId, "second");
    const second = (await ada.next()) as Chat;
    await linus.drain(100);
    await grace.drain(100);

    act(linus, roomId, "CHAT_DELETE", { id: first.payload.message.id });
    expect(await linus.next()).toMatchObject({ responseType: "ERROR", payload: { code: "FORBIDDEN" } });
    act(ada, roomId, "CHAT_DELETE", { id: first.payload.message.id });
    expect(await linus.next()).toEqual({
      responseType: "CHAT_UPDATE",
      payload: { message: { ...first.payload.message, text: "", attach: null, deleted: true } },
      seq: 6,
    });
    act(grace, roomId, "CHAT_DELETE", { id: second.payload.message.id });
    expect(await linus.next()).toMatchObject({ responseType: "CHAT_UPDATE", payload: { message: { id: second.payload.message.id, deleted: true } } });
    expect(await rows(roomId)).toEqual([
      { id: first.payload.message.id, client_id: first.payload.message.clientId, text: "" },
      { id: second.payload.message.id, client_id: second.payload.message.clientId, text: "" },
    ]);
  });

  it("lets teachers (only) mute and unmute a student", async () => {
    const { roomId, ada, linus, grace } = await room();
    act(ada, roomId, "MUTE", { username: "Linus", muted: true });
    expect(await ada.next()).toEqual({ responseType: "ERROR", payload: { action: "MUTE", code: "FORBIDDEN", error_message: "Only teachers can mute participants." } });
    act(grace, roomId, "MUTE", { username: "Linus", muted: true });
    const muted = { responseType: "MUTED", payload: { username: "Linus", muted: true, by: "Grace" }, seq: 4 };
    expect(await ada.next()).toEqual(muted);
    expect(await linus.next()).toEqual(muted);
    say(linus, roomId, "can anyone hear me", "c-muted-0001");
    expect(await linus.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "CHAT", clientId: "c-muted-0001", code: "MUTED", error_message: "A teacher has muted you in this chat." },
    });
    expect(await rows(roomId)).toEqual([]);

    // A message stored before the mute, retried after it, is still confirmed (not refused).
    act(grace, roomId, "MUTE", { username: "Linus", muted: false });
    await linus.drain(100);
    say(linus, roomId, "stored before", "before-mute-1");
    await linus.next();
    act(grace, roomId, "MUTE", { username: "Linus", muted: true });
    await linus.next();
    say(linus, roomId, "stored before", "before-mute-1");
    expect(await linus.next()).toMatchObject({ responseType: "ACK", payload: { clientId: "before-mute-1" } });

    // Whoever loads the chat afresh learns who is muted now.
    await ada.drain(100);
    act(ada, roomId, "HISTORY", {});
    expect(await ada.next()).toMatchObject({ responseType: "HISTORY", payload: { muted: ["Linus"] } });

    act(grace, roomId, "MUTE", { username: "Linus", muted: false });
    expect(await linus.next()).toMatchObject({ responseType: "MUTED", payload: { muted: false } });
    say(linus, roomId, "back");
    expect(await linus.next()).toMatchObject({ responseType: "CHAT", payload: { message: { text: "back" } } });

    await grace.drain(100);
    act(grace, roomId, "MUTE", { username: "Grace", muted: true });
    expect(await grace.next()).toMatchObject({ responseType: "ERROR", payload: { code: "FORBIDDEN", error_message: "Teachers cannot be muted." } });
  });
});

describe("history and limits", () => {
  it("pages older history on demand, oldest first", async () => {
    const { roomId, ada } = await room();
    for (let i = 1; i <= 5; i++) {
      say(ada, roomId, `m${i}`);
      await ada.next();
    }
    act(ada, roomId, "HISTORY", { limit: 2 });
    const latest = await ada.next();
    expect(latest.responseType === "HISTORY" && latest.payload.messages.map((m) => m.text)).toEqual(["m4", "m5"]);
    expect(latest).toMatchObject({ payload: { hasMore: true, reset: false, muted: [] } });
    act(ada, roomId, "HISTORY", { before: 2, limit: 2 });
    expect(await ada.next()).toMatchObject({ payload: { messages: [{ text: "m1" }], hasMore: false } });
  });

  it("limits chat per connection: a burst of 10, then 1 a second; the 11th is refused and costs nothing else", async () => {
    const { roomId, ada, grace } = await room();
    for (let i = 0; i < 11; i++) say(ada, roomId, `spam ${i}`);
    const frames = [];
    for (let i = 0; i < 11; i++) frames.push(await ada.next());
    expect(frames.filter((f) => f.responseType === "CHAT")).toHaveLength(10);
    expect(frames.at(-1)).toEqual({
      responseType: "ERROR",
      payload: { action: "CHAT", clientId: expect.any(String), code: "RATE_LIMITED", error_message: "Slow down: at most 10 messages at once, then 1 per second." },
    });
    expect(await rows(roomId)).toHaveLength(10);
    expect((await grace.drain(100)).filter((f) => f.responseType === "CHAT")).toHaveLength(10);
    await new Promise((r) => setTimeout(r, 1100));
    say(ada, roomId, "after a pause");
    expect(await ada.next()).toMatchObject({ responseType: "CHAT", payload: { message: { text: "after a pause" } } });
  });
});

const EVENT_TYPES = new Set(["CHAT", "CHAT_UPDATE", "MUTED"]);
/** The next chat event, skipping presence notices. */
async function nextEvent(c: TestClient): Promise<ServerMessage> {
  for (;;) {
    const frame = await c.next();
    if (EVENT_TYPES.has(frame.responseType)) return frame;
  }
}

describe("resume", () => {
  it("replays exactly the events a reconnecting client missed, in order, once, also after eviction", async () => {
    const { roomId, ada, linus } = await room();
    say(ada, roomId, "before");
    const seen = (await nextEvent(linus)) as Chat;
    await nextEvent(ada);
    linus.close();
    say(ada, roomId, "missed 1");
    const m1 = (await nextEvent(ada)) as Chat;
    act(ada, roomId, "CHAT_EDIT", { id: m1.payload.message.id, text: "missed 1 (edited)" });
    const edit = await nextEvent(ada);
    await evictDurableObject(env.ROOM.getByName(roomId));
    say(ada, roomId, "missed 2");
    const m2 = await nextEvent(ada);

    const back = await TestClient.open(roomId, linus.account);
    back.send({ username: "Linus", action: "JOIN", roomId, role: "Student", payload: { roomId, role: "Student", lastSeq: seen.seq } });
    expect(await back.next()).toMatchObject({ responseType: "JOIN", payload: { role: "Student" } });
    expect([await back.next(), await back.next(), await back.next()]).toEqual([m1, edit, m2]);
    expect(await back.drain()).toEqual([]);
  });

  it("sends fresh history instead when a client is too far behind to replay", async () => {
    const { roomId, ada } = await room();
    say(ada, roomId, "only message");
    await nextEvent(ada);
    await runInDurableObject(env.ROOM.getByName(roomId), (_r, state) => {
      // Pretend more than the replay limit happened since seq 0.
      for (let seq = 1000; seq < 2002; seq++) state.storage.sql.exec("INSERT INTO events (seq, frame, created_at) VALUES (?, '{}', 0)", seq);
    });
    const late = await TestClient.open(roomId, "Late");
    late.send({ username: "Late", action: "JOIN", roomId, role: "Student", payload: { roomId, role: "Student", lastSeq: 0 } });
    await late.next(); // JOIN
    expect(await late.next()).toMatchObject({
      responseType: "HISTORY",
      payload: { messages: [{ text: "only message" }], hasMore: false, reset: true },
    });
  });

  it("sends snapshots instead when the missed events are more than 256 KiB, however few", async () => {
    const { roomId, ada } = await room();
    say(ada, roomId, "only message");
    const first = (await nextEvent(ada)) as Chat;
    await runInDurableObject(env.ROOM.getByName(roomId), (_r, state) => {
      // Ten events of 40 KiB each (a chat may carry 64 KiB of code): 400 KiB.
      const big = JSON.stringify({ responseType: "CHAT", pad: "x".repeat(40 * 1024) });
      const top = state.storage.sql.exec<{ seq: number }>("SELECT seq FROM room").one().seq;
      for (let i = 1; i <= 10; i++) state.storage.sql.exec("INSERT INTO events (seq, frame, created_at) VALUES (?, ?, 0)", top + i, big);
      state.storage.sql.exec("UPDATE room SET seq = ?", top + 10);
    });
    const late = await TestClient.open(roomId, "Late");
    late.send({ username: "Late", action: "JOIN", roomId, role: "Student", payload: { roomId, role: "Student", lastSeq: first.seq } });
    await late.next(); // JOIN
    expect(await late.next()).toMatchObject({ responseType: "HISTORY", payload: { reset: true } });
  });

  it("keeps only the newest 201 events in its log: older ones can never be replayed", async () => {
    const { roomId, ada } = await room();
    const stub = env.ROOM.getByName(roomId);
    await runInDurableObject(stub, (_r, state) => {
      const top = state.storage.sql.exec<{ seq: number }>("SELECT seq FROM room").one().seq;
      for (let seq = top + 1; seq <= top + 400; seq++) state.storage.sql.exec("INSERT INTO events (seq, frame, created_at) VALUES (?, '{}', 0)", seq);
      // The next event is the 50th sequence number: the log is cut back then.
      state.storage.sql.exec("UPDATE room SET seq = ?", Math.ceil((top + 401) / 50) * 50 - 1);
    });
    say(ada, roomId, "the cut");
    const cut = (await nextEvent(ada)) as Chat;
    expect(cut.seq % 50).toBe(0);
    const kept = await runInDurableObject(stub, (_r, state) =>
      state.storage.sql.exec<{ n: number; low: number }>("SELECT COUNT(*) AS n, MIN(seq) AS low FROM events").one(),
    );
    expect(kept.n).toBe(201);
    // A client whose lastSeq is older than the oldest kept event finds more than a replay's worth after it: snapshots, never a gap.
    const late = await TestClient.open(roomId, "Late");
    late.send({ username: "Late", action: "JOIN", roomId, role: "Student", payload: { roomId, role: "Student", lastSeq: kept.low - 2 } });
    await late.next(); // JOIN
    expect(await late.next()).toMatchObject({ responseType: "HISTORY", payload: { reset: true } });
  });
});
