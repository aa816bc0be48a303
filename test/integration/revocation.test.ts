/**
 * Access taken away reaches every socket it gave: a removal or a change of
 * role in any room of the course, however far off its class, and the end of
 * the sign-in session that opened the socket.
 */
import { SELF, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { IDENTITY_HEADER, identityHeader } from "../../worker/room/ClassroomRoom";
import type { VerifiedIdentity } from "../../worker/room/rules";
import { TestClient, createRoom } from "../helpers/client";
import { courseWorld } from "../helpers/courses";
import { BASE, PASSWORD, asAccount, sessionCookie } from "../helpers/users";

const DAY = 24 * 60 * 60_000;
const utcLocal = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/** A class of the course starting `startsIn` from now; its room id. */
async function classIn(world: Awaited<ReturnType<typeof courseWorld>>, startsIn: number): Promise<string> {
  const start = Date.now() + startsIn;
  const res = await world.instructor.json<{ classes: { roomId: string }[] }>("POST", `/api/courses/${world.courseId}/classes`, {
    title: "Later",
    start: utcLocal(start),
    end: utcLocal(start + 60 * 60_000),
  });
  if (res.status !== 201) throw new Error(`class: ${res.status}`);
  return res.body.classes[0]!.roomId;
}

/** A socket opened straight on the room, as the gateway would, with this identity. */
async function socketAs(roomId: string, identity: VerifiedIdentity): Promise<WebSocket> {
  const res = await env.ROOM.getByName(roomId).fetch(`http://room/api/rooms/${roomId}/ws`, {
    headers: { Upgrade: "websocket", [IDENTITY_HEADER]: identityHeader(identity) },
  });
  const ws = res.webSocket!;
  ws.accept();
  return ws;
}

const closeOf = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) => ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })));
const joinFrame = (roomId: string, username: string, role: "Student" | "Teacher") =>
  JSON.stringify({ username, action: "JOIN", roomId, role, payload: { roomId, role } });

describe("a change of course role reaches every room of the course", () => {
  it("closes a demoted TA's staff socket in a room whose class is three days away", async () => {
    const world = await courseWorld();
    const roomId = await classIn(world, 3 * DAY);
    const tariq = await TestClient.joined(roomId, world.ta, "Teacher");
    await tariq.drain(50);

    const demoted = await world.instructor.json("PATCH", `/api/courses/${world.courseId}/members/${world.ta.user.id}`, { role: "student" });
    expect(demoted.status).toBe(200);
    expect(await tariq.waitClosed()).toEqual({ code: 4005, reason: "Your access to this class changed" });
  });

  it("closes a removed student's unjoined socket in a room whose class is two days away", async () => {
    const world = await courseWorld();
    const roomId = await classIn(world, 2 * DAY);
    const stu = await TestClient.open(roomId, world.student);

    const removed = await world.instructor.fetch(`/api/courses/${world.courseId}/members/${world.student.user.id}`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect(await stu.waitClosed()).toEqual({ code: 4005, reason: "You were removed from this course" });
  });

  it("checks the course again at JOIN: a socket opened before a removal cannot join on it", async () => {
    const world = await courseWorld();
    const roomId = await classIn(world, -5 * 60_000);
    // Opened while still a member (as the gateway would have let it), then removed
    // without this room hearing of it: the JOIN itself must find out.
    const identity = { userId: world.student.user.id, name: "Stu", role: "Student" as const, courseId: world.courseId };
    const ws = await socketAs(roomId, identity);
    await env.DB.prepare("DELETE FROM enrolments WHERE course_id = ? AND user_id = ?").bind(world.courseId, world.student.user.id).run();
    const closed = closeOf(ws);
    const frames: string[] = [];
    ws.addEventListener("message", (e) => frames.push(e.data as string));
    ws.send(joinFrame(roomId, "Stu", "Student"));
    expect(await closed).toEqual({ code: 4005, reason: "Your access to this class changed" });
    expect(frames).toEqual([]);

    // A TA demoted the same way cannot join as Teacher either.
    const taWs = await socketAs(roomId, { userId: world.ta.user.id, name: "Tariq", role: "Teacher", courseId: world.courseId });
    await env.DB.prepare("UPDATE enrolments SET role = 'student' WHERE course_id = ? AND user_id = ?").bind(world.courseId, world.ta.user.id).run();
    const taClosed = closeOf(taWs);
    taWs.send(joinFrame(roomId, "Tariq", "Teacher"));
    expect((await taClosed).code).toBe(4005);
  });
});

describe("the end of a sign-in session", () => {
  it("sets the room's alarm for the first expiry, and an early alarm closes nothing", async () => {
    const world = await courseWorld();
    const roomId = await classIn(world, -5 * 60_000);
    const stub = env.ROOM.getByName(roomId);
    const expiresAt = Date.now() + 10 * 60_000;
    const ws = await socketAs(roomId, { userId: world.student.user.id, name: "Stu", role: "Student", courseId: world.courseId, session: { id: "session-b", expiresAt } });
    // The class closes in 55 minutes; the session ends first.
    expect(await runInDurableObject(stub, (_room, state) => state.storage.getAlarm())).toBe(expiresAt);
    await runDurableObjectAlarm(stub);
    await new Promise((r) => setTimeout(r, 50));
    expect(ws.readyState).toBe(WebSocket.OPEN);
    // Re-set after firing: the session still ends first.
    expect(await runInDurableObject(stub, (_room, state) => state.storage.getAlarm())).toBe(expiresAt);
  });

  it("closes an idle socket when its session expires", async () => {
    const world = await courseWorld();
    const roomId = await classIn(world, -5 * 60_000);
    const ws = await socketAs(roomId, { userId: world.student.user.id, name: "Stu", role: "Student", courseId: world.courseId, session: { id: "session-a", expiresAt: Date.now() + 300 } });
    ws.send(joinFrame(roomId, "Stu", "Student"));
    const closed = closeOf(ws);
    expect(await closed).toEqual({ code: 4006, reason: "Your session ended; sign in again" });
  });

  it("signing out closes every socket that session opened, in every room, and no other session's", async () => {
    const world = await courseWorld();
    const classRoom = await classIn(world, -5 * 60_000);
    const { roomId: adhoc } = await createRoom();
    const inClass = await TestClient.joined(classRoom, world.student, "Student");
    const inAdhoc = await TestClient.open(adhoc, world.student);
    // The same account signed in on another device: its socket is not this session's.
    const signIn = await SELF.fetch(`${BASE}/api/auth/login`, {
      method: "POST",
      headers: { Origin: BASE, "CF-Connecting-IP": "10.9.9.9" },
      body: JSON.stringify({ email: world.student.user.email, password: PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const otherDevice = await TestClient.open(classRoom, asAccount(world.student.user, sessionCookie(signIn)));

    const out = await world.student.fetch("/api/auth/logout", { method: "POST" });
    expect(out.status).toBe(204);
    expect(await inClass.waitClosed()).toEqual({ code: 4006, reason: "You signed out" });
    expect(await inAdhoc.waitClosed()).toEqual({ code: 4006, reason: "You signed out" });
    await new Promise((r) => setTimeout(r, 100));
    expect(otherDevice.closed).toBeNull();
    // Its rows went with the session.
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM session_rooms s JOIN sessions t ON t.token_hash = s.session_hash WHERE t.user_id = ?")
      .bind(world.student.user.id)
      .first<{ n: number }>();
    expect(left!.n).toBe(1);
  });
});
