import { describe, expect, it } from "vitest";
import { LIMITS } from "../../protocol";
import { TestClient, createRoom } from "../helpers/client";

async function joinedPair() {
  const { roomId, teacherToken } = await createRoom();
  const teacher = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
  const ada = await TestClient.joined(roomId, "Ada", "Student");
  await teacher.next(); // Ada's join
  return { roomId, teacher, ada };
}

describe("ERROR answers", () => {
  it.each([
    ["a frame that is not JSON", "{nope", "BAD_JSON", "Frame is not valid JSON.", {}],
    ["a JSON value that is not an object", "[1,2]", "INVALID_MESSAGE", "Frame must be a JSON object.", {}],
    [
      "an unknown action",
      JSON.stringify({ username: "Ada", action: "DANCE", payload: {} }),
      "UNKNOWN_ACTION",
      'Unknown action "DANCE"; expected one of JOIN, LEAVE, RUN, SHARE, CHAT, CHAT_EDIT, CHAT_DELETE, MUTE, HISTORY, ASK, VOTE, ANSWER, QUESTION_DELETE, HAND_RAISE, HAND_WITHDRAW, HAND_CLAIM, HAND_RESOLVE, BOARD, DOC_SUBSCRIBE, DOC_PUSH, DOC_PULL, DOC_MODE, DOC_HISTORY, DOC_CURSOR, LIVE_START, LIVE_STOP, LIVE_SIGNAL.',
      {},
    ],
    [
      "an unknown action in markup (never repeated back)",
      JSON.stringify({ username: "Ada", action: "<script>alert(1)</script>", payload: {} }),
      "UNKNOWN_ACTION",
      "Unknown action (not shown); expected one of JOIN, LEAVE, RUN, SHARE, CHAT, CHAT_EDIT, CHAT_DELETE, MUTE, HISTORY, ASK, VOTE, ANSWER, QUESTION_DELETE, HAND_RAISE, HAND_WITHDRAW, HAND_CLAIM, HAND_RESOLVE, BOARD, DOC_SUBSCRIBE, DOC_PUSH, DOC_PULL, DOC_MODE, DOC_HISTORY, DOC_CURSOR, LIVE_START, LIVE_STOP, LIVE_SIGNAL.",
      {},
    ],
    [
      "thousands of unknown keys in markup (named only when plain, at most three)",
      JSON.stringify({ username: "Ada", action: "SHARE", payload: { shared_code: "", extra: 1, ...Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`<img src=x onerror=alert(${i})>`, 1])) } }),
      "INVALID_MESSAGE",
      'payload: has fields it does not take: "extra", (not shown), (not shown)',
      { action: "SHARE" },
    ],
    [
      "a frame with no action",
      JSON.stringify({ username: "Ada", payload: {} }),
      "UNKNOWN_ACTION",
      "Unknown action null; expected one of JOIN, LEAVE, RUN, SHARE, CHAT, CHAT_EDIT, CHAT_DELETE, MUTE, HISTORY, ASK, VOTE, ANSWER, QUESTION_DELETE, HAND_RAISE, HAND_WITHDRAW, HAND_CLAIM, HAND_RESOLVE, BOARD, DOC_SUBSCRIBE, DOC_PUSH, DOC_PULL, DOC_MODE, DOC_HISTORY, DOC_CURSOR, LIVE_START, LIVE_STOP, LIVE_SIGNAL.",
      {},
    ],
    [
      "a missing payload",
      JSON.stringify({ username: "Ada", action: "SHARE" }),
      "INVALID_MESSAGE",
      expect.stringContaining("payload"),
      { action: "SHARE" },
    ],
    [
      "a field of the wrong type",
      JSON.stringify({ username: "Ada", action: "RUN", payload: { code: 42 } }),
      "INVALID_MESSAGE",
      expect.stringContaining("payload.code"),
      { action: "RUN" },
    ],
    [
      "an unknown payload field",
      JSON.stringify({ username: "Ada", action: "SHARE", payload: { shared_code: "", extra: 1 } }),
      "INVALID_MESSAGE",
      expect.stringContaining("extra"),
      { action: "SHARE" },
    ],
    [
      "an empty username",
      JSON.stringify({ username: " ", action: "SHARE", payload: { shared_code: "" } }),
      "INVALID_MESSAGE",
      "username: must not be empty",
      { action: "SHARE" },
    ],
    [
      "a role outside the protocol",
      JSON.stringify({ username: "Ada", action: "JOIN", payload: { roomId: "abcdefgh", role: "Admin" } }),
      "INVALID_MESSAGE",
      expect.stringContaining("payload.role"),
      { action: "JOIN" },
    ],
    [
      "a chat with text too long (its clientId is echoed)",
      JSON.stringify({ username: "Ada", action: "CHAT", payload: { clientId: "outbox-0001", text: "x".repeat(5000) } }),
      "INVALID_MESSAGE",
      "payload.text: must be at most 4000 characters",
      { action: "CHAT", clientId: "outbox-0001" },
    ],
    [
      "a malformed clientId (never echoed)",
      JSON.stringify({ username: "Ada", action: "CHAT", payload: { clientId: "<b>x</b>", text: "hi" } }),
      "INVALID_MESSAGE",
      expect.stringContaining("payload.clientId"),
      { action: "CHAT" },
    ],
  ])("answers %s, and the connection stays usable", async (_name, frame, code, error_message, context) => {
    const { roomId } = await createRoom();
    const client = await TestClient.open(roomId, "Ada");
    client.send(frame);
    expect(await client.next()).toEqual({ responseType: "ERROR", payload: { code, error_message, ...context } });
    client.send({ username: "Ada", action: "JOIN", roomId, role: "Student", payload: { roomId, role: "Student" } });
    expect(await client.next()).toMatchObject({ responseType: "JOIN", payload: { role: "Student" } });
  });

  it("refuses binary frames", async () => {
    const { roomId } = await createRoom();
    const client = await TestClient.open(roomId, "Ada");
    client.send(new TextEncoder().encode("{}").buffer as ArrayBuffer);
    expect(await client.next()).toEqual({
      responseType: "ERROR",
      payload: { code: "INVALID_MESSAGE", error_message: "Binary frames are not accepted; send JSON text." },
    });
  });

  it.each([
    ["RUN", { code: "1" }],
    ["SHARE", { shared_code: "x" }],
  ] as const)("refuses %s before JOIN", async (action, payload) => {
    const { roomId } = await createRoom();
    const client = await TestClient.open(roomId, "Ada");
    client.send(JSON.stringify({ username: "Ada", action, roomId, role: "Student", payload }));
    expect(await client.next()).toEqual({
      responseType: "ERROR",
      payload: { action, code: "NOT_JOINED", error_message: `Send JOIN before ${action}.` },
    });
  });

  it("refuses a frame that speaks for someone else", async () => {
    const { ada, teacher, roomId } = await joinedPair();
    ada.send({ username: "Grace", action: "SHARE", roomId, role: "Teacher", payload: { shared_code: "evil()" } });
    expect(await ada.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "SHARE", code: "FORBIDDEN", error_message: 'This connection belongs to "Ada", not "Grace".' },
    });
    ada.send({ username: "Ada", action: "SHARE", roomId, role: "Teacher", payload: { shared_code: "evil()" } });
    expect(await ada.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "SHARE", code: "FORBIDDEN", error_message: "You are in this room as Student, not Teacher." },
    });
    expect(await teacher.drain()).toEqual([]);
  });
});

