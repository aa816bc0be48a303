import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../../protocol";
import { TestClient, createRoom } from "../helpers/client";

async function room() {
  const { roomId, teacherToken } = await createRoom();
  const grace = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
  const ada = await TestClient.joined(roomId, "Ada", "Student");
  const linus = await TestClient.joined(roomId, "Linus", "Student");
  await Promise.all([grace.drain(50), ada.drain(50)]);
  return { roomId, teacherToken, grace, ada, linus };
}

const act = (c: TestClient, roomId: string, action: string, payload: object) =>
  c.send(JSON.stringify({ username: c.account.user.name, action, roomId, payload }));

type Question = Extract<ServerMessage, { responseType: "QUESTION" }>;
type Hand = Extract<ServerMessage, { responseType: "HAND" }>;

describe("questions", () => {
  it("an anonymous question reaches classmates without its author, and staff with it", async () => {
    const { roomId, grace, ada, linus } = await room();
    act(ada, roomId, "ASK", { clientId: "q-00000001", text: "What is a closure?", anonymous: true });
    const question = {
      id: 1,
      clientId: "q-00000001",
      text: "What is a closure?",
      anonymous: true,
      votes: 0,
      askedAt: expect.any(Number),
      answeredAt: null,
      answeredBy: null,
      answer: null,
    };
    expect(await linus.next()).toEqual({ responseType: "QUESTION", payload: { question: { ...question, author: null } }, seq: 4 });
    expect(await ada.next()).toEqual({ responseType: "QUESTION", payload: { question: { ...question, author: null } }, seq: 4 });
    expect(await grace.next()).toEqual({ responseType: "QUESTION", payload: { question: { ...question, author: "Ada" } }, seq: 4 });
  });

  it("never puts the anonymous author in any frame a classmate receives: live, board, or replay", async () => {
    const { roomId, grace, ada, linus } = await room();
    act(ada, roomId, "ASK", { clientId: "q-00000002", text: "secret asker", anonymous: true });
    await grace.next();
    act(linus, roomId, "VOTE", { id: 1, up: true });
    act(grace, roomId, "ANSWER", { id: 1, answer: "Pinned answer" });
    const live = [await linus.next(), await linus.next(), await linus.next()];
    act(linus, roomId, "BOARD", {});
    const board = await linus.next();
    const late = await TestClient.open(roomId, "Barbara");
    late.send({ username: "Barbara", action: "JOIN", roomId, role: "Student", payload: { roomId, role: "Student", lastSeq: 0 } });
    const replay = [await late.next(), await late.next(), await late.next(), await late.next()];
    expect(replay[0]).toMatchObject({ responseType: "JOIN" }); // the roster (which names who is present) is not the board
    for (const frame of [...live, board, ...replay.slice(1)]) {
      expect(["QUESTION", "BOARD"]).toContain(frame.responseType);
      expect(JSON.stringify(frame)).not.toContain("Ada");
    }
    expect(board).toMatchObject({ responseType: "BOARD", payload: { questions: [{ author: null, votes: 1, answer: "Pinned answer" }] } });
  });

  it("counts an upvote once per person, not from the asker, and staff mark it answered with a pinned answer", async () => {
    const { roomId, grace, ada, linus } = await room();
    act(ada, roomId, "ASK", { clientId: "q-00000003", text: "Why NaN?" });
    const asked = (await ada.next()) as Question;
    expect(asked.payload.question.author).toBe("Ada");
    await Promise.all([linus.next(), grace.next()]);

    act(ada, roomId, "VOTE", { id: 1, up: true });
    expect(await ada.next()).toEqual({ responseType: "ERROR", payload: { action: "VOTE", code: "FORBIDDEN", error_message: "You cannot vote for your own question." } });
    act(linus, roomId, "VOTE", { id: 1, up: true });
    act(linus, roomId, "VOTE", { id: 1, up: true }); // twice: no change, no event
    expect(await grace.next()).toMatchObject({ responseType: "QUESTION", payload: { question: { votes: 1 } } });
    act(grace, roomId, "VOTE", { id: 1, up: true });
    expect(await grace.next()).toMatchObject({ payload: { question: { votes: 2 } } });
    expect(await linus.drain()).toHaveLength(2); // the two vote events, nothing for the repeat

    await ada.drain(100);
    act(linus, roomId, "ANSWER", { id: 1 });
    expect(await linus.next()).toEqual({ responseType: "ERROR", payload: { action: "ANSWER", code: "FORBIDDEN", error_message: "Only teachers can answer questions." } });
    act(grace, roomId, "ANSWER", { id: 1, answer: "0/0 is NaN" });
    expect(await ada.next()).toMatchObject({
      payload: { question: { answeredBy: "Grace", answer: "0/0 is NaN", answeredAt: expect.any(Number) } },
    });
  });

  it("stores a retried question once", async () => {
    const { roomId, ada } = await room();
    act(ada, roomId, "ASK", { clientId: "q-00000004", text: "once" });
    const first = (await ada.next()) as Question;
    act(ada, roomId, "ASK", { clientId: "q-00000004", text: "once" });
    expect(await ada.next()).toEqual({ responseType: "ACK", payload: { clientId: "q-00000004", id: first.payload.question.id }, seq: first.seq });
    const count = await runInDurableObject(env.ROOM.getByName(roomId), (_r, s) => s.storage.sql.exec("SELECT COUNT(*) AS n FROM questions").one());
    expect(count).toEqual({ n: 1 });
  });
});

