/**
 * The authorization table of docs/api.md for a class room's WebSocket: every
 * action, for each persona, and what the table promises beyond its cells.
 */
import { describe, expect, it } from "vitest";
import type { Role } from "../../protocol";
import { TestClient } from "../helpers/client";
import { NO_ROOM, SIGN_IN, WS, iso, must, world, type ClassView, type Member, type World } from "../helpers/authz-world";
import { signUp } from "../helpers/users";

// ------------------------------------------------------------------ WebSocket actions in a class room

const OPEN = "allowed" as const;
type WsOutcome = typeof OPEN | { code: string; message: (w: World) => string };
const refuse = (code: string, message: string | ((w: World) => string)): WsOutcome => ({
  code,
  message: typeof message === "string" ? () => message : message,
});
const AS_STUDENT = refuse("FORBIDDEN", "In this class you join as Student.");
const AS_TEACHER = refuse("FORBIDDEN", "In this class you join as Teacher.");
const OWN_ROLE: Record<Member, Role> = { student: "Student", ta: "Teacher", instructor: "Teacher" };

interface WsRow {
  action: string;
  closed?: boolean;
  send: "JOIN" | "LEAVE" | "RUN" | "SHARE";
  role?: Role;
  expect: Record<Member, WsOutcome>;
}

const WS_ROWS: WsRow[] = [
  { action: "JOIN as Student", send: "JOIN", role: "Student", expect: { student: OPEN, ta: AS_TEACHER, instructor: AS_TEACHER } },
  { action: "JOIN as Teacher", send: "JOIN", role: "Teacher", expect: { student: AS_STUDENT, ta: OPEN, instructor: OPEN } },
  { action: "LEAVE", send: "LEAVE", expect: { student: OPEN, ta: OPEN, instructor: OPEN } },
  { action: "RUN", send: "RUN", expect: { student: OPEN, ta: OPEN, instructor: OPEN } },
  { action: "SHARE", send: "SHARE", expect: { student: OPEN, ta: OPEN, instructor: OPEN } },
  {
    action: "JOIN as Student, room closed",
    closed: true,
    send: "JOIN",
    role: "Student",
    expect: { student: refuse("ROOM_CLOSED", (w) => `This class room opens at ${iso(w.later.opensAt)}.`), ta: AS_TEACHER, instructor: AS_TEACHER },
  },
  { action: "JOIN as Teacher, room closed", closed: true, send: "JOIN", role: "Teacher", expect: { student: AS_STUDENT, ta: OPEN, instructor: OPEN } },
];

const join = (roomId: string, username: string, role: Role) => ({ username, action: "JOIN", roomId, role, payload: { roomId, role } }) as const;
/** The room as frames name it with one person (`name`) joined. */
const view = (roomId: string, name: string, role: Role) => ({
  id: roomId,
  teacher: role === "Teacher" ? name : null,
  students: role === "Student" ? 1 : 0,
  teachers: role === "Teacher" ? 1 : 0,
});
const hours = (k: ClassView, open: boolean) => ({ open, opensAt: k.opensAt, closesAt: k.closesAt });

