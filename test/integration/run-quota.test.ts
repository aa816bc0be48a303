/**
 * Per-user quotas on RUN across every room: programs running at once and
 * programs started per minute. Rooms are separate Durable Objects, so the
 * count lives in D1, taken by one statement that parallel runs cannot all pass.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../../protocol";
import { RUNNER_TIMEOUT_MS, RUN_QUOTA } from "../../worker/lib/run-code";
import { TestClient, createRoom } from "../helpers/client";
import { signUp, type Account } from "../helpers/users";

interface Seat {
  roomId: string;
  client: TestClient;
}

/** `who` joined as a student in `n` rooms of their own. */
async function seats(who: Account, n: number): Promise<Seat[]> {
  const out: Seat[] = [];
  for (let i = 0; i < n; i++) {
    const { roomId } = await createRoom();
    out.push({ roomId, client: await TestClient.joined(roomId, who, "Student") });
  }
  return out;
}

function run({ roomId, client }: Seat, code: string): void {
  client.send({ username: client.account.user.name, action: "RUN", roomId, role: "Student", payload: { code } });
}

/** The answer to a RUN: the RUN frame, or the ERROR that refused it. */
async function answer(seat: Seat): Promise<ServerMessage> {
  for (;;) {
    const frame = await seat.client.next(10_000);
    if (frame.responseType === "RUN" || frame.responseType === "ERROR") return frame;
  }
}

const rows = async (userId: string) =>
  (await env.DB.prepare("SELECT started_at, finished_at FROM code_runs WHERE user_id = ?").bind(userId).all<{ started_at: number; finished_at: number | null }>()).results;

describe("RUN quotas per user, across rooms", () => {
  it(`lets one account run ${RUN_QUOTA.atOnce} programs at once, however many RUNs arrive together, and refuses the rest with nothing run`, async () => {
    const ada = await signUp("Ada");
    const mine = await seats(ada, 5);
    for (const seat of mine) run(seat, "while (true) {}");
    const answers = await Promise.all(mine.map(answer));

    const refused = answers.filter((a) => a.responseType === "ERROR");
    expect(answers.filter((a) => a.responseType === "RUN")).toHaveLength(RUN_QUOTA.atOnce);
    expect(refused).toHaveLength(5 - RUN_QUOTA.atOnce);
    for (const frame of refused) {
      expect(frame).toEqual({
        responseType: "ERROR",
        payload: {
          action: "RUN",
          code: "RATE_LIMITED",
          error_message: expect.stringMatching(new RegExp(`^You already have ${RUN_QUOTA.atOnce} programs running \\(here or in another room\\); try again in \\d+ s, or once one has finished\\.$`)),
        },
      });
    }
    // A refused RUN ran nothing and counted nothing: no RUN frame follows, no row was added.
    for (const seat of mine) expect(await seat.client.drain(100)).toEqual([]);
    const left = await rows(ada.user.id);
    expect(left).toHaveLength(RUN_QUOTA.atOnce);
    expect(left.every((r) => r.finished_at !== null)).toBe(true);

    // Both finished: the account may run again.
    run(mine[4]!, "6 * 7");
    expect(await answer(mine[4]!)).toMatchObject({ responseType: "RUN", payload: { result: "42" } });
  });

  it("does not hold another account to someone else's runs", async () => {
    const [ada, bob] = [await signUp("Ada"), await signUp("Bob")];
    const adas = await seats(ada, RUN_QUOTA.atOnce);
    const [bobs] = await seats(bob, 1);
    for (const seat of adas) run(seat, "while (true) {}");
    await waitFor(async () => (await rows(ada.user.id)).length === RUN_QUOTA.atOnce);
    run(bobs!, "1 + 1");
    expect(await answer(bobs!)).toMatchObject({ responseType: "RUN", payload: { result: "2" } });
    await Promise.all(adas.map(answer));
  });

  it(`refuses the run past ${RUN_QUOTA.perMinute} a minute, saying when to try again`, async () => {
    const ada = await signUp("Ada");
    const mine = await seats(ada, 2);
    // Alternating between two rooms keeps each socket within its own rate limit.
    for (let i = 0; i < RUN_QUOTA.perMinute; i++) {
      const seat = mine[i % 2]!;
      run(seat, "1");
      expect(await answer(seat), `run #${i + 1}`).toMatchObject({ responseType: "RUN" });
    }
    run(mine[0]!, "1");
    const refused = await answer(mine[0]!);
    expect(refused).toMatchObject({ responseType: "ERROR", payload: { action: "RUN", code: "RATE_LIMITED" } });
    const message = refused.responseType === "ERROR" ? refused.payload.error_message : "";
    const wait = Number(/^At most 30 runs a minute: try again in (\d+) s\.$/.exec(message)?.[1]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await rows(ada.user.id)).toHaveLength(RUN_QUOTA.perMinute);
  });

  it("counts a run nobody finished as running only until its deadline", async () => {
    const ada = await signUp("Ada");
    const [seat] = await seats(ada, 1);
    const now = Date.now();
    // Rows as a room that crashed mid-run leaves them: started, never finished.
    const strand = (startedAt: number) =>
      env.DB.prepare("INSERT INTO code_runs (id, user_id, started_at, finished_at) VALUES (?, ?, ?, NULL)").bind(crypto.randomUUID(), ada.user.id, startedAt);
    await env.DB.batch(Array.from({ length: RUN_QUOTA.atOnce }, () => strand(now - 1_000)));
    run(seat!, "1");
    expect(await answer(seat!)).toMatchObject({ responseType: "ERROR", payload: { code: "RATE_LIMITED" } });

    await env.DB.prepare("UPDATE code_runs SET started_at = ? WHERE user_id = ?").bind(now - RUNNER_TIMEOUT_MS - 1_000, ada.user.id).run();
    run(seat!, "1");
    expect(await answer(seat!)).toMatchObject({ responseType: "RUN", payload: { result: "1" } });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
