/**
 * Moderation holds whatever way a student turns: a muted student reaches the
 * class neither by a question (anonymous or not) nor by editing an old
 * message; staff remove questions; MUTE names one account, never a namesake;
 * the board comes in pages.
 */
import { describe, expect, it } from "vitest";
import { BOARD_LIMITS } from "../../protocol";
import { TestClient, roomOfThree } from "../helpers/client";

const room = roomOfThree;

const act = (c: TestClient, roomId: string, action: string, payload: object) =>
  c.send(JSON.stringify({ username: c.account.user.name, action, roomId, payload }));

async function board(c: TestClient, roomId: string, before?: number) {
  act(c, roomId, "BOARD", before === undefined ? {} : { before });
  return (await c.nextOf("BOARD")).payload;
}

describe("a muted student", () => {
  it("cannot post a question to the class, anonymous or not, and the board is unchanged", async () => {
    const { roomId, grace, ada, linus } = await room();
    act(grace, roomId, "MUTE", { username: "Ada", muted: true });
    await Promise.all([ada.nextOf("MUTED"), grace.nextOf("MUTED"), linus.nextOf("MUTED")]);
    for (const anonymous of [true, false]) {
      act(ada, roomId, "ASK", { clientId: `q-muted-${anonymous}`, text: "Buy my course at example.com", anonymous });
      expect(await ada.next()).toEqual({
        responseType: "ERROR",
        payload: {
          action: "ASK",
          clientId: `q-muted-${anonymous}`,
          code: "MUTED",
          error_message: "A teacher has muted you in this room: you cannot post questions to the class.",
        },
      });
    }
    expect((await board(linus, roomId)).questions).toEqual([]);
    expect(await grace.drain(100)).toEqual([]);
  });

  it("cannot edit an earlier message into something new", async () => {
    const { roomId, grace, ada } = await room();
    act(ada, roomId, "CHAT", { clientId: "c-before-mute", text: "hello" });
    const sent = await ada.nextOf("CHAT");
    act(grace, roomId, "MUTE", { username: "Ada", muted: true });
    await ada.nextOf("MUTED");
    act(ada, roomId, "CHAT_EDIT", { id: sent.payload.message.id, text: "something else" });
    expect(await ada.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "CHAT_EDIT", code: "MUTED", error_message: "A teacher has muted you in this chat." },
    });
  });
});

describe("removing questions", () => {
  it("staff remove any question: everyone is told, it leaves the board, and nobody can vote on it", async () => {
    const { roomId, grace, ada, linus } = await room();
    act(ada, roomId, "ASK", { clientId: "q-spam-0001", text: "spam", anonymous: true });
    const asked = await linus.nextOf("QUESTION");
    const id = asked.payload.question.id;
    await Promise.all([grace.drain(50), ada.drain(50)]);

    act(linus, roomId, "QUESTION_DELETE", { id });
    expect(await linus.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "QUESTION_DELETE", code: "FORBIDDEN", error_message: "Only teachers can remove other people's questions." },
    });
    act(grace, roomId, "QUESTION_DELETE", { id });
    const removed = { responseType: "QUESTION_DELETED", payload: { id, by: "Grace" }, seq: asked.seq + 1 };
    expect(await ada.next()).toEqual(removed);
    expect(await linus.next()).toEqual(removed);
    expect(await grace.next()).toEqual(removed);
    expect((await board(linus, roomId)).questions).toEqual([]);
    act(linus, roomId, "VOTE", { id, up: true });
    expect(await linus.next()).toMatchObject({ responseType: "ERROR", payload: { code: "NOT_FOUND" } });
    // Its author's retry of the same ASK is still recognised, not asked again.
    act(ada, roomId, "ASK", { clientId: "q-spam-0001", text: "spam", anonymous: true });
    expect(await ada.next()).toEqual({ responseType: "ACK", payload: { clientId: "q-spam-0001", id }, seq: asked.seq });
  });

  it("an author removes their own question", async () => {
    const { roomId, ada, linus } = await room();
    act(ada, roomId, "ASK", { clientId: "q-mine-0001", text: "never mind" });
    const { payload } = await ada.nextOf("QUESTION");
    act(ada, roomId, "QUESTION_DELETE", { id: payload.question.id });
    expect(await linus.nextOf("QUESTION_DELETED")).toMatchObject({ payload: { id: payload.question.id, by: "Ada" } });
  });
});

describe("MUTE names one account", () => {
  it("mutes the student the teacher picked, not another account with the same display name", async () => {
    const { roomId, grace, ada } = await room();
    const twin = await TestClient.joined(roomId, "Ada", "Student");
    expect(twin.joinAnswer).toMatchObject({ payload: { you: "Ada (2)" } });
    await Promise.all([grace.drain(50), ada.drain(50)]);

    act(grace, roomId, "MUTE", { username: "Ada (2)", muted: true });
    expect(await twin.nextOf("MUTED")).toMatchObject({ payload: { username: "Ada (2)", muted: true } });
    act(twin, roomId, "CHAT", { clientId: "c-twin-0001", text: "hi" });
    expect(await twin.nextOf("ERROR")).toMatchObject({ payload: { code: "MUTED" } });
    act(ada, roomId, "CHAT", { clientId: "c-ada-00001", text: "still here" });
    expect(await ada.nextOf("CHAT")).toMatchObject({ payload: { message: { author: "Ada", text: "still here" } } });
  });
});

describe("the board in pages", () => {
  it(`answers BOARD with the newest ${BOARD_LIMITS.boardPage} questions, and older ones with before`, async () => {
    const { roomId, grace } = await room();
    // 105 questions from 11 students, ten each (their burst), so no limit is hit.
    const students = await Promise.all(Array.from({ length: 11 }, (_, i) => TestClient.joined(roomId, `S${i}`, "Student")));
    let n = 0;
    for (const s of students) for (let k = 0; k < 10 && n < 105; k++, n++) act(s, roomId, "ASK", { clientId: `q-page-${String(n).padStart(4, "0")}`, text: `question ${n}` });
    for (let i = 0; i < 105; i++) await grace.nextOf("QUESTION");

    const first = await board(grace, roomId);
    expect(first.questions).toHaveLength(BOARD_LIMITS.boardPage);
    expect(first.hasMore).toBe(true);
    const ids = first.questions.map((q) => q.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const older = await board(grace, roomId, ids[0]);
    expect(older).toMatchObject({ hasMore: false, hands: [], before: ids[0] });
    expect(older.questions).toHaveLength(5);
    expect(new Set([...older.questions.map((q) => q.id), ...ids]).size).toBe(105);
  });
});