describe.each(WS_ROWS)("WebSocket $action", (row) => {
  it.each([
    ["anonymous", SIGN_IN],
    ["other", NO_ROOM],
  ] as const)("%s: the upgrade is refused", async (persona, denial) => {
    const w = await world();
    const res = await w.call[persona]("GET", `/api/rooms/${(row.closed ? w.later : w.now).roomId}/ws`, undefined, WS);
    expect(res.status).toBe(denial.status);
    expect(await res.json()).toEqual(denial.body);
  });

  it.each(["student", "ta", "instructor"] as const)("%s", async (persona) => {
    const w = await world();
    const k = row.closed ? w.later : w.now;
    const client = await TestClient.open(k.roomId, w.who[persona]);
    const name = w.who[persona].user.name;
    const own = OWN_ROLE[persona];
    const role = row.role ?? own;
    const want = row.expect[persona];
    if (row.send !== "JOIN") {
      client.send(join(k.roomId, name, own));
      expect((await client.next()).responseType).toBe("JOIN");
      expect((await client.next()).responseType).toBe("STATUS");
    }
    const envelope = { username: name, roomId: k.roomId, role: own };
    if (row.send === "JOIN") client.send(join(k.roomId, name, role));
    if (row.send === "LEAVE") client.send({ ...envelope, action: "LEAVE", payload: { roomId: k.roomId, role: own } });
    if (row.send === "RUN") client.send({ ...envelope, action: "RUN", payload: { code: "6 * 7" } });
    if (row.send === "SHARE") client.send({ ...envelope, action: "SHARE", payload: { shared_code: "let x = 1;" } });
    const answer = await client.next(10_000);
    if (want !== OPEN) {
      expect(answer).toEqual({ responseType: "ERROR", payload: { action: row.send, code: want.code, error_message: want.message(w) } });
    } else if (row.send === "JOIN") {
      expect(answer).toEqual({
        responseType: "JOIN",
        room: { ...view(k.roomId, name, role), sharedCode: "" },
        payload: { role, you: name, roster: [{ username: name, role }] },
        seq: 1,
      });
      expect(await client.next()).toEqual({ responseType: "STATUS", room: view(k.roomId, name, role), payload: hours(k, !row.closed) });
    } else if (row.send === "LEAVE") {
      expect(answer).toEqual({ responseType: "LEAVE", room: { id: k.roomId, teacher: null, students: 0, teachers: 0 }, payload: { role: own }, seq: 2 });
    } else if (row.send === "RUN") {
      expect(answer).toMatchObject({ responseType: "RUN", room: view(k.roomId, name, own), payload: { result: "42", error: null } });
    } else {
      expect(answer).toEqual({
        responseType: "SHARE",
        room: view(k.roomId, name, own),
        payload: { shared_code: "let x = 1;", from: name, role: own, sharedAt: expect.any(Number) },
        seq: 2,
      });
    }
    expect(await client.drain(50)).toEqual([]);
    client.close();
  });
});

// ------------------------------------------------------------------ staff-only moderation

/**
 * Each staff-only action, sent about something a classmate (Cleo) made: a
 * student is refused with FORBIDDEN and nothing changes; a TA and the
 * instructor are served. One row of the table for all five.
 */
const MODERATION = [
  ["MUTE", (_ids: Ids) => ({ username: "Cleo", muted: true }), "Only teachers can mute participants.", "MUTED"],
  ["ANSWER", (ids: Ids) => ({ id: ids.question }), "Only teachers can answer questions.", "QUESTION"],
  ["QUESTION_DELETE", (ids: Ids) => ({ id: ids.question }), "Only teachers can remove other people's questions.", "QUESTION_DELETED"],
  ["HAND_CLAIM", (ids: Ids) => ({ id: ids.hand }), "Only teachers can claim or resolve requests.", "HAND"],
  ["HAND_RESOLVE", (ids: Ids) => ({ id: ids.hand }), "Only teachers can claim or resolve requests.", "HAND"],
  ["DOC_MODE", (_ids: Ids) => ({ locked: true }), "Only teachers can lock editors or start follow mode.", "DOC_MODE"],
  ["DOC_SUBSCRIBE", (_ids: Ids) => ({ docs: ["student:Cleo"] }), "You can only open your own editor (student:Stu).", "DOC_SNAPSHOT"],
  ["DOC_PULL", (_ids: Ids) => ({ doc: "student:Cleo", version: 0 }), "You can only open your own editor (student:Stu).", "DOC_UPDATES"],
  ["DOC_HISTORY", (_ids: Ids) => ({ doc: "student:Cleo" }), "You can only open your own editor (student:Stu).", "DOC_HISTORY"],
  // No answer to the sender: Cleo, who has her editor open, sees the cursor.
  ["DOC_CURSOR", (_ids: Ids) => ({ doc: "student:Cleo", version: 0, selection: { anchor: 0, head: 0 } }), "You can only open your own editor (student:Stu).", "DOC_CURSOR"],
] as const;
interface Ids {
  question: number;
  hand: number;
}

