/**
 * Every ERROR names the request it answers: its action, and its clientId
 * when it had one. One row per action of the protocol, refused once by the
 * gate (before JOIN) and once by its own rules (after JOIN, as a student).
 */
import { describe, expect, it } from "vitest";
import { ACTION_NAMES, type Action, type ErrorCode } from "../../protocol";
import { TestClient, createRoom } from "../helpers/client";

/** A well-formed payload for each action (JOIN and LEAVE get theirs from the room id). */
const VALID: Record<Exclude<Action, "JOIN" | "LEAVE">, object> = {
  RUN: { code: "1 + 1" },
  SHARE: { shared_code: "x()" },
  CHAT: { clientId: "c-00000001", text: "hi" },
  CHAT_EDIT: { id: 1, text: "edited" },
  CHAT_DELETE: { id: 1 },
  MUTE: { username: "Linus", muted: true },
  HISTORY: {},
  ASK: { clientId: "q-00000001", text: "Why?" },
  VOTE: { id: 1, up: true },
  ANSWER: { id: 1, answer: "Because." },
  QUESTION_DELETE: { id: 1 },
  HAND_RAISE: { clientId: "h-00000001" },
  HAND_WITHDRAW: { id: 1 },
  HAND_CLAIM: { id: 1 },
  HAND_RESOLVE: { id: 1 },
  BOARD: {},
  DOC_SUBSCRIBE: { docs: ["teacher"] },
  DOC_PUSH: { doc: "student:Ada", version: 0, updates: [{ clientID: "ada-tab", changes: [5] }] },
  DOC_PULL: { doc: "teacher", version: 0 },
  DOC_MODE: { locked: true },
  DOC_HISTORY: { doc: "teacher" },
  DOC_CURSOR: { doc: "teacher", version: 0, selection: null },
  LIVE_START: {},
  LIVE_STOP: {},
  LIVE_SIGNAL: { to: "abcdefgh", kind: "hello" },
};

const payloadOf = (action: Action, roomId: string): object =>
  action === "JOIN" || action === "LEAVE" ? { roomId, role: "Student" } : VALID[action];
const clientIdOf = (payload: object) => ("clientId" in payload ? { clientId: payload.clientId } : {});

interface Refusal {
  /** The frame's envelope and payload; the action comes from the row. */
  frame?: (roomId: string) => { role?: string; payload: object };
  code: ErrorCode;
  error_message: string | ReturnType<typeof expect.stringContaining>;
}

