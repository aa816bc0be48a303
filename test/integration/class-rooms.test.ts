import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TestClient, api } from "../helpers/client";
import { signUp } from "../helpers/users";

interface ClassView {
  id: string;
  startsAt: number;
  endsAt: number;
  opensAt: number;
  closesAt: number;
  roomId: string;
}

const MIN = 60_000;
/** A wall-clock time for a course in UTC. */
const utcLocal = (ms: number) => new Date(ms).toISOString().slice(0, 16);
/** How the room writes a time in ROOM_CLOSED messages. */
const stamp = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

const join = (roomId: string, username: string, role: "Student" | "Teacher") =>
  ({ username, action: "JOIN", roomId, role, payload: { roomId, role } }) as const;

/** A course in UTC with an instructor, a TA and a student, and one class starting `startsIn` from now. */
async function classRoom(startsIn: number) {
  const instructor = await signUp("Grace");
  const created = await instructor.json<{ course: { id: string }; invite: { code: string } }>("POST", "/api/courses", {
    title: "Programming",
    code: "CS101",
    timezone: "UTC",
  });
  const courseId = created.body.course.id;
  const ta = await signUp("Tara");
  const student = await signUp("Sam");
  for (const who of [ta, student]) await who.json("POST", "/api/enrol", { code: created.body.invite.code });
  await instructor.json("PATCH", `/api/courses/${courseId}/members/${ta.user.id}`, { role: "ta" });
  const start = Date.now() + startsIn;
  const res = await instructor.json<{ classes: ClassView[] }>("POST", `/api/courses/${courseId}/classes`, {
    title: "Lecture",
    start: utcLocal(start),
    end: utcLocal(start + 60 * MIN),
  });
  const k = res.body.classes[0]!;
  return { instructor, ta, student, courseId, k, roomId: k.roomId, stub: env.ROOM.getByName(k.roomId) };
}
const openNow = () => classRoom(-5 * MIN);
const inTwoHours = () => classRoom(120 * MIN);

const alarmOf = (stub: DurableObjectStub) => runInDurableObject(stub, (_room, state) => state.storage.getAlarm());
const closedAt = async (classId: string) =>
  (await env.DB.prepare("SELECT closed_at FROM classes WHERE id = ?").bind(classId).first<{ closed_at: number }>())!.closed_at;

afterEach(() => {
  vi.useRealTimers();
});

describe("who reaches a class room", () => {
  it("answers 404 to a non-member on the summary and on the socket, and 401 without a session", async () => {
    const { roomId } = await openNow();
    const eve = await signUp("Eve");
    expect(await eve.json("GET", `/api/rooms/${roomId}`)).toEqual({ status: 404, body: { error: "No such room." } });
    const upgrade = await eve.fetch(`/api/rooms/${roomId}/ws`, { headers: { Upgrade: "websocket" } });
    expect(upgrade.status).toBe(404);
    expect(upgrade.webSocket).toBeNull();
    expect(await upgrade.json()).toEqual({ error: "No such room." });
    expect((await api(`/api/rooms/${roomId}`)).status).toBe(401);
  });

  it("answers 404 for a class that does not exist", async () => {
    const sam = await signUp("Sam");
    expect(await sam.json("GET", "/api/rooms/class-NoSuchClass1")).toEqual({ status: 404, body: { error: "No such room." } });
  });

  it("shows members the room's summary, titled after the course and the class", async () => {
    const { student, roomId } = await openNow();
    expect(await student.json("GET", `/api/rooms/${roomId}`)).toEqual({
      status: 200,
      body: { id: roomId, title: "Programming: Lecture", teacher: null, students: 0, createdAt: expect.any(Number) },
    });
  });
});