describe.each(MODERATION)("WebSocket %s (staff only)", (action, payload, refusal, event) => {
  it.each(["student", "ta", "instructor"] as const)("%s", async (persona) => {
    const w = await world();
    const roomId = w.now.roomId;
    const classmate = await signUp("Cleo");
    await must(classmate, "POST", "/api/enrol", { code: w.invite }, 200);
    const cleo = await TestClient.joined(roomId, classmate, "Student");
    cleo.send({ username: "Cleo", action: "ASK", roomId, payload: { clientId: "q-authz-0001", text: "Why?" } });
    cleo.send({ username: "Cleo", action: "HAND_RAISE", roomId, payload: { clientId: "h-authz-0001" } });
    cleo.send({ username: "Cleo", action: "DOC_SUBSCRIBE", roomId, payload: { docs: ["student:Cleo"] } });
    const ids = { question: 0, hand: 0 };
    while (!ids.question || !ids.hand) {
      const f = await cleo.next();
      if (f.responseType === "QUESTION") ids.question = f.payload.question.id;
      if (f.responseType === "HAND") ids.hand = f.payload.hand.id;
    }
    const me = await TestClient.joined(roomId, w.who[persona], OWN_ROLE[persona]);
    await Promise.all([me.drain(50), cleo.drain(50)]);
    const name = w.who[persona].user.name;
    me.send({ username: name, action, roomId, payload: payload(ids) } as never);
    const answer = action === "DOC_CURSOR" && persona !== "student" ? await cleo.next() : await me.next();
    if (persona === "student") {
      expect(answer).toEqual({ responseType: "ERROR", payload: { action, code: "FORBIDDEN", error_message: refusal } });
      expect(await cleo.drain(50)).toEqual([]);
    } else if (action === "DOC_CURSOR") {
      expect(answer).toEqual({ responseType: "DOC_CURSOR", payload: { ...payload(ids), by: name, role: "Teacher" } });
    } else {
      expect(answer.responseType).toBe(event);
    }
  });
});

// ------------------------------------------------------------------ live video

/**
 * Live video (docs/protocol.md § Live video), for each persona. `live`: when
 * the persona's frame arrives another staff member of the course is live
 * (the instructor, Ines; the TA, Tariq, when the persona is the instructor),
 * or no one is. Allowed means: LIVE_START is answered with LIVE_STARTED (the
 * class's recording) and LIVE_STATE to everyone; LIVE_STOP with LIVE_STATE
 * `live: null` to everyone, the broadcaster included; LIVE_SIGNAL is relayed
 * to the broadcaster alone, naming its sender, and nothing comes back.
 * A viewer's rights do not depend on its role: staff who are not live signal
 * as students do.
 */
interface LiveRow {
  action: string;
  send: "LIVE_START" | "LIVE_STOP" | "LIVE_SIGNAL";
  live: boolean;
  /** The class room (default), or the course's channel. */
  channel?: boolean;
  /** The persona has just said hello to the broadcaster (relayed). */
  saidHello?: boolean;
  /** The frame's payload, given the broadcaster's peer id when someone is live. */
  payload: (peer: string | null) => object;
  expect: Record<Member, WsOutcome>;
}

const ONLY_TEACHERS_GO_LIVE = refuse("FORBIDDEN", "Only teachers go live.");
const ONLY_TEACHERS_STOP = refuse("FORBIDDEN", "Only teachers end a broadcast.");
const NO_ONE_LIVE = refuse("NOT_FOUND", "No one is live in this room.");
const VIEWERS_SIGNAL_THE_BROADCASTER = refuse("FORBIDDEN", "Viewers signal only the broadcaster.");
const HELLO_TOO_SOON = refuse("RATE_LIMITED", "You asked for the video a moment ago; the teacher's answer is on its way.");
/** A peer id no connection has: the room's are 12 characters. */
const NO_PEER = "abcdefgh";