describe("help queue", () => {
  it("shows staff who raised a hand, with code and line, and classmates only that a hand is up", async () => {
    const { roomId, grace, ada, linus } = await room();
    act(ada, roomId, "HAND_RAISE", { clientId: "h-00000001", note: "stuck on line 3", code: "let x = ;", line: 3 });
    const base = { id: 1, clientId: "h-00000001", status: "waiting", raisedAt: expect.any(Number), claimedBy: null };
    expect(await grace.next()).toEqual({
      responseType: "HAND",
      payload: { hand: { ...base, student: "Ada", note: "stuck on line 3", code: "let x = ;", line: 3 } },
      seq: 4,
    });
    const forStudents = { responseType: "HAND", payload: { hand: { ...base, student: null, note: null, code: null, line: null } }, seq: 4 };
    expect(await linus.next()).toEqual(forStudents);
    expect(await ada.next()).toEqual(forStudents);
  });

  it("allows one open request per student; staff claim (others see who) and resolve; a student may withdraw", async () => {
    const { roomId, grace, ada, linus } = await room();
    act(ada, roomId, "HAND_RAISE", { clientId: "h-00000002" });
    await ada.next();
    act(ada, roomId, "HAND_RAISE", { clientId: "h-00000003" });
    expect(await ada.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "HAND_RAISE", clientId: "h-00000003", code: "HAND_OPEN", error_message: "Your hand is already up; withdraw it before raising it again." },
    });
    act(linus, roomId, "HAND_RAISE", { clientId: "h-00000004" });
    await Promise.all([grace.drain(100), ada.drain(100), linus.drain(100)]);

    act(ada, roomId, "HAND_CLAIM", { id: 1 });
    expect(await ada.next()).toMatchObject({ payload: { code: "FORBIDDEN", error_message: "Only teachers can claim or resolve requests." } });
    act(linus, roomId, "HAND_WITHDRAW", { id: 1 });
    expect(await linus.next()).toMatchObject({ payload: { code: "FORBIDDEN", error_message: "You can only withdraw your own request." } });

    act(grace, roomId, "HAND_CLAIM", { id: 1 });
    expect(await linus.next()).toMatchObject({ responseType: "HAND", payload: { hand: { id: 1, status: "claimed", claimedBy: "Grace", student: null } } });
    act(grace, roomId, "HAND_RESOLVE", { id: 1 });
    expect(((await ada.next()) as Hand).payload.hand.status).toBe("claimed");
    expect(((await ada.next()) as Hand).payload.hand.status).toBe("resolved");
    act(linus, roomId, "HAND_WITHDRAW", { id: 2 });
    expect(((await grace.next()) as Hand).payload.hand).toMatchObject({ id: 1, status: "claimed" });
    expect(((await grace.next()) as Hand).payload.hand).toMatchObject({ id: 1, status: "resolved" });
    expect(((await grace.next()) as Hand).payload.hand).toMatchObject({ id: 2, status: "withdrawn" });

    // Resolved: Ada may raise her hand again.
    await ada.drain(100);
    act(ada, roomId, "HAND_RAISE", { clientId: "h-00000005" });
    expect(await ada.next()).toMatchObject({ responseType: "HAND", payload: { hand: { id: 3, status: "waiting" } } });
    await grace.drain(100);
    act(grace, roomId, "BOARD", {});
    const board = await grace.next();
    expect(board).toMatchObject({ responseType: "BOARD", payload: { hands: [{ id: 3, student: "Ada" }] } });
  });

  it("refuses a teacher raising a hand, and unknown requests", async () => {
    const { roomId, grace } = await room();
    act(grace, roomId, "HAND_RAISE", { clientId: "h-00000006" });
    expect(await grace.next()).toMatchObject({ payload: { code: "FORBIDDEN", error_message: "Only students raise hands." } });
    act(grace, roomId, "HAND_RESOLVE", { id: 42 });
    expect(await grace.next()).toMatchObject({ payload: { code: "NOT_FOUND", error_message: "There is no open request 42." } });
  });

  it("replays to staff the staff frame and to students the student frame", async () => {
    const { roomId, teacherToken, grace, ada, linus } = await room();
    act(ada, roomId, "ASK", { clientId: "q-00000009", text: "warm-up" });
    const seen = ((await grace.next()) as Question).seq;
    await linus.next();
    grace.close();
    linus.close();
    act(ada, roomId, "HAND_RAISE", { clientId: "h-00000007", code: "oops()" });
    await ada.drain(100);

    const staff = await TestClient.open(roomId, grace.account);
    staff.send({ username: "Grace", action: "JOIN", roomId, role: "Teacher", payload: { roomId, role: "Teacher", token: teacherToken, lastSeq: seen } });
    await staff.next(); // JOIN
    expect(await staff.next()).toMatchObject({ responseType: "HAND", payload: { hand: { student: "Ada", code: "oops()" } } });

    const student = await TestClient.open(roomId, linus.account);
    student.send({ username: "Linus", action: "JOIN", roomId, role: "Student", payload: { roomId, role: "Student", lastSeq: seen } });
    await student.next(); // JOIN
    expect(await student.next()).toMatchObject({ responseType: "HAND", payload: { hand: { student: null, code: null } } });
  });
});

describe("what is mine, on another device", () => {
  it("BOARD names the recipient's own questions and hand, anonymous ones included, and nobody else's", async () => {
    const { roomId, ada, linus } = await room();
    act(ada, roomId, "ASK", { clientId: "q-mine-anon-1", text: "Is this silly?", anonymous: true });
    act(ada, roomId, "HAND_RAISE", { clientId: "h-mine-0001" });
    await linus.drain(200);
    // Ada opens the room on another device: her new socket takes over her seat.
    const laptop = await TestClient.joined(roomId, ada.account, "Student");
    await Promise.all([laptop.drain(50), linus.drain(100)]);
    act(laptop, roomId, "BOARD", {});
    expect(await laptop.next()).toMatchObject({ responseType: "BOARD", payload: { mine: ["q-mine-anon-1", "h-mine-0001"] } });
    act(linus, roomId, "BOARD", {});
    expect(await linus.next()).toMatchObject({ responseType: "BOARD", payload: { mine: [], questions: [{ author: null }] } });
  });
});
