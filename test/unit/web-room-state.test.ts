import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../../protocol";
import { EMPTY_ROOM, nextRoomState, studentsHere, type RoomState } from "../../web/src/room/roster";
import { ERROR_TARGET, ErrorRouter, errorTarget } from "../../web/src/lib/errors";

const view = (students: number, teachers = 1, teacher: string | null = "Grace") => ({ id: "r1", teacher, students, teachers });
const joined = (roster: { username: string; role: "Student" | "Teacher" }[], sharedCode = ""): ServerMessage => ({
  responseType: "JOIN",
  room: { ...view(roster.filter((e) => e.role === "Student").length), sharedCode },
  payload: { role: "Student", roster },
});
const came = (username: string, students: number, role: "Student" | "Teacher" = "Student"): ServerMessage => ({
  responseType: "JOIN", room: view(students), payload: { role, username },
});
const left = (username: string, students: number, role: "Student" | "Teacher" = "Student"): ServerMessage => ({
  responseType: "LEAVE", room: view(students), payload: { role, username },
});
const play = (...frames: ServerMessage[]) => frames.reduce<RoomState>(nextRoomState, EMPTY_ROOM);

describe("room state", () => {
  it("takes the whole roster and the teacher's code from the JOIN answer", () => {
    const s = play(joined([{ username: "Grace", role: "Teacher" }, { username: "Ada", role: "Student" }], "x = 1"));
    expect(s.roster.map((e) => e.username)).toEqual(["Grace", "Ada"]);
    expect(s.sharedCode).toBe("x = 1");
    expect(s.students).toBe(1);
    expect(studentsHere(s)).toEqual(["Ada"]);
  });
  it("adds and removes one person per notice, and a replaced connection stays one entry, moved last", () => {
    const s = play(joined([{ username: "Grace", role: "Teacher" }]), came("Ada", 1), came("Linus", 2), came("Ada", 2), left("Linus", 1));
    expect(s.roster).toEqual([{ username: "Grace", role: "Teacher" }, { username: "Ada", role: "Student" }]);
    expect(s.students).toBe(1);
  });
  it("keys people by name and role: a teacher and a student may share a name", () => {
    const s = play(joined([]), came("Sam", 0, "Teacher"), came("Sam", 1), left("Sam", 0));
    expect(s.roster).toEqual([{ username: "Sam", role: "Teacher" }]);
  });
  it("a new JOIN answer replaces a roster that missed deltas", () => {
    const s = play(joined([{ username: "Ada", role: "Student" }]), joined([{ username: "Linus", role: "Student" }]));
    expect(studentsHere(s)).toEqual(["Linus"]);
  });
  it("keeps the teacher's shares, not the students'", () => {
    const share = (role: "Student" | "Teacher", code: string): ServerMessage => ({
      responseType: "SHARE", room: view(1), payload: { shared_code: code, from: "x", role, sharedAt: 1 },
    });
    expect(play(joined([]), share("Teacher", "t"), share("Student", "s")).sharedCode).toBe("t");
  });
  it("returns the same state when a frame changes nothing", () => {
    const s = play(joined([{ username: "Ada", role: "Student" }]));
    expect(nextRoomState(s, { responseType: "RUN", room: view(1), payload: { codeOutput: "", stdout: "", stderr: "", result: null, error: null, truncated: false, timedOut: false, durationMs: 1 } })).toBe(s);
    expect(nextRoomState(s, left("Nobody", 1))).toBe(s);
  });
});

describe("error routing", () => {
  it("sends each error to the panel of its action; unknown to the connection", () => {
    expect(errorTarget({ error_message: "m", code: "MUTED", action: "CHAT", clientId: "c-12345678" })).toBe("chat");
    expect(errorTarget({ error_message: "m", code: "RUN_BUSY", action: "RUN" })).toBe("run");
    expect(errorTarget({ error_message: "m", code: "BAD_JSON" })).toBe("connection");
    expect(errorTarget({ error_message: "m", code: "LOCKED", action: "DOC_PUSH" })).toBe("docs");
    expect(errorTarget({ error_message: "m", code: "FORBIDDEN", action: "LIVE_SIGNAL" })).toBe("live");
    expect(new Set(Object.values(ERROR_TARGET))).toEqual(new Set(["connection", "run", "share", "chat", "questions", "help", "docs", "live"]));
  });
  it("falls back when no panel is registered, and a released handler no longer receives", () => {
    const got: string[] = [];
    const router = new ErrorRouter((e) => got.push(`fallback:${e.action}`));
    const off = router.on("run", (e) => got.push(`run:${e.code}`));
    router.route({ error_message: "", code: "RUN_BUSY", action: "RUN" });
    router.route({ error_message: "", code: "MUTED", action: "CHAT" });
    off();
    router.route({ error_message: "", code: "RUN_BUSY", action: "RUN" });
    expect(got).toEqual(["run:RUN_BUSY", "fallback:CHAT", "fallback:RUN"]);
  });
});
