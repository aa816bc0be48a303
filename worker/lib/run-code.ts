/**
 * Running a user's program in the sandboxed runner Worker within their run
 * quota, for the room's RUN and for the lecture page's practice editor
 * (POST /api/run) alike: the quota is per user across both.
 */
import { RunOutput, type Language } from "../../protocol";
import { reject, type Rejection } from "../room/rules";
import { RUNNER_ANSWER_MAX_BYTES, readAnswerCapped } from "./read-capped";
import { newId } from "./secrets";

/**
 * A run is stopped by its interrupt budget within about 2 s, and the runner
 * Worker's CPU limit (5 s, worker/runner/wrangler.toml) ends anything the
 * budget misses; an answer later than this is not coming, and the student
 * should be free to run again.
 */
export const RUNNER_TIMEOUT_MS = 15_000;

/**
 * Per user, across every room and connection: programs running at once, and
 * programs started in the last minute. The per-connection limits alone would
 * let one account keep an endless loop going in every room it opens.
 */
export const RUN_QUOTA = { atOnce: 2, perMinute: 30, windowMs: 60_000 } as const;

/** code_runs rows older than this count for no limit: the hourly sweep deletes them (worker/auth/sweep.ts). */
export const CODE_RUNS_KEPT_MS = RUN_QUOTA.windowMs;

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Takes one of `userId`'s run slots, or says which limit refuses it. Rooms
 * are separate Durable Objects, so the count is in D1; the check and the
 * insert are one statement, and D1 runs one statement at a time, so of many
 * parallel runs only as many as the quota allows get a row. A run with no
 * finished_at counts as running only until the room's deadline for its
 * answer: a room that crashed mid-run holds no slot for ever.
 */
/** A refused run: why, and (for the quota) in how many seconds a slot frees. */
export type RunRefusal = Rejection & { retryAfterSeconds?: number };

async function takeRunSlot(db: D1Database, userId: string, now: number): Promise<{ ok: true; id: string } | RunRefusal> {
  const id = newId(16);
  const taken = await db
    .prepare(
      `INSERT INTO code_runs (id, user_id, started_at)
       SELECT ?1, ?2, ?3
       WHERE (SELECT COUNT(*) FROM code_runs WHERE user_id = ?2 AND started_at > ?3 - ?4 AND finished_at IS NULL) < ?5
         AND (SELECT COUNT(*) FROM code_runs WHERE user_id = ?2 AND started_at > ?3 - ?6) < ?7`,
    )
    .bind(id, userId, now, RUNNER_TIMEOUT_MS, RUN_QUOTA.atOnce, RUN_QUOTA.windowMs, RUN_QUOTA.perMinute)
    .run();
  if (taken.meta.changes === 1) return { ok: true, id };
  // Refused: read which limit, and when it frees a slot (only now, so a run that passes costs one statement).
  const usage = await db
    .prepare(
      `SELECT COUNT(*) AS recent, MIN(started_at) AS oldest,
              MIN(CASE WHEN finished_at IS NULL AND started_at > ?2 - ?3 THEN started_at END) AS oldest_running
       FROM code_runs WHERE user_id = ?1 AND started_at > ?2 - ?4`,
    )
    .bind(userId, now, RUNNER_TIMEOUT_MS, RUN_QUOTA.windowMs)
    .first<{ recent: number; oldest: number | null; oldest_running: number | null }>();
  if (usage && usage.recent >= RUN_QUOTA.perMinute && usage.oldest !== null) {
    const wait = seconds(usage.oldest + RUN_QUOTA.windowMs - now);
    return { ...reject("RATE_LIMITED", `At most ${RUN_QUOTA.perMinute} runs a minute: try again in ${wait} s.`), retryAfterSeconds: wait };
  }
  const frees = usage?.oldest_running != null ? usage.oldest_running + RUNNER_TIMEOUT_MS - now : 0;
  return {
    ...reject(
      "RATE_LIMITED",
      `You already have ${RUN_QUOTA.atOnce} programs running (here or in another room); try again in ${seconds(frees)} s, or once one has finished.`,
    ),
    retryAfterSeconds: seconds(frees),
  };
}

export interface StartedRun {
  output: RunOutput;
  /** Frees the run's slot; call it once the answer is on its way (the user waits for the program, not for this write). */
  finish(): Promise<void>;
}

/** Takes a run slot and runs the program; a refusal (quota, runner down) says why, with nothing run. */
export async function runWithQuota(db: D1Database, runner: Env["RUNNER"], userId: string, program: { code: string; language?: Language | undefined }, now: number): Promise<StartedRun | RunRefusal> {
  const slot = await takeRunSlot(db, userId, now).catch((error: unknown) => {
    console.error("run: quota unreadable", error);
    return reject("RUN_UNAVAILABLE", RUNNER_UNREACHABLE);
  });
  if (!slot.ok) return slot;
  const output = await execute(runner, program);
  const finish = () =>
    db
      .prepare("UPDATE code_runs SET finished_at = ? WHERE id = ?")
      .bind(Date.now(), slot.id)
      .run()
      .then(() => undefined)
      .catch((error: unknown) => console.error("run: not marked finished (its slot frees at the deadline)", error));
  if (output === "not-running") {
    await finish();
    return reject("RUN_UNAVAILABLE", RUNNER_NOT_RUNNING);
  }
  if (!output) {
    await finish();
    return reject("RUN_UNAVAILABLE", RUNNER_UNREACHABLE);
  }
  return { output, finish };
}

/**
 * Only local development can lack the runner: deployed, a service binding to
 * a missing Worker fails the deploy. A plain `npx wrangler dev` serves the
 * app alone, and its binding then throws this (wrangler's dev registry).
 * https://developers.cloudflare.com/workers/development-testing/multi-workers/
 */
const LOCAL_RUNNER_MISSING = /Worker "[^"]+" not found\. Make sure it is running locally/;
export const RUNNER_UNREACHABLE = "The code runner isn't reachable right now. Try again in a moment.";
export const RUNNER_NOT_RUNNING =
  "The code runner is not running. Start it in a second terminal with `npx wrangler dev -c worker/runner/wrangler.toml`, or use `npm start`, which starts both.";

/** The program's output; "not-running" when local development has no runner; null when the runner did not answer in time, within the byte limit, or with a RunOutput. */
async function execute(runner: Env["RUNNER"], program: { code: string; language?: Language | undefined }): Promise<RunOutput | "not-running" | null> {
  try {
    // The runner is another Worker: awaiting it leaves the caller (a room) free to serve everyone else.
    const answer = await readAnswerCapped(runner.run({ code: program.code, language: program.language }), {
      maxBytes: RUNNER_ANSWER_MAX_BYTES,
      timeoutMs: RUNNER_TIMEOUT_MS,
    });
    const checked = RunOutput.safeParse(answer);
    if (checked.success) return checked.data;
    console.error("run: the runner answered something other than a RunOutput");
  } catch (error) {
    if (error instanceof Error && LOCAL_RUNNER_MISSING.test(error.message)) return "not-running";
    console.error("run: runner unreachable, too slow or too large", error);
  }
  return null;
}
