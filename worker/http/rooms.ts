/**
 * Live rooms over HTTP: create an ad-hoc room, read a room's summary, and
 * open its WebSocket — the one request forwarded to the room itself, with
 * the caller's verified identity attached.
 *
 * Room ids: ad-hoc rooms get a random id; a scheduled class's room is
 * "class-<classId>" and a course's channel "course-<courseId>"; only the
 * course's members may reach those.
 */
import { Hono } from "hono";
import { ROOM_ROLE, RoomId, parseRoomId } from "../../protocol";
import { CreateRoom } from "../../protocol/requests";
import type { User } from "../auth/sessions";
import { getClass, getCourse, membership } from "../courses/store";
import { newId, newToken, sha256Hex } from "../lib/secrets";
import { IDENTITY_HEADER, identityHeader } from "../room/ClassroomRoom";
import type { ClassroomRoom } from "../room/ClassroomRoom";
import type { VerifiedIdentity } from "../room/rules";
import { readJson } from "./body";
import { syncRoom } from "./classes";
import { requireUser, type AppContext, type AppEnv } from "./context";
import { fail } from "./errors";
import { ACTION_LIMITS, withinLimits } from "./limits";


/**
 * Resolves who the caller is in this room. For a class room that is decided
 * by enrolment (non-members get 404, as if the room did not exist), and the
 * room is told its current hours first.
 */
async function admit(
  c: AppContext,
  roomId: string,
  user: User,
): Promise<{ stub: DurableObjectStub<ClassroomRoom>; identity: VerifiedIdentity }> {
  if (!RoomId.safeParse(roomId).success) fail(404, "No such room.");
  const stub = c.env.ROOM.getByName(roomId);
  const ref = parseRoomId(roomId);
  if (ref.kind === "channel") {
    const { courseId } = ref;
    const role = await membership(c.env.DB, courseId, user.id);
    const course = role ? await getCourse(c.env.DB, courseId) : null;
    if (!role || !course) fail(404, "No such room.");
    await stub.syncChannel({ id: roomId, title: `${course.code} ${course.title}` });
    return { stub, identity: { userId: user.id, name: user.name, role: ROOM_ROLE[role], courseId } };
  }
  if (ref.kind === "adhoc") return { stub, identity: { userId: user.id, name: user.name, role: null } };

  const k = await getClass(c.env.DB, ref.classId);
  const role = k ? await membership(c.env.DB, k.courseId, user.id) : null;
  if (!k || !role) fail(404, "No such room.");
  const course = (await getCourse(c.env.DB, k.courseId))!;
  await syncRoom(c.env, k, course.title);
  return { stub, identity: { userId: user.id, name: user.name, role: ROOM_ROLE[role], courseId: k.courseId } };
}

export const rooms = new Hono<AppEnv>()
  .post("/", async (c) => {
    const user = requireUser(c);
    const body = await readJson(c, CreateRoom);
    await withinLimits(c, ACTION_LIMITS.createRoom(user.id));
    const roomId = newId();
    const teacherToken = newToken();
    const created = await c.env.ROOM.getByName(roomId).create({
      id: roomId,
      title: body.title ?? "Untitled room",
      tokenHash: await sha256Hex(teacherToken),
    });
    // 58 random bits make a collision vanishingly rare; still never hand out a taken room.
    if (!created) fail(503, "Could not allocate a room; try again.");
    return c.json({ roomId, teacherToken }, 201);
  })
  .get("/:roomId", async (c) => {
    const { stub } = await admit(c, c.req.param("roomId"), requireUser(c));
    const summary = await stub.summary();
    if (!summary) fail(404, "No such room.");
    return c.json(summary);
  })
  .get("/:roomId/ws", async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") fail(426, "Expected a WebSocket upgrade.");
    const roomId = c.req.param("roomId");
    const { stub, identity } = await admit(c, roomId, requireUser(c));
    // The socket ends with the session that opened it: the room closes it at
    // the session's expiry, and signing out closes it through this row.
    // Written beside the upgrade, not before it: a D1 write per socket would
    // add its latency to every join (measured: join p50 9 → 26 ms in a storm of 500).
    const session = c.get("session")!;
    c.executionCtx.waitUntil(
      c.env.DB.prepare("INSERT OR IGNORE INTO session_rooms (session_hash, room_id) VALUES (?, ?)").bind(session.key, roomId).run(),
    );
    const verified: VerifiedIdentity = { ...identity, session: { id: session.key, expiresAt: session.expiresAt } };
    // A fresh request: nothing the browser sent besides the upgrade reaches the room.
    return stub.fetch(
      new Request(c.req.url, { headers: { Upgrade: "websocket", [IDENTITY_HEADER]: identityHeader(verified) } }),
    );
  });

/** Closes every socket a session opened, in every room it opened one in (on sign-out). */
export async function closeSessionSockets(env: Env, sessionKey: string): Promise<void> {
  const { results } = await env.DB.prepare("SELECT room_id FROM session_rooms WHERE session_hash = ?").bind(sessionKey).all<{ room_id: string }>();
  await Promise.all(results.map((r) => env.ROOM.getByName(r.room_id).endSession(sessionKey)));
}
