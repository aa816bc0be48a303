import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../worker/lib/secrets";
import { api, createRoom } from "../helpers/client";
import { signUp } from "../helpers/users";

/** A signed-in request (rooms are for signed-in users). */
async function signedIn(path: string, init?: RequestInit) {
  return (await signUp("Grace")).fetch(path, init);
}

describe("POST /api/rooms", () => {
  it("creates a room and answers 201 with its id and a teacher token", async () => {
    const res = await signedIn("/api/rooms", { method: "POST", body: JSON.stringify({ title: "Loops" }) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { roomId: string; teacherToken: string };
    expect(Object.keys(body).sort()).toEqual(["roomId", "teacherToken"]);
    expect(body.roomId).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(body.teacherToken.length).toBeGreaterThanOrEqual(43);
  });

  it("accepts an empty object or an empty body", async () => {
    expect((await signedIn("/api/rooms", { method: "POST", body: "{}" })).status).toBe(201);
    expect((await signedIn("/api/rooms", { method: "POST" })).status).toBe(201);
  });

  it("needs a signed-in user", async () => {
    const res = await api("/api/rooms", { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Sign in first." });
  });

  it("stores only the hash of the teacher token", async () => {
    const { roomId, teacherToken } = await createRoom("Secrets");
    const stub = env.ROOM.getByName(roomId);
    const rows = await runInDurableObject(stub, (_room, state) => state.storage.sql.exec("SELECT * FROM room").toArray());
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(await sha256Hex(teacherToken));
    expect(JSON.stringify(rows)).not.toContain(teacherToken);
  });

  it.each([
    ["a title that is too long", JSON.stringify({ title: "x".repeat(121) }), 400, { title: "must be at most 120 characters" }],
    ["an empty title", JSON.stringify({ title: "  " }), 400, { title: "must not be empty" }],
    ["a title with a bidi override", JSON.stringify({ title: "Loops \u202Egnp.exe" }), 400, { title: "must not contain control characters" }],
    ["a title with a line break", JSON.stringify({ title: "Loops\rEVIL" }), 400, { title: "must not contain control characters" }],
    ["an unknown field", JSON.stringify({ teacher: "me" }), 400, { "(body)": expect.stringContaining("teacher") }],
    ["a title that is not a string", JSON.stringify({ title: 5 }), 400, { title: expect.any(String) }],
  ])("refuses %s with 400 and a message per field", async (_name, body, status, fields) => {
    const res = await signedIn("/api/rooms", { method: "POST", body });
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: "Some fields are invalid.", fields });
  });

  it("refuses malformed JSON and oversized bodies", async () => {
    const bad = await signedIn("/api/rooms", { method: "POST", body: "{title:" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "Body is not valid JSON." });
    const big = await signedIn("/api/rooms", { method: "POST", body: JSON.stringify({ title: "x".repeat(20_000) }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: "Body is larger than 16384 bytes." });
    // Text that storage could only keep altered: refused, nothing created.
    const lone = await signedIn("/api/rooms", { method: "POST", body: String.raw`{"title":"Loops \ud83d"}` });
    expect(lone.status).toBe(400);
    expect(await lone.json()).toEqual({ error: "Text must be well-formed Unicode: a string has an unpaired surrogate (such as \\ud83d alone)." });
  });
});

describe("GET /api/rooms/:roomId", () => {
  it("returns the public summary and nothing secret", async () => {
    const { roomId, host } = await createRoom("Recursion");
    const res = await host.fetch(`/api/rooms/${roomId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ id: roomId, title: "Recursion", teacher: null, students: 0, createdAt: expect.any(Number) });
  });

  it("answers 404 for a room that was never created, and for a malformed id", async () => {
    for (const id of ["NeverMade42", "bad!id"]) {
      const res = await signedIn(`/api/rooms/${id}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: "No such room." });
    }
  });
});

describe("GET /api/rooms/:roomId/ws", () => {
  it("answers 426 without an Upgrade header", async () => {
    const { roomId, host } = await createRoom();
    const res = await host.fetch(`/api/rooms/${roomId}/ws`);
    expect(res.status).toBe(426);
    expect(await res.json()).toEqual({ error: "Expected a WebSocket upgrade." });
  });

  it("upgrades with 101", async () => {
    const { roomId, host } = await createRoom();
    const res = await host.fetch(`/api/rooms/${roomId}/ws`, { headers: { Upgrade: "websocket" } });
    expect(res.status).toBe(101);
    expect(res.webSocket).toBeTruthy();
    res.webSocket!.accept();
    res.webSocket!.close();
  });
});

describe("unknown API paths", () => {
  it("answer 404 JSON, not the front end", async () => {
    const res = await api("/api/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "No such endpoint." });
  });
});

describe("probing room ids", () => {
  it("writes nothing for a room that was never created", async () => {
    expect((await signedIn("/api/rooms/NeverMade99")).status).toBe(404);
    const tables = await runInDurableObject(env.ROOM.getByName("NeverMade99"), (_room, state) =>
      state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table'").toArray(),
    );
    expect(tables.map((t) => t.name)).not.toContain("schema_version");
    expect(tables.map((t) => t.name)).not.toContain("room");
  });
});
