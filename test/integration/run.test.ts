import { describe, expect, it } from "vitest";
import type { ResponseOf, RunOutput } from "../../protocol";
import { TestClient, createRoom } from "../helpers/client";

async function student(name = "Ada") {
  const { roomId } = await createRoom();
  return { roomId, client: await TestClient.joined(roomId, name, "Student") };
}

async function run(client: TestClient, roomId: string, code: string, language?: "javascript" | "typescript"): Promise<RunOutput> {
  client.send({ username: "Ada", action: "RUN", roomId, role: "Student", payload: { code, ...(language ? { language } : {}) } });
  const answer = await client.next(10_000);
  if (answer.responseType !== "RUN") throw new Error(JSON.stringify(answer));
  return answer.payload;
}

describe("RUN", () => {
  it("answers console output, then the result, with the room", async () => {
    const { roomId, client } = await student();
    client.send({ username: "Ada", action: "RUN", roomId, role: "Student", payload: { code: 'console.log("hi", [1, 2]); 6 * 7' } });
    const answer = (await client.next()) as ResponseOf<"RUN">;
    expect(answer).toEqual({
      responseType: "RUN",
      room: { id: roomId, teacher: null, students: 1, teachers: 0 },
      payload: {
        codeOutput: "hi [ 1, 2 ]\n42",
        stdout: "hi [ 1, 2 ]",
        stderr: "",
        result: "42",
        error: null,
        truncated: false,
        timedOut: false,
        durationMs: expect.any(Number),
      },
    });
  });

  it("keeps errors apart from stdout, and reports a thrown error", async () => {
    const { roomId, client } = await student();
    const out = await run(client, roomId, 'console.log("a"); console.error("b"); throw new TypeError("boom")');
    expect(out).toMatchObject({ stdout: "a", stderr: "b", error: "TypeError: boom", result: null, codeOutput: "a\nb\nTypeError: boom" });
  });

  it("runs TypeScript with the types stripped", async () => {
    const { roomId, client } = await student();
    const out = await run(client, roomId, "interface P { x: number }\nconst p: P = { x: 20 };\nconst f = (n: number): number => n + 1;\nf(p.x)", "typescript");
    expect(out).toMatchObject({ result: "21", error: null });
  });

  it("runs homework code as the autograder does: exports, and input() and args with no stdin or arguments", async () => {
    const { roomId, client } = await student();
    const code = 'export function add(a, b) { return a + b; }\nconst [a, b] = (input() ?? "2 3").split(" ").map(Number);\nconsole.log(add(a, b), args.length, readLines().length);';
    const out = await run(client, roomId, code);
    expect(out).toMatchObject({ stdout: "5 0 0", error: null });
  });

  it("reports a syntax error", async () => {
    const { roomId, client } = await student();
    const out = await run(client, roomId, "let = ;");
    expect(out.error).toMatch(/^SyntaxError: /);
  });

  it("stops an endless loop and answers within 2 s", async () => {
    const { roomId, client } = await student();
    const started = Date.now();
    const out = await run(client, roomId, "while (true) {}");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(out).toMatchObject({ timedOut: true, error: expect.stringMatching(/^Your program ran too long/) });
  });

  it.each([
    ["an endless chain of awaits", "(async () => { for (;;) await 0; })(); 1"],
    // Each callback queues the next and returns nothing: no chain of promises grows, so time, not memory, runs out.
    ["promise callbacks that requeue themselves", "const again = () => { Promise.resolve().then(again); }; again(); 1"],
  ])("stops %s by the same budget", async (_what, code) => {
    const { roomId, client } = await student();
    const out = await run(client, roomId, code);
    expect(out).toMatchObject({ timedOut: true, result: null, error: "Your program ran too long and was stopped (it may have an endless loop)." });
  });

  describe("memory", () => {
    const exceeded = "Your program ran out of memory (it may use 16 MiB) and was stopped.";

    it("stops a memory bomb", async () => {
      const { roomId, client } = await student();
      const out = await run(client, roomId, "const a = []; while (true) a.push({ n: a.length, s: 'x' + a.length });");
      expect(out).toMatchObject({ error: exceeded, result: null, timedOut: false });
    });

    it("counts large blocks by their size: 60 arrays of 100,000 numbers (48 MB) do not fit", async () => {
      const { roomId, client } = await student();
      const out = await run(client, roomId, "const a = []; for (let i = 0; i < 60; i++) a.push(new Array(1e5).fill(1.5)); a.length");
      expect(out).toMatchObject({ error: exceeded, result: null, timedOut: false });
    });

    it("stops a loop that keeps allocating large arrays with the sandbox's own limit, not the platform's", async () => {
      const { roomId, client } = await student();
      // A RUN answer at all (not RUN_UNAVAILABLE) says the sandbox stopped it, not a runner that died or timed out.
      const out = await run(client, roomId, "const a = []; for (;;) a.push(new Array(1e5).fill(1.5))");
      expect(out).toMatchObject({ error: exceeded, result: null, timedOut: false });
    });

    it.each([
      ["a promise callback", "Promise.resolve().then(() => { const a = []; for (;;) a.push({ n: a.length }); }); 'done'"],
      ["an async function nobody awaits", "(async () => { await 0; const a = []; for (;;) a.push(new Array(1e5).fill(1.5)); })(); 'done'"],
      ["a try/catch that swallows it", "try { const a = []; for (;;) a.push(new Array(1e5).fill(1.5)); } catch {} 'done'"],
      // Each callback returns the next promise, so every promise waits on the next: a chain that only grows.
      ["a chain of promises that only grows", "const again = () => Promise.resolve().then(again); again(); 'done'"],
    ])("fails the run when memory runs out inside %s", async (_where, code) => {
      const { roomId, client } = await student();
      const out = await run(client, roomId, code);
      expect(out).toMatchObject({ error: exceeded, result: null, timedOut: false });
    });

    it("gives the next program all of its memory again", async () => {
      const { roomId, client } = await student();
      await run(client, roomId, "const a = []; for (;;) a.push(new Array(1e5).fill(1.5))");
      const out = await run(client, roomId, "const a = []; for (let i = 0; i < 6; i++) a.push(new Array(1e5).fill(1.5)); a.length");
      expect(out).toMatchObject({ result: "6", error: null });
    });
  });

  it("caps output and marks the cut", async () => {
    const { roomId, client } = await student();
    const out = await run(client, roomId, "for (let i = 0; i < 1e6; i++) console.log('line ' + i)");
    expect(out.truncated).toBe(true);
    expect(out.stdout.length).toBeLessThanOrEqual(64 * 1024);
    expect(out.codeOutput).toContain("… output truncated at 64 KiB");
  });

  it("has no network, no require, and a process that is only its arguments", async () => {
    const { roomId, client } = await student();
    const out = await run(client, roomId, "[typeof fetch, Object.keys(process).join(), Object.isFrozen(process), typeof require, typeof setTimeout, typeof globalThis.__emit]");
    expect(out.result).toBe('[ "undefined", "argv", true, "undefined", "undefined", "undefined" ]');
  });

  it("lets the teacher run code too", async () => {
    const { roomId, teacherToken } = await createRoom();
    const teacher = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
    teacher.send({ username: "Grace", action: "RUN", roomId, role: "Teacher", payload: { code: "'ok'" } });
    expect(await teacher.next()).toMatchObject({ responseType: "RUN", payload: { result: '"ok"' } });
  });

  it("serves everyone else while one participant's program spins", async () => {
    const { roomId, teacherToken } = await createRoom();
    const teacher = await TestClient.joined(roomId, "Grace", "Teacher", teacherToken);
    const spinner = await TestClient.joined(roomId, "Spinner", "Student");
    const ada = await TestClient.joined(roomId, "Ada", "Student");
    await Promise.all([teacher.drain(50), spinner.drain(50)]); // join notices
    spinner.send({ username: "Spinner", action: "RUN", roomId, role: "Student", payload: { code: "while (true) {}" } });
    await new Promise((r) => setTimeout(r, 30)); // the loop is now running in the runner
    const sharedAt = Date.now();
    ada.send({ username: "Ada", action: "SHARE", roomId, role: "Student", payload: { shared_code: "still here" } });
    expect(await teacher.next()).toMatchObject({ responseType: "SHARE", payload: { from: "Ada", shared_code: "still here" } });
    const shareLatency = Date.now() - sharedAt;
    const loopAnswer = await spinner.next(5_000);
    const loopLatency = Date.now() - sharedAt;
    expect(loopAnswer).toMatchObject({ responseType: "RUN", payload: { timedOut: true } });
    // The share was delivered while the loop was still running.
    expect(shareLatency).toBeLessThan(loopLatency);
  });

  it("refuses a second RUN on the same connection while one is running", async () => {
    const { roomId, client } = await student();
    const frame = { username: "Ada", action: "RUN", roomId, role: "Student", payload: { code: "while (true) {}" } } as const;
    client.send(frame);
    client.send(frame);
    expect(await client.next()).toEqual({
      responseType: "ERROR",
      payload: { action: "RUN", code: "RUN_BUSY", error_message: "Your previous program is still running." },
    });
    expect(await client.next()).toMatchObject({ responseType: "RUN", payload: { timedOut: true } });
  });
  describe("caps the result and the error like console output", () => {
    const cap = 64 * 1024;
    const marker = "… output truncated at 64 KiB";
    const withinCap = (out: RunOutput) => {
      for (const field of ["codeOutput", "stdout", "stderr", "result", "error"] as const) expect((out[field] ?? "").length, field).toBeLessThanOrEqual(cap);
    };

    it.each([
      ["a thrown string", 'throw "\\u0001".repeat(3e6)', "error", "Uncaught \u0001\u0001"],
      ["a thrown Error with a huge message", 'throw new Error("z".repeat(3e6))', "error", "Error: zz"],
      ["a huge last value", '"x".repeat(3e6)', "result", '"xx'],
      ["a huge string from toString", 'String({ toString() { return "y".repeat(3e6); } })', "result", '"yy'],
    ] as const)("%s", async (_what, code, field, start) => {
      const { roomId, client } = await student();
      const out = await run(client, roomId, code);
      withinCap(out);
      expect(out.truncated).toBe(true);
      const text = out[field] as string;
      expect(text.startsWith(start)).toBe(true);
      expect(text.endsWith(`\n${marker}`)).toBe(true);
      expect(text.length).toBeGreaterThan(cap - 100);
      expect(out.codeOutput).toBe(text);
    });

    it("keeps the end of a long error visible after long console output, cutting each part", async () => {
      const { roomId, client } = await student();
      const out = await run(client, roomId, 'console.log("a".repeat(60_000)); throw "b".repeat(60_000)');
      withinCap(out);
      const cut = (text: string, room: number) => `${text.slice(0, room - marker.length - 1)}\n${marker}`;
      const error = `Uncaught ${"b".repeat(60_000)}`;
      // Each field is whole; only their join, codeOutput, is over the cap: the error keeps at least half of it.
      expect(out).toMatchObject({ truncated: true, stdout: "a".repeat(60_000), result: null, error });
      expect(out.codeOutput).toBe(`${cut("a".repeat(60_000), cap / 2 - 1)}\n${cut(error, cap / 2)}`);
    });

    it("leaves short answers whole and unmarked", async () => {
      const { roomId, client } = await student();
      const out = await run(client, roomId, 'console.log("a".repeat(30_000)); "b".repeat(30_000)');
      expect(out).toMatchObject({ truncated: false, stdout: "a".repeat(30_000), result: `"${"b".repeat(30_000)}"`, codeOutput: `${"a".repeat(30_000)}\n"${"b".repeat(30_000)}"` });
    });
  });
});