const LIVE_ROWS: LiveRow[] = [
  { action: "LIVE_START", send: "LIVE_START", live: false, payload: () => ({}), expect: { student: ONLY_TEACHERS_GO_LIVE, ta: OPEN, instructor: OPEN } },
  { action: "LIVE_START without recording", send: "LIVE_START", live: false, payload: () => ({ record: false }), expect: { student: ONLY_TEACHERS_GO_LIVE, ta: OPEN, instructor: OPEN } },
  {
    action: "LIVE_START while another teacher is live",
    send: "LIVE_START",
    live: true,
    payload: () => ({}),
    expect: {
      student: ONLY_TEACHERS_GO_LIVE,
      ta: refuse("FORBIDDEN", "Ines is live already; end that broadcast first."),
      instructor: refuse("FORBIDDEN", "Tariq is live already; end that broadcast first."),
    },
  },
  {
    action: "LIVE_START resume of another teacher's broadcast",
    send: "LIVE_START",
    live: true,
    payload: () => ({ resume: true }),
    expect: { student: ONLY_TEACHERS_GO_LIVE, ta: refuse("FORBIDDEN", "Ines is live now, not you."), instructor: refuse("FORBIDDEN", "Tariq is live now, not you.") },
  },
  {
    action: "LIVE_START resume, no one live",
    send: "LIVE_START",
    live: false,
    payload: () => ({ resume: true }),
    expect: { student: ONLY_TEACHERS_GO_LIVE, ta: refuse("NOT_FOUND", "That broadcast has ended; go live again."), instructor: refuse("NOT_FOUND", "That broadcast has ended; go live again.") },
  },
  {
    action: "LIVE_START in the course channel",
    send: "LIVE_START",
    live: false,
    channel: true,
    payload: () => ({}),
    expect: {
      student: ONLY_TEACHERS_GO_LIVE,
      ta: refuse("FORBIDDEN", "Go live from a class room or an ad-hoc room, not the course chat."),
      instructor: refuse("FORBIDDEN", "Go live from a class room or an ad-hoc room, not the course chat."),
    },
  },
  { action: "LIVE_STOP of another teacher's broadcast", send: "LIVE_STOP", live: true, payload: () => ({}), expect: { student: ONLY_TEACHERS_STOP, ta: OPEN, instructor: OPEN } },
  { action: "LIVE_STOP, no one live", send: "LIVE_STOP", live: false, payload: () => ({}), expect: { student: ONLY_TEACHERS_STOP, ta: NO_ONE_LIVE, instructor: NO_ONE_LIVE } },
  { action: "LIVE_SIGNAL hello to the broadcaster", send: "LIVE_SIGNAL", live: true, payload: (peer) => ({ to: peer, kind: "hello" }), expect: { student: OPEN, ta: OPEN, instructor: OPEN } },
  {
    action: "LIVE_SIGNAL to a connection other than the broadcaster",
    send: "LIVE_SIGNAL",
    live: true,
    payload: () => ({ to: NO_PEER, kind: "hello" }),
    expect: { student: VIEWERS_SIGNAL_THE_BROADCASTER, ta: VIEWERS_SIGNAL_THE_BROADCASTER, instructor: VIEWERS_SIGNAL_THE_BROADCASTER },
  },
  { action: "LIVE_SIGNAL, no one live", send: "LIVE_SIGNAL", live: false, payload: () => ({ to: NO_PEER, kind: "hello" }), expect: { student: NO_ONE_LIVE, ta: NO_ONE_LIVE, instructor: NO_ONE_LIVE } },
  {
    action: "LIVE_SIGNAL hello again within 5 s",
    send: "LIVE_SIGNAL",
    live: true,
    saidHello: true,
    payload: (peer) => ({ to: peer, kind: "hello" }),
    expect: { student: HELLO_TOO_SOON, ta: HELLO_TOO_SOON, instructor: HELLO_TOO_SOON },
  },
];

const PEER = /^[A-Za-z0-9]{12}$/;

