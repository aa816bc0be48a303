/**
 * The roster travels once in full (the joiner's answer) and then as deltas
 * (who joined, who left, with counts). A client that applies the deltas must
 * end with the roster the room itself holds, also across evictions, when
 * the room rebuilds its roster from the sockets' attachments.
 */
import { env, evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RosterEntry, ServerMessage } from "../../protocol";
import { TestClient, createRoom } from "../helpers/client";

/** What a client keeps: the roster from the JOIN answer, then each delta. */
function applyDelta(roster: RosterEntry[], frame: ServerMessage): RosterEntry[] {
  if (frame.responseType !== "JOIN" && frame.responseType !== "LEAVE") return roster;
  const { username, role } = frame.payload;
  if (username === undefined) return roster;
  const others = roster.filter((e) => !(e.username === username && e.role === role));
  return frame.responseType === "JOIN" ? [...others, { username, role }] : others;
}

const rosterOf = (answer: ServerMessage): RosterEntry[] => {
  if (answer.responseType !== "JOIN" || !("roster" in answer.payload)) throw new Error(`not a JOIN answer: ${JSON.stringify(answer)}`);
  return answer.payload.roster;
};

async function joinAnswer(roomId: string, name: string, role: "Student" | "Teacher" = "Student", token?: string) {
  const client = await TestClient.open(roomId, name);
  client.send({ username: name, action: "JOIN", roomId, role, payload: { roomId, role, ...(token ? { token } : {}) } });
  return { client, answer: await client.next() };
}

describe("roster deltas", () => {
  it("a joiner gets the roster in join order; the others get who joined or left, and counts", async () => {
    const { roomId, teacherToken } = await createRoom();
    const grace = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    expect(await grace.next()).toEqual({
      responseType: "JOIN",
      room: { id: roomId, teacher: "Grace", students: 1, teachers: 1 },
      payload: { role: "Student", username: "Ada" },
      seq: 2,
    });
    const { client: linus, answer } = await joinAnswer(roomId, "Linus");
    expect(answer).toEqual({
      responseType: "JOIN",
      room: { id: roomId, teacher: "Grace", students: 2, teachers: 1, sharedCode: "" },
      payload: {
        role: "Student",
        you: "Linus",
        roster: [
          { username: "Grace", role: "Teacher" },
          { username: "Ada", role: "Student" },
          { username: "Linus", role: "Student" },
        ],
      },
      seq: 3,
    });
    await grace.next();
    await ada.next();
    ada.close();
    const left = { responseType: "LEAVE", room: { id: roomId, teacher: "Grace", students: 1, teachers: 1 }, payload: { role: "Student", username: "Ada" }, seq: 4 };
    expect(await grace.next()).toEqual(left);
    expect(await linus.next()).toEqual(left);
  });

  it("a user who comes back in the other role leaves their old seat, so no roster keeps it", async () => {
    const { roomId, teacherToken } = await createRoom();
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    const { client: linus, answer } = await joinAnswer(roomId, "Linus");
    let seen = rosterOf(answer);
    await ada.drain(50);
    // Ada opens the teacher link in a new tab: her student seat is replaced.
    const teacherTab = await TestClient.joined(roomId, ada.account, "Teacher", teacherToken);
    expect((await ada.waitClosed()).code).toBe(4001);
    const frames = await linus.drain(100);
    expect(frames.map((f) => [f.responseType, "room" in f ? f.room : null])).toEqual([
      ["LEAVE", { id: roomId, teacher: null, students: 1, teachers: 0 }],
      ["JOIN", { id: roomId, teacher: "Ada", students: 1, teachers: 1 }],
    ]);
    for (const frame of frames) seen = applyDelta(seen, frame);
    expect(seen).toEqual([
      { username: "Linus", role: "Student" },
      { username: "Ada", role: "Teacher" },
    ]);
    teacherTab.close();
  });

  it("survives eviction: the room rebuilds its roster from the sockets, and deltas still add up", async () => {
    const { roomId, teacherToken } = await createRoom();
    const { client: grace, answer: first } = await joinAnswer(roomId, "Grace", "Teacher", teacherToken);
    let seen = rosterOf(first);
    const students: TestClient[] = [];
    for (const name of ["Ada", "Linus", "Barbara"]) students.push(await TestClient.joined(roomId, name, "Student"));
    for (const frame of await grace.drain(100)) seen = applyDelta(seen, frame);

    await evictDurableObject(env.ROOM.getByName(roomId)); // memory gone; sockets hibernated

    students[1]!.close(); // Linus leaves while the room is asleep: it wakes to a close
    const linusLeft = await grace.next();
    expect(linusLeft).toEqual({
      responseType: "LEAVE",
      room: { id: roomId, teacher: "Grace", students: 2, teachers: 1 },
      payload: { role: "Student", username: "Linus" },
      seq: expect.any(Number),
    });
    seen = applyDelta(seen, linusLeft);

    await evictDurableObject(env.ROOM.getByName(roomId));
    const { client: late, answer } = await joinAnswer(roomId, "Late");
    const joined = await grace.next();
    expect(joined).toMatchObject({ responseType: "JOIN", room: { students: 3, teachers: 1 }, payload: { username: "Late" } });
    seen = applyDelta(seen, joined);
    // The room's own roster after two wakes, in join order, equals what Grace built from deltas.
    expect(rosterOf(answer)).toEqual([
      { username: "Grace", role: "Teacher" },
      { username: "Ada", role: "Student" },
      { username: "Barbara", role: "Student" },
      { username: "Late", role: "Student" },
    ]);
    expect(seen).toEqual(rosterOf(answer));
    late.close();
  });
});
