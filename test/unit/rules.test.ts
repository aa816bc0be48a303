import { describe, expect, it } from "vitest";
import { parseClientFrame, type ClientMessage } from "../../protocol";
import { decideJoin, shareAudience, type JoinFacts, type Participant } from "../../worker/room/rules";

type Join = Extract<ClientMessage, { action: "JOIN" }>;
const join = (username: string, role: "Student" | "Teacher"): Join => ({
  username,
  action: "JOIN",
  roomId: null,
  role: null,
  payload: { roomId: "room-0001", role },
});
const person = (userId: string, username: string, role: "Student" | "Teacher" = "Student"): Participant => ({ userId, username, role, joinedAt: 1 });
const facts = (over: Partial<JoinFacts> = {}): JoinFacts => ({
  socketRoomId: "room-0001",
  roomExists: true,
  kind: "adhoc",
  open: true,
  closedMessage: "closed",
  tokenValid: false,
  verified: { userId: "u-ada", name: "Ada", role: null },
  others: [],
  self: null,
  label: over.verified?.name ?? "Ada",
  now: 5,
  ...over,
});

describe("decideJoin", () => {
  it("admits a signed-in student under their own name", () => {
    expect(decideJoin(join("Ada", "Student"), facts())).toEqual({
      ok: true,
      identity: { userId: "u-ada", username: "Ada", role: "Student", joinedAt: 5 },
      replaces: [],
    });
  });

  it("refuses a name other than the verified one", () => {
    expect(decideJoin(join("Grace", "Student"), facts())).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("in an ad-hoc room, needs the token for Teacher and keeps one teacher", () => {
    const grace = person("u-grace", "Grace", "Teacher");
    const alan = { userId: "u-alan", name: "Alan", role: null };
    expect(decideJoin(join("Alan", "Teacher"), facts({ verified: alan, others: [grace] }))).toMatchObject({ code: "BAD_TOKEN" });
    expect(decideJoin(join("Alan", "Teacher"), facts({ verified: alan, others: [grace], tokenValid: true }))).toMatchObject({ code: "ROLE_TAKEN" });
    const again = { userId: "u-grace", name: "Grace", role: null };
    expect(decideJoin(join("Grace", "Teacher"), facts({ verified: again, others: [grace], tokenValid: true }))).toMatchObject({
      ok: true,
      replaces: [grace],
    });
  });

  it("in a class room, takes the role from enrolment and admits several staff", () => {
    const ta = person("u-ta", "Tess", "Teacher");
    const instructor = { userId: "u-grace", name: "Grace", role: "Teacher" as const };
    expect(decideJoin(join("Grace", "Teacher"), facts({ kind: "class", verified: instructor, others: [ta] }))).toMatchObject({ ok: true });
    const student = { userId: "u-ada", name: "Ada", role: "Student" as const };
    expect(decideJoin(join("Ada", "Teacher"), facts({ kind: "class", verified: student }))).toEqual({
      ok: false,
      code: "FORBIDDEN",
      error_message: "In this class you join as Student.",
    });
  });

  it("keeps students out of a closed room, but not staff", () => {
    const closed = { kind: "class" as const, open: false, closedMessage: "This class room opens at 10:00." };
    expect(decideJoin(join("Ada", "Student"), facts({ ...closed, verified: { userId: "u", name: "Ada", role: "Student" } }))).toEqual({
      ok: false,
      code: "ROOM_CLOSED",
      error_message: "This class room opens at 10:00.",
    });
    expect(decideJoin(join("Grace", "Teacher"), facts({ ...closed, verified: { userId: "g", name: "Grace", role: "Teacher" } }))).toMatchObject({
      ok: true,
    });
  });

  it("admits a second person with a name already in the room, under the name the room gives their account", () => {
    expect(decideJoin(join("Ada", "Student"), facts({ others: [person("u-other", "Ada")], label: "Ada (2)" }))).toEqual({
      ok: true,
      identity: { userId: "u-ada", username: "Ada (2)", role: "Student", joinedAt: 5 },
      replaces: [],
    });
  });

  it("lets a teacher in even when a student has taken the same display name", () => {
    const teacher = { userId: "u-grace", name: "Grace", role: "Teacher" as const };
    const impostor = person("u-student", "Grace", "Student");
    expect(decideJoin(join("Grace", "Teacher"), facts({ kind: "class", verified: teacher, others: [impostor] }))).toMatchObject({ ok: true });
  });

  it("refuses a room that does not exist before anything else about it", () => {
    expect(decideJoin(join("Ada", "Student"), facts({ roomExists: false }))).toMatchObject({ code: "ROOM_NOT_FOUND" });
  });
});

describe("shareAudience", () => {
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

  it("refuses text with an unpaired surrogate, which storage would turn into replacement characters", () => {
    const chat = (text: string) => `{"username":"Ada","action":"CHAT","payload":{"clientId":"c-00000001","text":${text}}}`;
    expect(parseClientFrame(chat(String.raw`"hi \ud83d there"`))).toEqual({
      ok: false,
      code: "INVALID_MESSAGE",
      error_message: "Text must be well-formed Unicode: a string has an unpaired surrogate (such as \\ud83d alone).",
      action: "CHAT",
      clientId: "c-00000001",
    });
    expect(parseClientFrame(chat(String.raw`"\udc00"`))).toMatchObject({ ok: false, code: "INVALID_MESSAGE" });
    // A pair is one character; an escaped backslash before "ud83d" is just text (code that writes "\ud83d").
    expect(parseClientFrame(chat(String.raw`"smile \ud83d\ude00"`))).toMatchObject({ ok: true, message: { payload: { text: "smile 😀" } } });
    expect(parseClientFrame(chat(String.raw`"const s = \"\\ud83d\";"`))).toMatchObject({ ok: true, message: { payload: { text: 'const s = "\\ud83d";' } } });
  });

  it("refuses a frame over the byte cap before parsing it", () => {
    const parsed = parseClientFrame("é".repeat(600 * 1024)); // 1.2 MB of UTF-8, not JSON either
    expect(parsed).toEqual({ ok: false, code: "FRAME_TOO_LARGE", error_message: "Frame is larger than 1048576 bytes." });
  });

  it("names the action of an oversized frame when its head does, and only a known one", () => {
    const big = "x".repeat(1024 * 1024);
    const frame = (head: string) => `{${head}"payload":{"code":"${big}"}}`;
    expect(parseClientFrame(frame('"username":"Ada","action":"RUN",'))).toMatchObject({ code: "FRAME_TOO_LARGE", action: "RUN" });
    expect(parseClientFrame(frame('"action":"DANCE",'))).not.toHaveProperty("action");
    // An "action" inside the payload is not the envelope's.
    expect(parseClientFrame(`{"payload":{"note":{"action":"RUN"},"code":"${big}"}}`)).not.toHaveProperty("action");
  });
});