describe("joining a class room", () => {
  it("lets an enrolled student in as Student, then tells them the room's hours", async () => {
    const { student, k, roomId } = await openNow();
    const sam = await TestClient.open(roomId, student);
    sam.send(join(roomId, "Sam", "Student"));
    const room = { id: roomId, teacher: null, students: 1, teachers: 0 };
    expect(await sam.next()).toEqual({
      responseType: "JOIN",
      room: { ...room, sharedCode: "" },
      payload: { role: "Student", you: "Sam", roster: [{ username: "Sam", role: "Student" }] },
      seq: 1,
    });
    expect(await sam.next()).toEqual({ responseType: "STATUS", room, payload: { open: true, opensAt: k.opensAt, closesAt: k.closesAt } });
    expect(k.opensAt).toBe(k.startsAt - 10 * MIN);
  });

  it("refuses a student who asks to join as Teacher, and staff who ask to join as Student", async () => {
    const { student, instructor, roomId } = await openNow();
    const sam = await TestClient.open(roomId, student);
    sam.send(join(roomId, "Sam", "Teacher"));
    expect(await sam.next()).toEqual({ responseType: "ERROR", payload: { action: "JOIN", code: "FORBIDDEN", error_message: "In this class you join as Student." } });
    const grace = await TestClient.open(roomId, instructor);
    grace.send(join(roomId, "Grace", "Student"));
    expect(await grace.next()).toEqual({ responseType: "ERROR", payload: { action: "JOIN", code: "FORBIDDEN", error_message: "In this class you join as Teacher." } });
  });

  it("lets the instructor and a TA both in as Teacher at the same time", async () => {
    const { instructor, ta, k, roomId } = await openNow();
    const grace = await TestClient.joined(roomId, instructor, "Teacher");
    const hours = { open: true, opensAt: k.opensAt, closesAt: k.closesAt };
    expect(await grace.next()).toMatchObject({ responseType: "STATUS", payload: hours });
    const tara = await TestClient.open(roomId, ta);
    tara.send(join(roomId, "Tara", "Teacher"));
    const room = { id: roomId, teacher: "Grace", students: 0, teachers: 2 };
    expect(await tara.next()).toEqual({
      responseType: "JOIN",
      room: { ...room, sharedCode: "" },
      payload: {
        role: "Teacher",
        you: "Tara",
        roster: [
          { username: "Grace", role: "Teacher" },
          { username: "Tara", role: "Teacher" },
        ],
      },
      seq: 2,
    });
    expect(await tara.next()).toEqual({ responseType: "STATUS", room, payload: hours });
    expect(await grace.next()).toEqual({ responseType: "JOIN", room, payload: { role: "Teacher", username: "Tara" }, seq: 2 });
    expect(grace.closed).toBeNull();
  });
});

describe("class hours", () => {
  it("keeps students out before the room opens, but lets staff in", async () => {
    const { student, ta, k, roomId } = await inTwoHours();
    const sam = await TestClient.open(roomId, student);
    sam.send(join(roomId, "Sam", "Student"));
    expect(await sam.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "JOIN", code: "ROOM_CLOSED", error_message: `This class room opens at ${stamp(k.opensAt)}.` },
    });
    const tara = await TestClient.joined(roomId, ta, "Teacher");
    expect(await tara.next()).toEqual({
      responseType: "STATUS",
      room: { id: roomId, teacher: "Tara", students: 0, teachers: 1 },
      payload: { open: false, opensAt: k.opensAt, closesAt: k.closesAt },
    });
  });

  it("opening early tells staff and lets the student in", async () => {
    const { student, instructor, k, roomId } = await inTwoHours();
    const grace = await TestClient.joined(roomId, instructor, "Teacher");
    await grace.next(); // STATUS: closed
    const sam = await TestClient.open(roomId, student);
    sam.send(join(roomId, "Sam", "Student"));
    expect((await sam.next()).responseType).toBe("ERROR");

    const opened = await instructor.json<{ class: { opensAt: number } }>("POST", `/api/classes/${k.id}/open`);
    const hours = { open: true, opensAt: opened.body.class.opensAt, closesAt: k.closesAt };
    expect(await grace.next()).toEqual({ responseType: "STATUS", room: { id: roomId, teacher: "Grace", students: 0, teachers: 1 }, payload: hours });
    sam.send(join(roomId, "Sam", "Student")); // the same socket, again
    expect(await sam.next()).toMatchObject({ responseType: "JOIN", room: { students: 1 }, payload: { role: "Student" } });
    expect(await sam.next()).toMatchObject({ responseType: "STATUS", payload: hours });
  });

  it("closing sends the students out with 4003, tells staff, and keeps staff in", async () => {
    const { student, instructor, k, roomId } = await openNow();
    const grace = await TestClient.joined(roomId, instructor, "Teacher");
    await grace.next(); // STATUS
    const sam = await TestClient.joined(roomId, student, "Student");
    await sam.next(); // STATUS
    await grace.next(); // Sam's JOIN

    expect((await instructor.json("POST", `/api/classes/${k.id}/close`)).status).toBe(200);
    const hours = { open: false, opensAt: k.opensAt, closesAt: await closedAt(k.id) };
    const before = { id: roomId, teacher: "Grace", students: 1, teachers: 1 };
    const after = { ...before, students: 0 };
    // Everyone hears the new hours, then the students are sent out.
    expect(await sam.next()).toEqual({ responseType: "STATUS", room: before, payload: hours });
    expect(await sam.waitClosed()).toEqual({ code: 4003, reason: "The class room is closed" });
    expect(await grace.next()).toEqual({ responseType: "STATUS", room: before, payload: hours });
    expect(await grace.next()).toEqual({ responseType: "LEAVE", room: after, payload: { role: "Student", username: "Sam" }, seq: 3 });
    expect(grace.closed).toBeNull();

    const again = await TestClient.open(roomId, student);
    again.send(join(roomId, "Sam", "Student"));
    expect(await again.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "JOIN", code: "ROOM_CLOSED", error_message: `This class room closed at ${stamp(hours.closesAt)}.` },
    });
  });
});

