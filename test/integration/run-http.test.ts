/**
 * POST /api/run: the lecture page's practice editor runs code in the same
 * sandbox, under the same per-user quota, as RUN in a room.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { RUN_QUOTA, RUNNER_NOT_RUNNING, RUNNER_UNREACHABLE } from "../../worker/lib/run-code";
import { api } from "../helpers/client";
import { signUp } from "../helpers/users";

describe("POST /api/run", () => {
  it("runs a program for a signed-in user and answers its output", async () => {
    const ada = await signUp("Ada");
    const res = await ada.json("POST", "/api/run", { code: "console.log('hi', [1, 2]); 40 + 2" });
    expect(res).toEqual({ status: 200, body: expect.objectContaining({ stdout: "hi [ 1, 2 ]", error: null, timedOut: false }) });
    const ts = await ada.json("POST", "/api/run", { code: "const n: number = 3; console.log(n * 2)", language: "typescript" });
    expect(ts.body).toMatchObject({ stdout: "6", error: null });
  });

  it("refuses without a session, with a malformed body, and past the user's quota (shared with the rooms)", async () => {
    expect((await api("/api/run", { method: "POST", body: JSON.stringify({ code: "1" }) })).status).toBe(401);
    const ada = await signUp("Ada");
    expect((await ada.json("POST", "/api/run", { code: 1 })).status).toBe(400);
    expect((await ada.json("POST", "/api/run", { code: "1", language: "cobol" })).status).toBe(400);
    const now = Date.now();
    for (let i = 0; i < RUN_QUOTA.perMinute; i++) {
      await env.DB.prepare("INSERT INTO code_runs (id, user_id, started_at, finished_at) VALUES (?, ?, ?, ?)").bind(`r${i}${now}`, ada.user.id, now - 1000, now - 500).run();
    }
    const refused = await ada.fetch("/api/run", { method: "POST", body: JSON.stringify({ code: "1" }) });
    const body = (await refused.json()) as { error: string };
    expect([refused.status, body]).toEqual([429, { error: expect.stringMatching(/^At most 30 runs a minute: try again in \d+ s\.$/) }]);
    // Retry-After says the same wait as the message.
    expect(refused.headers.get("retry-after")).toBe(/in (\d+) s/.exec(body.error)![1]);
  });

  it("answers 503 with Retry-After while the runner is unreachable, and says how to start it where local development lacks it", async () => {
    const ada = await signUp("Ada");
    const post = async (run: () => Promise<never>) => {
      const ctx = createExecutionContext();
      const res = await app.request(
        "http://127.0.0.1/api/run",
        { method: "POST", headers: { cookie: ada.cookie, origin: "http://127.0.0.1", "content-type": "application/json" }, body: JSON.stringify({ code: "1" }) },
        { ...env, RUNNER: { run } as unknown as typeof env.RUNNER },
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return [res.status, res.headers.get("retry-after"), await res.json()];
    };
    expect(await post(() => Promise.reject(new Error("connection reset")))).toEqual([503, "5", { error: RUNNER_UNREACHABLE }]);
    // wrangler's dev registry, for a runner Worker that is not running.
    expect(await post(() => Promise.reject(new Error('Worker "thirdspace-runner" not found. Make sure it is running locally.')))).toEqual([503, "5", { error: RUNNER_NOT_RUNNING }]);
  });
});
