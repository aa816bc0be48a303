import { describe, expect, it } from "vitest";
import { TestClient, api, createRoom } from "../helpers/client";

const join = (roomId: string, username: string, role: "Student" | "Teacher", extra: Record<string, string> = {}) =>
  ({ username, action: "JOIN", roomId, role, payload: { roomId, role, ...extra } }) as const;

describe("JOIN", () => {
  it("answers a student with the room and their role", async () => {
    const { roomId } = await createRoom();
    const ada = await TestClient.open(roomId, "Ada");
    ada.send(join(roomId, "Ada", "Student"));
    expect(await ada.next()).toEqual({
      responseType: "JOIN",
      room: { id: roomId, teacher: null, students: 1, teachers: 0, sharedCode: "" },
      payload: { role: "Student", you: "Ada", roster: [{ username: "Ada", role: "Student" }] },
      seq: 1,
    });
  });

  it("lets the teacher in with the room's token, and tells everyone of joins", async () => {
    const { roomId, teacherToken } = await createRoom();
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    const teacher = await TestClient.open(roomId, "Grace");
    teacher.send(join(roomId, "Grace", "Teacher", { token: teacherToken }));
    const room = { id: roomId, teacher: "Grace", students: 1, teachers: 1 };
    const roster = [
      { username: "Ada", role: "Student" },
      { username: "Grace", role: "Teacher" },
    ];
    expect(await teacher.next()).toEqual({ responseType: "JOIN", room: { ...room, sharedCode: "" }, payload: { role: "Teacher", you: "Grace", roster }, seq: 2 });
    // Everyone else gets the delta: who joined, and the counts; never the roster.
    expect(await ada.next()).toEqual({ responseType: "JOIN", room, payload: { role: "Teacher", username: "Grace" }, seq: 2 });

    await TestClient.joined(roomId, "Linus", "Student");
    expect(await teacher.next()).toEqual({
      responseType: "JOIN",
      room: { ...room, students: 2 },
      payload: { role: "Student", username: "Linus" },
      seq: 3,
    });
  });

  it("never puts sockets, tokens or hashes into the room object", async () => {
    const { roomId, teacherToken } = await createRoom();
    const teacher = await TestClient.open(roomId, "Grace");
    teacher.send(join(roomId, "Grace", "Teacher", { token: teacherToken }));
    const answer = await teacher.next();
    expect(answer.responseType === "JOIN" && Object.keys(answer.room).sort()).toEqual(["id", "sharedCode", "students", "teacher", "teachers"]);
    expect(JSON.stringify(answer)).not.toContain(teacherToken);
  });

  it.each([
    ["no token", {}],
    ["a wrong token", { token: "not-the-token" }],
  ])("refuses the Teacher role with %s", async (_name, extra) => {
    const { roomId } = await createRoom();
    const client = await TestClient.open(roomId, "Mallory");
    client.send(join(roomId, "Mallory", "Teacher", extra));
    expect(await client.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "JOIN", code: "BAD_TOKEN", error_message: "Joining as Teacher needs this room's teacher link." },
    });
  });

  it("refuses a second teacher while the first is connected", async () => {
    const { roomId, teacherToken } = await createRoom();
    const grace = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
    const other = await TestClient.open(roomId, "Alan");
    other.send(join(roomId, "Alan", "Teacher", { token: teacherToken }));
    expect(await other.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "JOIN", code: "ROLE_TAKEN", error_message: 'The Teacher role is taken by "Grace".' },
    });
    expect(await grace.drain()).toEqual([]);
  });

  it("lets the same teacher take over from a new connection", async () => {
    const { roomId, teacherToken } = await createRoom();
    const oldTab = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    await oldTab.next(); // Ada's join
    const newTab = await TestClient.joined(roomId, oldTab.account, "Teacher", teacherToken);
    expect(await oldTab.waitClosed()).toEqual({ code: 4001, reason: "Replaced by a newer connection" });
    expect(await ada.next()).toMatchObject({ responseType: "JOIN", room: { teacher: "Grace" }, payload: { username: "Grace" } });
    expect(await ada.drain()).toEqual([]); // no LEAVE for the replaced tab
    newTab.close();
  });

  it("tells equal names apart instead of refusing them: each account keeps its own name in the room", async () => {
    const { roomId, teacherToken } = await createRoom();
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
    await ada.drain(50);
    const twin = await TestClient.open(roomId, "Ada"); // another account with the same display name
    twin.send(join(roomId, "Ada", "Student"));
    expect(await twin.next()).toMatchObject({
      responseType: "JOIN",
      room: { students: 2 },
      payload: { role: "Student", you: "Ada (2)", roster: [{ username: "Ada" }, { username: "Grace" }, { username: "Ada (2)" }] },
    });
    expect(await ada.next()).toMatchObject({ responseType: "JOIN", payload: { role: "Student", username: "Ada (2)" } });
    // The twin acts under either name; the room knows the account, not the name.
    twin.send({ username: "Ada", action: "SHARE", roomId, payload: { shared_code: "twin()" } });
    expect(await twin.next()).toMatchObject({ responseType: "SHARE", payload: { from: "Ada (2)", shared_code: "twin()" } });

    // A student with the teacher's name cannot take it either: names are per account in the whole room.
    const namesake = await TestClient.open(roomId, "Grace");
    namesake.send(join(roomId, "Grace", "Student"));
    expect(await namesake.next()).toMatchObject({ responseType: "JOIN", payload: { you: "Grace (2)" } });

    // The same name typed with a combining accent is the same name.
    const zoe = await TestClient.joined(roomId, "Zo\u00eb", "Student");
    const zoeAgain = await TestClient.joined(roomId, "Zoe\u0308", "Student");
    expect([zoe.joinAnswer, zoeAgain.joinAnswer]).toMatchObject([{ payload: { you: "Zo\u00eb" } }, { payload: { you: "Zo\u00eb (2)" } }]);

    // Coming back, each account finds the name it had, whoever is here first.
    ada.ws.close(1000, "bye");
    await twin.drain(100);
    const back = await TestClient.joined(roomId, ada.account, "Student");
    expect(back.joinAnswer).toMatchObject({ payload: { you: "Ada" } });
  });

  it("lets the same signed-in student replace their stale connection", async () => {
    const { roomId } = await createRoom();
    const stale = await TestClient.open(roomId, "Ada");
    stale.send(join(roomId, "Ada", "Student"));
    await stale.next();
    const fresh = await TestClient.open(roomId, stale.account);
    fresh.send(join(roomId, "Ada", "Student"));
    expect(await fresh.next()).toMatchObject({ responseType: "JOIN", room: { students: 1 }, payload: { roster: [{ username: "Ada", role: "Student" }] } });
    expect((await stale.waitClosed()).code).toBe(4001);
  });

  it("refuses a room that was never created", async () => {
    const client = await TestClient.open("NeverCreated1", "Ada");
    client.send(join("NeverCreated1", "Ada", "Student"));
    expect(await client.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "JOIN", code: "ROOM_NOT_FOUND", error_message: "Room NeverCreated1 does not exist." },
    });
  });

  it("refuses a JOIN for another room than the socket's", async () => {
    const { roomId } = await createRoom();
    const { roomId: other } = await createRoom();
    const client = await TestClient.open(roomId, "Ada");
    client.send(join(other, "Ada", "Student"));
    expect(await client.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "JOIN", code: "WRONG_ROOM", error_message: `This connection is for room ${roomId}, not ${other}.` },
    });
  });

  it("refuses a JOIN under another name than the signed-in user's", async () => {
    const { roomId } = await createRoom();
    const client = await TestClient.open(roomId, "Ada");
    client.send(join(roomId, "Grace", "Student"));
    expect(await client.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "JOIN", code: "FORBIDDEN", error_message: 'You are signed in as "Ada"; join under that name.' },
    });
  });

  it("refuses the socket without a session", async () => {
    const { roomId } = await createRoom();
    const res = await api(`/api/rooms/${roomId}/ws`, { headers: { Upgrade: "websocket" } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Sign in first." });
  });

  it("refuses a second JOIN on a joined connection", async () => {
    const { roomId } = await createRoom();
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    ada.send(join(roomId, "Ada", "Student"));
    expect(await ada.next()).toMatchObject({ responseType: "ERROR", payload: { code: "ALREADY_JOINED" } });
  });
});

