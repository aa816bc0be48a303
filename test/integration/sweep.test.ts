/**
 * The Cron Trigger's sweep: expired sessions, counters whose window is over,
 * trusted addresses past 30 days, code runs past the quota's minute and
 * uploads past their week are deleted;
 * everything still in force stays, and an expired upload's R2 parts go too.
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { GradeJob } from "../../worker/homework/grader";
import worker from "../../worker/index";
import { courseWorld } from "../helpers/courses";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

async function runCron(now: number) {
  const ctx = createExecutionContext();
  const handler: ExportedHandler<Env, GradeJob> = worker;
  await handler.scheduled!(createScheduledController({ scheduledTime: now, cron: "0 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function seedUpload(id: string, courseId: string, userId: string, createdAt: number) {
  const r2Key = `sweep-test/${id}`;
  const multipart = await env.FILES.createMultipartUpload(r2Key);
  await env.DB.prepare(
    `INSERT INTO uploads (id, course_id, user_id, name, size, content_type, visibility, r2_key, r2_upload_id, part_size, created_at)
     VALUES (?, ?, ?, 'a.bin', 10, 'application/octet-stream', 'staff', ?, ?, 5242880, ?)`,
  )
    .bind(id, courseId, userId, r2Key, multipart.uploadId, createdAt)
    .run();
  await env.DB.prepare("INSERT INTO upload_parts (upload_id, part_number, etag, size) VALUES (?, 1, 'e', 10)").bind(id).run();
  return { r2Key, uploadId: multipart.uploadId };
}

const stillOpen = (r2Key: string, uploadId: string) =>
  env.FILES.resumeMultipartUpload(r2Key, uploadId)
    .uploadPart(1, "0123456789")
    .then(() => true)
    .catch(() => false);

describe("scheduled sweep", () => {
  it("deletes only what has expired", async () => {
    const w = await courseWorld();
    const userId = w.student.user.id;
    const now = Date.now();
    // Unique tags keep this test's rows apart from any other file's.
    const tag = crypto.randomUUID();

    const sessions: [string, number][] = [
      [`${tag}-expired`, now - MINUTE],
      [`${tag}-expires-now`, now],
      [`${tag}-live`, now + MINUTE],
    ];
    for (const [hash, expires] of sessions) {
      await env.DB.prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)").bind(hash, userId, expires - 14 * DAY, expires).run();
    }

    const counters: [string, number][] = [
      [`pair:${tag}@x:1.2.3.4`, now - 61 * MINUTE],
      [`pair:${tag}@y:1.2.3.4`, now - 14 * MINUTE],
      [`address:${tag}`, now - 2 * DAY],
      [`account:${tag}@x`, now - 59 * MINUTE],
      [`signup:${tag}`, now - 60 * MINUTE],
      [`trusted:${tag}@x:1.2.3.4`, now - 31 * DAY],
      [`trusted:${tag}@y:1.2.3.4`, now - 29 * DAY],
      [`trusted:${tag}@z:1.2.3.4`, now - 2 * DAY],
    ];
    for (const [key, start] of counters) {
      await env.DB.prepare("INSERT INTO login_failures (key, window_start, failures) VALUES (?, ?, 3)").bind(key, start).run();
    }

    // Runs count toward a quota for a minute (worker/room/code.ts); finished or not, older rows count for nothing.
    const runs: [string, number, number | null][] = [
      [`${tag}-run-old`, now - 2 * MINUTE, now - 2 * MINUTE + 500],
      [`${tag}-run-stranded`, now - 61 * MINUTE, null],
      [`${tag}-run-recent`, now - 30_000, now - 29_000],
      [`${tag}-run-running`, now - 1_000, null],
    ];
    for (const [id, started, finished] of runs) {
      await env.DB.prepare("INSERT INTO code_runs (id, user_id, started_at, finished_at) VALUES (?, ?, ?, ?)").bind(id, userId, started, finished).run();
    }

    const oldUpload = await seedUpload(`${tag}-old`, w.courseId, w.instructor.user.id, now - 8 * DAY);
    const freshUpload = await seedUpload(`${tag}-fresh`, w.courseId, w.instructor.user.id, now - 6 * DAY);

    await runCron(now);

    const left = await env.DB.prepare("SELECT token_hash FROM sessions WHERE token_hash LIKE ? ORDER BY token_hash").bind(`${tag}%`).all<{ token_hash: string }>();
    expect(left.results.map((r) => r.token_hash)).toEqual([`${tag}-live`]);

    const kept = await env.DB.prepare("SELECT key FROM login_failures WHERE key LIKE ? ORDER BY key").bind(`%${tag}%`).all<{ key: string }>();
    expect(kept.results.map((r) => r.key)).toEqual([`account:${tag}@x`, `pair:${tag}@y:1.2.3.4`, `trusted:${tag}@y:1.2.3.4`, `trusted:${tag}@z:1.2.3.4`]);

    const uploads = await env.DB.prepare("SELECT id FROM uploads WHERE id LIKE ?").bind(`${tag}%`).all<{ id: string }>();
    expect(uploads.results.map((r) => r.id)).toEqual([`${tag}-fresh`]);
    const parts = await env.DB.prepare("SELECT upload_id FROM upload_parts WHERE upload_id LIKE ?").bind(`${tag}%`).all<{ upload_id: string }>();
    expect(parts.results.map((r) => r.upload_id)).toEqual([`${tag}-fresh`]);

    const runsLeft = await env.DB.prepare("SELECT id FROM code_runs WHERE id LIKE ? ORDER BY id").bind(`${tag}%`).all<{ id: string }>();
    expect(runsLeft.results.map((r) => r.id)).toEqual([`${tag}-run-recent`, `${tag}-run-running`]);

    expect(await stillOpen(oldUpload.r2Key, oldUpload.uploadId)).toBe(false);
    expect(await stillOpen(freshUpload.r2Key, freshUpload.uploadId)).toBe(true);

    // A signed-in account is untouched: its session is live.
    expect((await w.student.json("GET", "/api/me")).status).toBe(200);
  });
});