describe("frame size", () => {
  it("accepts 256 KiB of code", async () => {
    const { ada, teacher, roomId } = await joinedPair();
    const code = `// ${"x".repeat(256 * 1024)}`;
    ada.send({ username: "Ada", action: "SHARE", roomId, role: "Student", payload: { shared_code: code } });
    const received = await teacher.next();
    expect(received.responseType === "SHARE" && received.payload.shared_code).toBe(code);
  });

  it("refuses a 4 MiB frame and relays nothing", async () => {
    const { ada, teacher, roomId } = await joinedPair();
    const code = "x".repeat(4 * 1024 * 1024);
    ada.send(JSON.stringify({ username: "Ada", action: "SHARE", roomId, role: "Student", payload: { shared_code: code } }));
    // Either the room answers ERROR, or the runtime closes the socket (1009): never a relay.
    const outcome = await ada.next().catch(() => ada.closed);
    if (outcome && "responseType" in outcome) {
      expect(outcome).toEqual({
        responseType: "ERROR",
        payload: { action: "SHARE", code: "FRAME_TOO_LARGE", error_message: `Frame is larger than ${LIMITS.maxFrameBytes} bytes.` },
      });
    } else {
      expect(outcome?.code).toBe(1009);
    }
    const seen = await teacher.drain(300);
    expect(seen.filter((m) => m.responseType === "SHARE")).toEqual([]);
  });

  it("refuses code over the cap inside a frame under the frame cap", async () => {
    const { ada, teacher, roomId } = await joinedPair();
    const code = "x".repeat(LIMITS.maxCodeChars + 1);
    ada.send({ username: "Ada", action: "SHARE", roomId, role: "Student", payload: { shared_code: code } });
    expect(await ada.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "SHARE", code: "INVALID_MESSAGE", error_message: `payload.shared_code: must be at most ${LIMITS.maxCodeChars} characters` },
    });
    expect(await teacher.drain()).toEqual([]);
  });
});
