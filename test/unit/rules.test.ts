import { describe, expect, it } from "vitest";
import { parseClientFrame, type ClientMessage } from "../../protocol";
import { decideJoin, roomView, shareAudience, type Participant } from "../../worker/room/rules";

const join = (username: string, role: "Student" | "Teacher", extra: object = {}) =>
  ({ username, action: "JOIN", roomId: null, role: null, payload: { roomId: "room-0001", role, ...extra } }) as Extract<
    ClientMessage,
    { action: "JOIN" }
  >;
const facts = (others: Participant[] = [], over: object = {}) => ({
  socketRoomId: "room-0001",
  roomExists: true,
  tokenValid: false,
  others,
  self: null,
  now: 5,
  ...over,
});
const student = (username: string, clientId?: string): Participant => ({ username, role: "Student", joinedAt: 1, ...(clientId ? { clientId } : {}) });

describe("decideJoin", () => {
  it("admits a new student as themselves", () => {
    expect(decideJoin(join("Ada", "Student"), facts())).toEqual({
      ok: true,
      identity: { username: "Ada", role: "Student", joinedAt: 5 },
      replaces: null,
    });
  });

  it("checks the token before the role, and the role before names", () => {
    const teacher: Participant = { username: "Grace", role: "Teacher", joinedAt: 1 };
    expect(decideJoin(join("Alan", "Teacher"), facts([teacher]))).toMatchObject({ ok: false, code: "BAD_TOKEN" });
    expect(decideJoin(join("Alan", "Teacher"), facts([teacher], { tokenValid: true }))).toMatchObject({ ok: false, code: "ROLE_TAKEN" });
    expect(decideJoin(join("Grace", "Teacher"), facts([teacher], { tokenValid: true }))).toMatchObject({ ok: true, replaces: teacher });
  });

  it("lets a student replace only a socket with the same clientId", () => {
    const stale = student("Ada", "tab-aaaaaaaa");
    expect(decideJoin(join("Ada", "Student", { clientId: "tab-aaaaaaaa" }), facts([stale]))).toMatchObject({ ok: true, replaces: stale });
    expect(decideJoin(join("Ada", "Student", { clientId: "tab-bbbbbbbb" }), facts([stale]))).toMatchObject({ ok: false, code: "NAME_TAKEN" });
    expect(decideJoin(join("Ada", "Student"), facts([student("Ada")]))).toMatchObject({ ok: false, code: "NAME_TAKEN" });
  });

  it("refuses a room that does not exist before anything else about it", () => {
    expect(decideJoin(join("Ada", "Student"), facts([], { roomExists: false }))).toMatchObject({ code: "ROOM_NOT_FOUND" });
  });
});

describe("roomView and shareAudience", () => {
  it("lists students in join order and the teacher by name", () => {
    const present: Participant[] = [
      { username: "Zoe", role: "Student", joinedAt: 3 },
      { username: "Grace", role: "Teacher", joinedAt: 9 },
      { username: "Ada", role: "Student", joinedAt: 2 },
    ];
    expect(roomView("r", "code", present)).toEqual({ id: "r", teacher: "Grace", students: ["Ada", "Zoe"], sharedCode: "code" });
  });

  it("sends a student's share to the teacher and the teacher's to students", () => {
    expect(shareAudience("Student")).toBe("Teacher");
    expect(shareAudience("Teacher")).toBe("Student");
  });
});

describe("parseClientFrame", () => {
  it("fills the default language for RUN", () => {
    const parsed = parseClientFrame(JSON.stringify({ username: "Ada", action: "RUN", payload: { code: "1" } }));
    expect(parsed).toEqual({ ok: true, message: { username: "Ada", action: "RUN", payload: { code: "1", language: "javascript" } } });
  });

  it("refuses a frame over the byte cap before parsing it", () => {
    const parsed = parseClientFrame("é".repeat(600 * 1024)); // 1.2 MB of UTF-8, not JSON either
    expect(parsed).toMatchObject({ ok: false, code: "FRAME_TOO_LARGE" });
  });
});