describe.each(LIVE_ROWS)("WebSocket $action", (row) => {
  it.each(["student", "ta", "instructor"] as const)("%s", async (persona) => {
    const w = await world();
    const roomId = row.channel ? `course-${w.courseId}` : w.now.roomId;
    const status = row.channel ? [] : [expect.objectContaining({ responseType: "STATUS" })];
    const host: Member = persona === "instructor" ? "ta" : "instructor";
    const hostName = w.who[host].user.name;
    let broadcaster: TestClient | null = null;
    let live: Record<string, unknown> | null = null;
    if (row.live) {
      broadcaster = await TestClient.joined(roomId, w.who[host], "Teacher");
      broadcaster.send({ username: hostName, action: "LIVE_START", roomId, payload: {} });
      expect((await broadcaster.nextOf("LIVE_STARTED")).payload.recording).toMatchObject({ lectureId: expect.any(String) });
      live = (await broadcaster.nextOf("LIVE_STATE")).payload.live;
      expect(live).toEqual({ by: hostName, peer: expect.stringMatching(PEER), startedAt: expect.any(Number), provider: "local", whepUrl: null, recording: true });
    }
    const me = await TestClient.joined(roomId, w.who[persona], OWN_ROLE[persona]);
    const name = w.who[persona].user.name;
    const own = OWN_ROLE[persona];
    // A joiner learns the broadcast right after its JOIN answer (and STATUS, in a class room).
    expect(await me.drain(100)).toEqual([...status, ...(live ? [{ responseType: "LIVE_STATE", payload: { live } }] : [])]);
    if (broadcaster) expect(await broadcaster.drain(50)).toEqual([expect.objectContaining({ responseType: "JOIN", payload: { role: own, username: name } })]);
    const peer = (live?.peer as string | undefined) ?? null;
    if (row.saidHello) {
      me.send({ username: name, action: "LIVE_SIGNAL", roomId, role: own, payload: { to: peer, kind: "hello" } } as never);
      expect(await broadcaster!.next()).toMatchObject({ responseType: "LIVE_SIGNAL", payload: { by: name, kind: "hello" } });
    }
    me.send({ username: name, action: row.send, roomId, role: own, payload: row.payload(peer) } as never);
    const want = row.expect[persona];
    if (want !== OPEN) {
      expect(await me.next()).toEqual({ responseType: "ERROR", payload: { action: row.send, code: want.code, error_message: want.message(w) } });
    } else if (row.send === "LIVE_START") {
      // The class is recorded, unless the teacher says not to.
      const recorded = (row.payload(peer) as { record?: boolean }).record !== false;
      const started = await me.next();
      expect(started).toEqual({
        responseType: "LIVE_STARTED",
        payload: {
          recording: recorded ? { lectureId: expect.any(String), uploadId: expect.any(String), partSize: 5 * 1024 * 1024, recordedAt: expect.any(Number) } : null,
          problem: null,
          whipUrl: null,
        },
      });
      const live = await me.next();
      expect(live).toEqual({ responseType: "LIVE_STATE", payload: { live: { by: name, peer: expect.stringMatching(PEER), startedAt: expect.any(Number), provider: "local", whepUrl: null, recording: recorded } } });
      if (recorded) expect((live.payload as { live: { startedAt: number } }).live.startedAt).toBe((started.payload as { recording: { recordedAt: number } }).recording.recordedAt);
    } else if (row.send === "LIVE_STOP") {
      expect(await me.next()).toEqual({ responseType: "LIVE_STATE", payload: { live: null } });
      expect(await broadcaster!.next()).toEqual({ responseType: "LIVE_STATE", payload: { live: null } });
    } else {
      const signal = await broadcaster!.next();
      expect(signal).toEqual({ responseType: "LIVE_SIGNAL", payload: { from: expect.stringMatching(PEER), by: name, kind: "hello" } });
      expect((signal.payload as { from: string }).from).not.toBe(peer);
    }
    // Nothing else, to anyone: a refusal changes nothing and tells no one.
    expect(await me.drain(50)).toEqual([]);
    if (broadcaster) expect(await broadcaster.drain(50)).toEqual([]);
    me.close();
    broadcaster?.close();
  });
});

// ------------------------------------------------------------------ what the table promises

