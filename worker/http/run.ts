/**
 * POST /api/run: runs a program outside a room, for the lecture page's
 * practice editor (the code taken from a recording). The same sandbox and
 * the same per-user quota as RUN in a room (lib/run-code.ts).
 */
import { Hono } from "hono";
import { Program } from "../../protocol/requests";
import { runWithQuota } from "../lib/run-code";
import { readJson } from "./body";
import { requireUser, type AppEnv } from "./context";
import { failForNow } from "./errors";

/** 512 Ki characters of code, at up to 4 bytes each in UTF-8, in JSON. */
const MAX_BODY_BYTES = 2.5 * 1024 * 1024;

export const runRoutes = new Hono<AppEnv>().post("/", async (c) => {
  const user = requireUser(c);
  const program = await readJson(c, Program, MAX_BODY_BYTES);
  const run = await runWithQuota(c.env.DB, c.env.RUNNER, user.id, program, Date.now());
  if (!("output" in run)) {
    if (run.code === "RATE_LIMITED") failForNow(429, run.error_message, run.retryAfterSeconds ?? 5);
    // A restarting runner is back within seconds (worker/runner; deployed, the platform restarts it at once).
    failForNow(503, run.error_message, 5);
  }
  c.executionCtx.waitUntil(run.finish());
  return c.json(run.output);
});
