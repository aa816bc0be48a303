import { describe, expect, it } from "vitest";
import { ERROR_CODES, parseClientFrame } from "../../protocol";
import { ERROR_TEXT, errorText } from "../../web/src/lib/error-text";
import { plural } from "../../web/src/lib/plural";
import { RUNNER_NOT_RUNNING, RUNNER_UNREACHABLE } from "../../worker/lib/run-code";

/** Words of the protocol and the server's insides, which mean nothing to a student or a teacher. */
const INTERNAL = ["budget", "checks", "payload", "frame", "action", "null", "undefined"];
/** "DO" (a Durable Object) only in capitals: "do" is a plain word. */
const INTERNAL_CASED = [/\bDO\b/];

function plainSentence(text: string): void {
  expect(text, text).toMatch(/^[A-Z]/);
  expect(text, text).toMatch(/[.!?…]$/);
  for (const word of INTERNAL) expect(text.toLowerCase(), text).not.toMatch(new RegExp(`\\b${word}`));
  for (const word of INTERNAL_CASED) expect(text, text).not.toMatch(word);
}

describe("the words for refused requests", () => {
  it("gives every protocol error code a plain sentence", () => {
    expect(Object.keys(ERROR_TEXT).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) plainSentence(ERROR_TEXT[code]);
  });

  it("shows the table's sentence instead of the server's developer words, for every code", () => {
    for (const code of ERROR_CODES) {
      // A message as a protocol client would read it: what errorText must not pass on unless it is plain.
      const text = errorText({ code, error_message: "" });
      expect(text).toBe(ERROR_TEXT[code]);
      plainSentence(text);
    }
    expect(errorText({ code: "NOT_JOINED", error_message: "Send JOIN before CHAT." })).toBe(ERROR_TEXT.NOT_JOINED);
    expect(errorText({ code: "WRONG_ROOM", error_message: "This connection is for room a, not b." })).toBe(ERROR_TEXT.WRONG_ROOM);
    // Local development without the runner: the server's how-to is the message.
    expect(errorText({ code: "RUN_UNAVAILABLE", error_message: RUNNER_NOT_RUNNING })).toBe(RUNNER_NOT_RUNNING);
    expect(errorText({ code: "RUN_UNAVAILABLE", error_message: "" })).toBe(RUNNER_UNREACHABLE);
  });

  it("keeps the server's message where it is plain and more specific", () => {
    const muted = "A teacher has muted you in this room: you cannot post questions to the class.";
    expect(errorText({ code: "MUTED", error_message: muted })).toBe(muted);
    expect(errorText({ code: "ROLE_TAKEN", error_message: 'The Teacher role is taken by "Grace".' })).toBe('The Teacher role is taken by "Grace".');
  });

  it("names the field at fault in a refused message, without the envelope's path", () => {
    const frame = JSON.stringify({ username: "Ada", action: "CHAT", roomId: "Hq7mZ2bKxP", role: "Student", payload: { clientId: "c-12345678", text: "x".repeat(100_000) } });
    const verdict = parseClientFrame(frame);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    const text = errorText(verdict);
    expect(text).toMatch(/^That could not be sent: text must be at most [\d,]+ characters\.$/);
    plainSentence(text);
    // An envelope problem names no field a person filled in: the table's sentence.
    expect(errorText({ code: "INVALID_MESSAGE", error_message: "Frame must be a JSON object." })).toBe(ERROR_TEXT.INVALID_MESSAGE);
    // So does zod's own wording, which no person's input causes.
    expect(errorText({ code: "INVALID_MESSAGE", error_message: "payload.clientId: Invalid input: expected string, received undefined" })).toBe(ERROR_TEXT.INVALID_MESSAGE);
  });

  it("shows a closed room's times on the reader's clock, not as UTC stamps", () => {
    const text = errorText({ code: "ROOM_CLOSED", error_message: "This class room opens at 2026-09-14T07:50:00Z." });
    expect(text).toMatch(/^This class room opens at .+\.$/);
    expect(text).not.toContain("T07:50:00Z");
  });
});

describe("plural", () => {
  const student = { one: "student", other: "students" };

  it("agrees the noun with the count", () => {
    expect(plural(1, student)).toBe("1 student");
    expect(plural(0, student)).toBe("0 students");
    expect(plural(2, student)).toBe("2 students");
  });
});