/** After JOIN as Student "Ada": a request of each action that its own rules (or its schema) refuse. */
const REFUSED: Record<Action, Refusal> = {
  JOIN: { code: "ALREADY_JOINED", error_message: 'You have already joined as Student "Ada"; send LEAVE first.' },
  LEAVE: { frame: (roomId) => ({ payload: { roomId, role: "Teacher" } }), code: "FORBIDDEN", error_message: "You are in this room as Student, not Teacher." },
  RUN: { frame: () => ({ payload: { code: "1", language: "cobol" } }), code: "INVALID_MESSAGE", error_message: expect.stringContaining("payload.language") },
  SHARE: { frame: () => ({ role: "Teacher", payload: { shared_code: "x" } }), code: "FORBIDDEN", error_message: "You are in this room as Student, not Teacher." },
  CHAT: { frame: () => ({ payload: { clientId: "c-00000002", text: " " } }), code: "INVALID_MESSAGE", error_message: "payload.text: must not be empty" },
  CHAT_EDIT: { code: "NOT_FOUND", error_message: "There is no message 1." },
  CHAT_DELETE: { code: "NOT_FOUND", error_message: "There is no message 1." },
  MUTE: { code: "FORBIDDEN", error_message: "Only teachers can mute participants." },
  HISTORY: { frame: () => ({ payload: { limit: 0 } }), code: "INVALID_MESSAGE", error_message: expect.stringContaining("payload.limit") },
  ASK: { frame: () => ({ payload: { clientId: "q-00000002", text: "" } }), code: "INVALID_MESSAGE", error_message: "payload.text: must not be empty" },
  VOTE: { code: "NOT_FOUND", error_message: "There is no question 1." },
  ANSWER: { code: "FORBIDDEN", error_message: "Only teachers can answer questions." },
  QUESTION_DELETE: { code: "NOT_FOUND", error_message: "There is no question 1." },
  HAND_RAISE: { frame: () => ({ payload: { clientId: "h-00000002", line: 0 } }), code: "INVALID_MESSAGE", error_message: expect.stringContaining("payload.line") },
  HAND_WITHDRAW: { code: "NOT_FOUND", error_message: "There is no open request 1." },
  HAND_CLAIM: { code: "NOT_FOUND", error_message: "There is no open request 1." },
  HAND_RESOLVE: { code: "NOT_FOUND", error_message: "There is no open request 1." },
  BOARD: { frame: () => ({ payload: { all: true } }), code: "INVALID_MESSAGE", error_message: expect.stringContaining("all") },
  DOC_SUBSCRIBE: { code: "FORBIDDEN", error_message: "You can only open your own editor (student:Ada)." },
  DOC_PUSH: { code: "INVALID_MESSAGE", error_message: "payload.updates: a change for a document of 5 characters, but it has 0." },
  DOC_PULL: { code: "FORBIDDEN", error_message: "You can only open your own editor (student:Ada)." },
  DOC_MODE: { code: "FORBIDDEN", error_message: "Only teachers can lock editors or start follow mode." },
  DOC_HISTORY: { code: "FORBIDDEN", error_message: "You can only open your own editor (student:Ada)." },
  DOC_CURSOR: { code: "FORBIDDEN", error_message: "You can only open your own editor (student:Ada)." },
  LIVE_START: { code: "FORBIDDEN", error_message: "Only teachers go live." },
  LIVE_STOP: { code: "FORBIDDEN", error_message: "Only teachers end a broadcast." },
  LIVE_SIGNAL: { code: "NOT_FOUND", error_message: "No one is live in this room." },
};

describe("ERROR names the action it answers", () => {
  it("has a row for every action of the protocol", () => {
    expect(Object.keys(REFUSED).sort()).toEqual([...ACTION_NAMES].sort());
  });

  it.each(ACTION_NAMES.filter((a) => a !== "JOIN"))("%s before JOIN: NOT_JOINED, with the action", async (action) => {
    const { roomId } = await createRoom();
    const client = await TestClient.open(roomId, "Ada");
    const payload = payloadOf(action, roomId);
    client.send({ username: "Ada", action, roomId, payload } as never);
    expect(await client.next()).toEqual({
      responseType: "ERROR",
      payload: { action, ...clientIdOf(payload), code: "NOT_JOINED", error_message: `Send JOIN before ${action}.` },
    });
  });

  it.each(ACTION_NAMES)("%s refused after JOIN, with the action and any clientId", async (action) => {
    const { roomId } = await createRoom();
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    const row = REFUSED[action];
    const { role, payload } = row.frame?.(roomId) ?? { payload: payloadOf(action, roomId) };
    ada.send({ username: "Ada", action, roomId, ...(role ? { role } : {}), payload } as never);
    expect(await ada.next()).toEqual({
      responseType: "ERROR",
      payload: { action, ...clientIdOf(payload), code: row.code, error_message: row.error_message },
    });
    // Refused means nothing changed: the connection still works and is still joined.
    ada.send({ username: "Ada", action: "SHARE", roomId, payload: { shared_code: "still here" } });
    expect(await ada.next()).toMatchObject({ responseType: "SHARE", payload: { from: "Ada" } });
  });

  it("a refusal by the rate limit names the action and clientId too", async () => {
    const { roomId } = await createRoom();
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    for (let i = 0; i < 10; i++) ada.send({ username: "Ada", action: "VOTE", roomId, payload: { id: 1, up: true } });
    for (let i = 0; i < 10; i++) expect(await ada.next()).toMatchObject({ payload: { action: "VOTE", code: "NOT_FOUND" } });
    ada.send({ username: "Ada", action: "ASK", roomId, payload: { clientId: "q-00000009", text: "Too fast?" } });
    expect(await ada.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "ASK", clientId: "q-00000009", code: "RATE_LIMITED", error_message: "Slow down: at most 10 messages at once, then 1 per second." },
    });
  });
});