describe("a student can never act as the teacher", () => {
  it("refuses every claim of the Teacher role and keeps the student's share from other students", async () => {
    const w = await world();
    const roomId = w.now.roomId;
    const stu = await TestClient.open(roomId, w.who.student);
    const forbidden = (action: string, error_message: string) => ({ responseType: "ERROR", payload: { action, code: "FORBIDDEN", error_message } });
    stu.send({ ...join(roomId, "Stu", "Teacher"), payload: { roomId, role: "Teacher", token: "guessed-token" } });
    expect(await stu.next()).toEqual(forbidden("JOIN", "In this class you join as Student."));
    stu.send({ ...join(roomId, "Stu", "Student"), role: "Teacher" });
    expect(await stu.next()).toEqual(forbidden("JOIN", "You are in this room as Student, not Teacher."));
    stu.send(join(roomId, "Stu", "Student"));
    expect(await stu.next()).toMatchObject({ responseType: "JOIN", payload: { role: "Student" } });
    await stu.next(); // STATUS
    stu.send({ username: "Stu", action: "SHARE", roomId, role: "Teacher", payload: { shared_code: "hijack()" } });
    expect(await stu.next()).toEqual(forbidden("SHARE", "You are in this room as Student, not Teacher."));
    stu.send({ username: "Stu", action: "LEAVE", roomId, payload: { roomId, role: "Teacher" } });
    expect(await stu.next()).toEqual(forbidden("LEAVE", "You are in this room as Student, not Teacher."));

    const classmate = await signUp("Cleo");
    await must(classmate, "POST", "/api/enrol", { code: w.invite }, 200);
    const cleo = await TestClient.joined(roomId, classmate, "Student");
    const teacher = await TestClient.joined(roomId, w.who.ta, "Teacher");
    await stu.drain(50);
    await cleo.drain(50);
    await teacher.drain(50);
    stu.send({ username: "Stu", action: "SHARE", roomId, payload: { shared_code: "mine()" } });
    expect(await stu.next()).toMatchObject({ responseType: "SHARE", room: { students: 2, teachers: 1 }, payload: { from: "Stu", role: "Student" } });
    expect(await teacher.next()).toMatchObject({ responseType: "SHARE", payload: { shared_code: "mine()", from: "Stu" } });
    expect(await cleo.drain(100)).toEqual([]);
  });
});

describe("a student never reads another course's roster or rooms", () => {
  it("gets the same 404 as for ids that do not exist", async () => {
    const w = await world();
    const pairs: [string, string][] = [
      [`/api/courses/${w.courseId}`, "/api/courses/NoSuchCourse1"],
      [`/api/courses/${w.courseId}/roster`, "/api/courses/NoSuchCourse1/roster"],
      [`/api/courses/${w.courseId}/classes`, "/api/courses/NoSuchCourse1/classes"],
      [`/api/rooms/${w.now.roomId}`, "/api/rooms/class-NoSuchClass1"],
    ];
    for (const [real, madeUp] of pairs) {
      const [a, b] = await Promise.all([w.call.other("GET", real), w.call.other("GET", madeUp)]);
      expect([a.status, await a.json()]).toEqual([b.status, await b.json()]);
      expect(a.status).toBe(404);
    }
  });
});

describe("a student never enters a closed room", () => {
  it("is sent out with 4003 when the class closes, is refused while it is closed, and may return when it reopens", async () => {
    const w = await world();
    const roomId = w.now.roomId;
    const teacher = await TestClient.joined(roomId, w.who.instructor, "Teacher");
    const stu = await TestClient.joined(roomId, w.who.student, "Student");
    await Promise.all([teacher.drain(50), stu.drain(50)]); // join notices and the opening STATUS

    const closed = await w.who.ta.json<{ class: ClassView }>("POST", `/api/classes/${w.now.id}/close`);
    expect(closed.status).toBe(200);
    const status = {
      responseType: "STATUS",
      room: { ...view(roomId, "Ines", "Teacher"), students: 1 },
      payload: hours(closed.body.class, false),
    };
    expect(await stu.next()).toEqual(status);
    expect(await stu.waitClosed()).toEqual({ code: 4003, reason: "The class room is closed" });
    expect(await teacher.next()).toEqual(status);
    expect(await teacher.next()).toMatchObject({ responseType: "LEAVE", payload: { role: "Student", username: "Stu" } });

    const again = await TestClient.open(roomId, w.who.student);
    again.send(join(roomId, "Stu", "Student"));
    expect(await again.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "JOIN", code: "ROOM_CLOSED", error_message: `This class room closed at ${iso(closed.body.class.closesAt)}.` },
    });

    const reopened = await w.who.instructor.json<{ class: ClassView }>("POST", `/api/classes/${w.now.id}/open`);
    expect(reopened.status).toBe(200);
    expect(await teacher.next()).toEqual({ responseType: "STATUS", room: view(roomId, "Ines", "Teacher"), payload: hours(reopened.body.class, true) });
    again.send(join(roomId, "Stu", "Student"));
    expect(await again.next()).toMatchObject({ responseType: "JOIN", payload: { role: "Student" } });
  });
});