describe("LEAVE", () => {
  it("answers the leaver and tells everyone else", async () => {
    const { roomId, teacherToken } = await createRoom();
    const teacher = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    await teacher.next();
    ada.send({ username: "Ada", action: "LEAVE", roomId, role: "Student", payload: { roomId, role: "Student" } });
    const room = { id: roomId, teacher: "Grace", students: 0, teachers: 1 };
    expect(await ada.next()).toEqual({ responseType: "LEAVE", room, payload: { role: "Student" }, seq: 3 });
    expect(await teacher.next()).toEqual({ responseType: "LEAVE", room, payload: { role: "Student", username: "Ada" }, seq: 3 });
  });

  it("leaves the connection usable: the same socket can join again", async () => {
    const { roomId } = await createRoom();
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    ada.send({ username: "Ada", action: "LEAVE", roomId, role: "Student", payload: { roomId, role: "Student" } });
    await ada.next();
    ada.send(join(roomId, "Ada", "Student"));
    expect(await ada.next()).toMatchObject({ responseType: "JOIN", room: { students: 1 }, payload: { roster: [{ username: "Ada", role: "Student" }] } });
  });

  it("refuses a LEAVE in a role the sender does not hold", async () => {
    const { roomId } = await createRoom();
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    ada.send({ username: "Ada", action: "LEAVE", roomId, role: null, payload: { roomId, role: "Teacher" } });
    expect(await ada.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "LEAVE", code: "FORBIDDEN", error_message: "You are in this room as Student, not Teacher." },
    });
  });

  it("refuses a LEAVE before JOIN", async () => {
    const { roomId } = await createRoom();
    const client = await TestClient.open(roomId, "Ada");
    client.send({ username: "Ada", action: "LEAVE", roomId, role: "Student", payload: { roomId, role: "Student" } });
    expect(await client.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "LEAVE", code: "NOT_JOINED", error_message: "Send JOIN before LEAVE." },
    });
  });

  it("treats a closed socket as a LEAVE for the others", async () => {
    const { roomId, teacherToken } = await createRoom();
    const teacher = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    await teacher.next();
    ada.close();
    expect(await teacher.next()).toMatchObject({
      responseType: "LEAVE",
      room: { students: 0, teachers: 1 },
      payload: { role: "Student", username: "Ada" },
    });
  });
});
