import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TestClient, createRoom } from "../helpers/client";

async function classroom(students: string[]) {
  const { roomId, teacherToken } = await createRoom();
  const teacher = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
  const clients: TestClient[] = [];
  for (const name of students) {
    clients.push(await TestClient.joined(roomId, name, "Student"));
    for (const earlier of [teacher, ...clients.slice(0, -1)]) await earlier.next(); // the join notice
  }
  return { roomId, teacherToken, teacher, students: clients };
}

describe("SHARE from a student", () => {
  it("reaches the teacher with who sent it, is echoed to the sender, and reaches no other student", async () => {
    const { roomId, teacher, students } = await classroom(["Ada", "Linus"]);
    const [ada, linus] = students as [TestClient, TestClient];
    ada.send({ username: "Ada", action: "SHARE", roomId, role: "Student", payload: { shared_code: "let x = 1;" } });
    const frame = await teacher.next();
    expect(frame).toEqual({
      responseType: "SHARE",
      room: { id: roomId, teacher: "Grace", students: 2, teachers: 1 },
      payload: { shared_code: "let x = 1;", from: "Ada", role: "Student", sharedAt: expect.any(Number) },
      seq: 4,
    });
    expect(await ada.next()).toEqual(frame);
    expect(await linus.drain()).toEqual([]);
  });

  it("is stored as that student's latest code", async () => {
    const { roomId, teacher, students } = await classroom(["Ada"]);
    const ada = students[0]!;
    for (const code of ["v1", "v2"]) {
      ada.send({ username: "Ada", action: "SHARE", roomId, role: "Student", payload: { shared_code: code } });
      await teacher.next();
    }
    const rows = await runInDurableObject(env.ROOM.getByName(roomId), (_r, state) =>
      state.storage.sql.exec("SELECT username, code FROM student_code").toArray(),
    );
    expect(rows).toEqual([{ username: "Ada", code: "v2" }]);
  });

  it("is delivered to a teacher who joins later", async () => {
    const { roomId, teacherToken } = await createRoom();
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    ada.send({ username: "Ada", action: "SHARE", roomId, role: "Student", payload: { shared_code: "print(1)" } });
    await ada.next(); // echo: stored
    const teacher = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
    expect(await teacher.next()).toMatchObject({
      responseType: "SHARE",
      payload: { shared_code: "print(1)", from: "Ada", role: "Student" },
    });
  });
});

describe("SHARE from the teacher", () => {
  it("reaches every student, and the presence and share frames carry no teacher code", async () => {
    const { roomId, teacher, students } = await classroom(["Ada", "Linus", "Barbara"]);
    teacher.send({ username: "Grace", action: "SHARE", roomId, role: "Teacher", payload: { shared_code: "solve()" } });
    const expected = {
      responseType: "SHARE",
      room: { id: roomId, teacher: "Grace", students: 3, teachers: 1 },
      payload: { shared_code: "solve()", from: "Grace", role: "Teacher", sharedAt: expect.any(Number) },
      seq: 5,
    };
    for (const s of [...students, teacher]) expect(await s.next()).toEqual(expected);
    // Someone joining later: the others hear who, never the code.
    const late = await TestClient.joined(roomId, "Late", "Student");
    expect(await teacher.next()).toEqual({
      responseType: "JOIN",
      room: { id: roomId, teacher: "Grace", students: 4, teachers: 1 },
      payload: { role: "Student", username: "Late" },
      seq: 6,
    });
    late.close();
  });

  it("is in the room a student sees on joining later", async () => {
    const { roomId, teacher } = await classroom([]);
    teacher.send({ username: "Grace", action: "SHARE", roomId, role: "Teacher", payload: { shared_code: "hello()" } });
    await teacher.next();
    const late = await TestClient.open(roomId, "Late");
    late.send({ username: "Late", action: "JOIN", roomId, role: "Student", payload: { roomId, role: "Student" } });
    expect(await late.next()).toMatchObject({ responseType: "JOIN", room: { sharedCode: "hello()" } });
    // Only the joiner's own answer carries it.
  });
});