describe("a change of course role", () => {
  it("sends a removed student out of the live room at once (4005), and the staff see them leave", async () => {
    const { student, instructor, courseId, roomId } = await openNow();
    const grace = await TestClient.joined(roomId, instructor, "Teacher");
    const sam = await TestClient.joined(roomId, student, "Student");
    await Promise.all([grace.drain(50), sam.drain(50)]);

    const removed = await instructor.fetch(`/api/courses/${courseId}/members/${student.user.id}`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect(await sam.waitClosed()).toEqual({ code: 4005, reason: "You were removed from this course" });
    expect(await grace.next()).toMatchObject({ responseType: "LEAVE", room: { students: 0 }, payload: { username: "Sam" } });
    expect((await student.fetch(`/api/rooms/${roomId}/ws`, { headers: { Upgrade: "websocket" } })).status).toBe(404);
  });

  it("closes a promoted student's socket, and they come back as Teacher", async () => {
    const { student, instructor, courseId, roomId } = await openNow();
    const sam = await TestClient.joined(roomId, student, "Student");
    await sam.drain(50);
    const promoted = await instructor.json("PATCH", `/api/courses/${courseId}/members/${student.user.id}`, { role: "ta" });
    expect(promoted.status).toBe(200);
    expect((await sam.waitClosed()).code).toBe(4005);
    const again = await TestClient.joined(roomId, student, "Teacher");
    expect(again.closed).toBeNull();
  });
});

describe("the room's alarm", () => {
  it("is set for the next change of hours: the opening, then the end, then none", async () => {
    const later = await inTwoHours();
    await later.student.json("GET", `/api/rooms/${later.roomId}`); // the first visit tells the room its hours
    expect(await alarmOf(later.stub)).toBe(later.k.opensAt);

    const now = await openNow();
    await now.student.json("GET", `/api/rooms/${now.roomId}`);
    expect(await alarmOf(now.stub)).toBe(now.k.closesAt);
    await now.instructor.json("POST", `/api/classes/${now.k.id}/extend`, { minutes: 30 });
    expect(await alarmOf(now.stub)).toBe(now.k.closesAt + 30 * MIN);
    await now.instructor.json("POST", `/api/classes/${now.k.id}/close`);
    expect(await alarmOf(now.stub)).toBeNull();
  });

  it("sends students out when it fires at the end of the class", async () => {
    const { student, instructor, k, roomId, stub } = await openNow();
    const grace = await TestClient.joined(roomId, instructor, "Teacher");
    await grace.next(); // STATUS
    const sam = await TestClient.joined(roomId, student, "Student");
    await sam.next(); // STATUS
    await grace.next(); // Sam's JOIN

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(k.closesAt); // the moment the alarm was set for
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    vi.useRealTimers();

    const closed = { open: false, opensAt: k.opensAt, closesAt: k.closesAt };
    const before = { id: roomId, teacher: "Grace", students: 1, teachers: 1 };
    expect(await sam.next()).toEqual({ responseType: "STATUS", room: before, payload: closed });
    expect(await sam.waitClosed()).toEqual({ code: 4003, reason: "The class room is closed" });
    expect(await grace.next()).toEqual({ responseType: "STATUS", room: before, payload: closed });
    expect(await grace.next()).toEqual({
      responseType: "LEAVE",
      room: { ...before, students: 0 },
      payload: { role: "Student", username: "Sam" },
      seq: 3,
    });
    expect(grace.closed).toBeNull();
    // The hours have no next change; the alarm now waits for the first open socket's session to end (Grace's).
    const session = await env.DB.prepare("SELECT expires_at FROM sessions WHERE user_id = ?").bind(instructor.user.id).first<{ expires_at: number }>();
    expect(await alarmOf(stub)).toBe(session!.expires_at);
  });

  it("opens the room when it fires at the opening, and is then set for the end", async () => {
    const { ta, k, roomId, stub } = await inTwoHours();
    const tara = await TestClient.joined(roomId, ta, "Teacher");
    await tara.next(); // STATUS: closed

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(k.opensAt);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    vi.useRealTimers();

    expect(await tara.next()).toEqual({
      responseType: "STATUS",
      room: { id: roomId, teacher: "Tara", students: 0, teachers: 1 },
      payload: { open: true, opensAt: k.opensAt, closesAt: k.closesAt },
    });
    expect(await alarmOf(stub)).toBe(k.closesAt);
  });
});

