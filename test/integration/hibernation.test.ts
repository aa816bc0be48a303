import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TestClient, createRoom } from "../helpers/client";

describe("state across eviction", () => {
  it("keeps shares, the teacher's code, the roster and the sockets", async () => {
    const { roomId, teacherToken, host } = await createRoom("Survives");
    const teacher = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    await teacher.next();
    ada.send({ username: "Ada", action: "SHARE", roomId, role: "Student", payload: { shared_code: "ada()" } });
    await teacher.next();
    expect(await teacher.next()).toMatchObject({ responseType: "DOC_MARK", payload: { doc: "student:Ada", kind: "share" } });
    await ada.next();
    teacher.send({ username: "Grace", action: "SHARE", roomId, role: "Teacher", payload: { shared_code: "grace()" } });
    await teacher.next();
    await ada.next();

    const stub = env.ROOM.getByName(roomId);
    await evictDurableObject(stub); // sockets hibernate; memory is gone

    // The same sockets still work, and identity came back from attachments.
    ada.send({ username: "Ada", action: "SHARE", roomId, role: "Student", payload: { shared_code: "ada(2)" } });
    expect(await teacher.next()).toEqual({
      responseType: "SHARE",
      room: { id: roomId, teacher: "Grace", students: 1, teachers: 1 },
      payload: { shared_code: "ada(2)", from: "Ada", role: "Student", sharedAt: expect.any(Number) },
      seq: 5,
    });

    const summary = await (await host.fetch(`/api/rooms/${roomId}`)).json();
    expect(summary).toMatchObject({ title: "Survives", teacher: "Grace", students: 1 });

    // A second teacher is still refused after eviction.
    const other = await TestClient.open(roomId, "Alan");
    other.send({ username: "Alan", action: "JOIN", roomId, role: "Teacher", payload: { roomId, role: "Teacher", token: teacherToken } });
    expect(await other.next()).toMatchObject({ responseType: "ERROR", payload: { code: "ROLE_TAKEN" } });
  });

  it("keeps stored state when every socket is closed by the eviction", async () => {
    const { roomId, teacherToken } = await createRoom();
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    ada.send({ username: "Ada", action: "SHARE", roomId, role: "Student", payload: { shared_code: "kept" } });
    await ada.next();
    await evictDurableObject(env.ROOM.getByName(roomId), { webSockets: "close" });

    const teacher = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
    expect(await teacher.next()).toMatchObject({ responseType: "SHARE", payload: { from: "Ada", shared_code: "kept" } });
    const version = await runInDurableObject(env.ROOM.getByName(roomId), (_r, state) =>
      state.storage.sql.exec("SELECT version FROM schema_version").one(),
    );
    expect(version).toEqual({ version: 10 });
  });
});
