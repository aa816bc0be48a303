/**
 * Ad-hoc rooms over HTTP: create one, read its public summary, and open its
 * WebSocket (the only request the gateway forwards to the room itself).
 */
import { Hono } from "hono";
import { z } from "zod";
import { LIMITS, RoomId } from "../../protocol";
import { newId, newToken, sha256Hex } from "../lib/secrets";
import { readJson } from "./body";
import { fail } from "./errors";

const CreateRoom = z.strictObject({
  title: z.string().trim().min(1, "must not be empty").max(LIMITS.maxTitleChars, `must be at most ${LIMITS.maxTitleChars} characters`).optional(),
});

function roomStub(env: Env, roomId: string) {
  if (!RoomId.safeParse(roomId).success) fail(404, "No such room.");
  return env.ROOM.getByName(roomId);
}

export const rooms = new Hono<{ Bindings: Env }>()
  .post("/", async (c) => {
    const body = await readJson(c, CreateRoom);
    const roomId = newId();
    const teacherToken = newToken();
    const created = await roomStub(c.env, roomId).create({
      id: roomId,
      title: body.title ?? "Untitled room",
      tokenHash: await sha256Hex(teacherToken),
    });
    // 58 random bits make a collision vanishingly rare; still never hand out a taken room.
    if (!created) fail(503, "Could not allocate a room; try again.");
    return c.json({ roomId, teacherToken }, 201);
  })
  .get("/:roomId", async (c) => {
    const summary = await roomStub(c.env, c.req.param("roomId")).summary();
    if (!summary) fail(404, "No such room.");
    return c.json(summary);
  })
  .get("/:roomId/ws", async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") fail(426, "Expected a WebSocket upgrade.");
    return roomStub(c.env, c.req.param("roomId")).fetch(c.req.raw);
  });
