/**
 * One person cannot stall the room: every action has a rate-limit class,
 * counted per account over all its connections (reconnecting refills
 * nothing), an account holds a few sockets at most, and a connection that
 * sends frames of any kind faster than a person could is closed (4008)
 * before its frames are even parsed.
 */
import { describe, expect, it } from "vitest";
import { TestClient, roomOfThree } from "../helpers/client";

const room = roomOfThree;

describe("flooding a room", () => {
  it("closes a connection that sends frames past its budget, even invalid ones, and the room goes on answering others", async () => {
    const { roomId, grace, ada, linus } = await room();
    for (let i = 0; i < 400; i++) ada.send("x");
    const answers = [];
    do answers.push(await ada.next());
    while (answers.at(-1)!.responseType === "ERROR" && (answers.at(-1) as { payload: { code: string } }).payload.code === "BAD_JSON");
    // The burst (less her JOIN), plus what refilled while the frames arrived: never all 400.
    expect(answers.length).toBeGreaterThan(199);
    expect(answers.length).toBeLessThan(300);
    expect(answers.at(-1)).toEqual({
      responseType: "ERROR",
      payload: { code: "RATE_LIMITED", error_message: "Too many frames: at most 200 at once, then 100 per second. This connection is closed; reconnect to go on." },
    });
    expect(await ada.waitClosed()).toEqual({ code: 4008, reason: "Too many frames" });
    // Her seat is given up like any closed socket's, and the room serves the others at once.
    expect(await grace.next()).toMatchObject({ responseType: "LEAVE", payload: { username: "Ada" } });
    expect(await linus.next()).toMatchObject({ responseType: "LEAVE", payload: { username: "Ada" } });
    linus.send({ username: "Linus", action: "SHARE", roomId, payload: { shared_code: "still here" } });
    expect(await linus.next(1000)).toMatchObject({ responseType: "SHARE", payload: { from: "Linus" } });
  });

  it.each([
    ["HISTORY", { limit: 1 }, 5, "Slow down: at most 5 history or board requests at once, then 1 per second."],
    ["BOARD", {}, 5, "Slow down: at most 5 history or board requests at once, then 1 per second."],
    ["SHARE", { shared_code: "x" }, 20, "Slow down: at most 20 runs or shares at once, then 10 per second."],
  ] as const)("limits a student's %s", async (action, payload, burst, error_message) => {
    const { roomId, ada } = await room();
    for (let i = 0; i <= burst; i++) ada.send({ username: "Ada", action, roomId, payload } as never);
    const answers = [];
    for (let i = 0; i <= burst; i++) answers.push(await ada.next());
    expect(answers.filter((a) => a.responseType === "ERROR")).toEqual([{ responseType: "ERROR", payload: { action, code: "RATE_LIMITED", error_message } }]);
  });

  it("does not hold the teacher's shares to the students' code limit", async () => {
    const { roomId, grace, ada } = await room();
    for (let i = 0; i < 30; i++) grace.send({ username: "Grace", action: "SHARE", roomId, payload: { shared_code: `demo(${i})` } });
    const got = [];
    for (let i = 0; i < 30; i++) got.push(await ada.next());
    expect(got.map((f) => f.responseType === "SHARE" && f.payload.shared_code)).toEqual(Array.from({ length: 30 }, (_, i) => `demo(${i})`));
  });

  it("limits JOIN and LEAVE, each a write and a notice to everyone", async () => {
    const { roomId, grace, ada } = await room();
    const leave = { username: "Ada", action: "LEAVE", roomId, payload: { roomId, role: "Student" } } as const;
    const join = { username: "Ada", action: "JOIN", roomId, payload: { roomId, role: "Student" } } as const;
    // Ada's first JOIN took one of the 5: four more go through, the next is refused.
    for (const frame of [leave, join, leave, join, leave]) ada.send(frame);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await ada.next());
    expect(answers.map((a) => a.responseType)).toEqual(["LEAVE", "JOIN", "LEAVE", "JOIN", "ERROR"]);
    expect(answers[4]).toEqual({
      responseType: "ERROR",
      payload: { action: "LEAVE", code: "RATE_LIMITED", error_message: "Slow down: at most 5 joins or leaves at once, then one every 2 seconds." },
    });
    expect((await grace.drain(100)).map((f) => f.responseType)).toEqual(["LEAVE", "JOIN", "LEAVE", "JOIN"]);
  });

  it("keeps an account's buckets across reconnects: a new socket does not refill them", async () => {
    const { roomId, ada } = await room();
    const chat = (i: number) => ({ username: "Ada", action: "CHAT", roomId, payload: { clientId: `flood-${i}-aaaa`, text: `hi ${i}` } }) as const;
    for (let i = 0; i < 11; i++) ada.send(chat(i));
    const first = await ada.drain(300);
    expect(first.filter((f) => f.responseType === "ERROR").map((f) => f.responseType === "ERROR" && f.payload.code)).toEqual(["RATE_LIMITED"]);

    ada.ws.close(1000, "bye");
    const again = await TestClient.joined(roomId, ada.account, "Student");
    await again.drain(50);
    again.send(chat(99));
    expect(await again.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "CHAT", clientId: "flood-99-aaaa", code: "RATE_LIMITED", error_message: "Slow down: at most 10 messages at once, then 1 per second." },
    });
  });

  it("shares the frame budget among an account's sockets", async () => {
    const { roomId, ada } = await room();
    const second = await TestClient.open(roomId, ada.account);
    for (let i = 0; i < 150; i++) ada.send("x");
    for (let i = 0; i < 150; i++) second.send("x");
    const closes = await Promise.all([ada.waitClosed(), second.waitClosed()].map((p) => p.catch(() => null)));
    // 300 frames against a burst of 200: whichever socket crossed it was closed.
    expect(closes.filter((c) => c?.code === 4008).length).toBeGreaterThan(0);
  });

  it("lets an account hold at most 4 sockets in a room: a fifth closes the oldest", async () => {
    const { roomId, ada } = await room();
    const more = [];
    for (let i = 0; i < 4; i++) more.push(await TestClient.open(roomId, ada.account));
    // Ada's joined socket was the oldest: it is replaced, and the four newer stay open.
    expect(await ada.waitClosed()).toEqual({ code: 4001, reason: "Replaced by a newer connection" });
    await new Promise((r) => setTimeout(r, 100));
    expect(more.map((c) => c.closed)).toEqual([null, null, null, null]);
    const fifth = await TestClient.open(roomId, ada.account);
    expect(await more[0]!.waitClosed()).toEqual({ code: 4001, reason: "Replaced by a newer connection" });
    expect(fifth.closed).toBeNull();
  });

  it("refuses an account's socket openings past a burst of 8 with 429 at once, so nobody holds sockets faster than the cap closes them", async () => {
    const { roomId, ada } = await room();
    // Ada's first socket took one; seven more go through.
    for (let i = 0; i < 7; i++) await TestClient.open(roomId, ada.account);
    const refused = await ada.account.fetch(`/api/rooms/${roomId}/ws`, { headers: { Upgrade: "websocket" } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("2");
    expect(await refused.json()).toEqual({ error: "Too many connections to this room at once; wait a few seconds." });
    // Another account is not held to Ada's openings.
    await TestClient.open(roomId, "Other");
  });
});
