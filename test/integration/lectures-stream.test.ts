/**
 * Lectures on the Stream provider, through the app's routes, with Stream's
 * API answered by a double that follows its documentation
 * (test/helpers/stream-double.ts): the provider is picked when the
 * credentials are set; uploads go straight to Stream (one POST, or tus past
 * 200 MB); the signed webhook makes a lecture ready; members get a signed
 * HLS manifest; deleting removes the video from Stream.
 */
import { createExecutionContext, env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CreatedLecture, LectureDetail } from "../../protocol/lectures";
import worker from "../../worker/index";
import { liveInputs } from "../../worker/lectures/videos";
import { courseWorld } from "../helpers/courses";
import { signWebhook, streamDouble, type StreamDouble } from "../helpers/stream-double";
import { BASE, type Account } from "../helpers/users";

const SECRET = "whsec-test";
let stream: StreamDouble;

beforeEach(() => {
  stream = streamDouble();
  vi.spyOn(globalThis, "fetch").mockImplementation(stream.fetch);
});
afterEach(() => vi.restoreAllMocks());

/** The app as deployed with Stream's secrets set. */
function withStream(): Env {
  return {
    ...env,
    STREAM_ACCOUNT_ID: stream.config.accountId,
    STREAM_API_TOKEN: stream.config.apiToken,
    STREAM_CUSTOMER_CODE: stream.config.customerCode,
    STREAM_WEBHOOK_SECRET: SECRET,
    // The deployed default: the test config's 24 MiB is for the local provider's R2 tests.
    MAX_LECTURE_BYTES: String(8 * 1024 ** 3),
  } as Env;
}

async function call<T>(who: Account | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const init: RequestInit = { method, headers: { Origin: BASE, ...(who ? { Cookie: who.cookie } : {}), ...headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const res = await worker.fetch(new Request(`${BASE}${path}`, init), withStream(), createExecutionContext());
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const create = (who: Account, courseId: string, size: number) =>
  call<CreatedLecture>(who, "POST", `/api/courses/${courseId}/lectures`, { title: "Week 2", name: "week2.mp4", size, contentType: "video/mp4" });

async function webhook(body: object, signature?: string) {
  const raw = JSON.stringify(body);
  return call<{ ok: boolean; changed: boolean }>(null, "POST", "/api/stream/webhook", raw, { "webhook-signature": signature ?? (await signWebhook(SECRET, raw)) });
}

describe("lectures on Stream", () => {
  it("hands the browser a direct creator upload URL, signed playback only, and a lecture that waits for Stream", async () => {
    const w = await courseWorld();
    const made = await create(w.ta, w.courseId, 50_000_000);
    expect(made.status).toBe(201);
    expect(made.body.lecture).toMatchObject({ provider: "stream", state: "uploading" });
    expect(made.body.upload).toEqual({ kind: "stream-basic", url: expect.stringMatching(/^https:\/\/upload\.videodelivery\.net\//) });
    const asked = stream.requests.find((r) => r.url.endsWith("/stream/direct_upload"))!;
    expect(asked.body).toMatchObject({ requireSignedURLs: true, maxDurationSeconds: 6 * 3600, meta: { name: "week2.mp4" } });
    // Stream bills its own storage: nothing was reserved in the course's R2 quota.
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM uploads WHERE course_id = ?").bind(w.courseId).first()).toEqual({ n: 0 });
  });

  it("uses tus past Stream's 200 MB one-request limit", async () => {
    const w = await courseWorld();
    const made = await create(w.ta, w.courseId, 200_000_001);
    expect(made.body.upload).toEqual({ kind: "stream-tus", url: expect.stringMatching(/^https:\/\//) });
    const asked = stream.requests.find((r) => r.url.includes("/stream?direct_user=true"))!;
    expect(asked.headers["upload-length"]).toBe("200000001");
    expect(asked.headers["tus-resumable"]).toBe("1.0.0");
  });

  it("moves to processing when the browser is done and Stream has the bytes, and to ready on the signed webhook", async () => {
    const w = await courseWorld();
    const made = await create(w.ta, w.courseId, 1000);
    const id = made.body.lecture.id;
    const uid = [...stream.videos.keys()][0]!;
    // The browser says it is done before Stream has the bytes: refused, nothing changes.
    expect((await call(w.ta, "POST", `/api/lectures/${id}/uploaded`)).status).toBe(409);
    stream.setVideo(uid, { status: { state: "inprogress", pctComplete: "10" }, readyToStream: false });
    expect((await call<LectureDetail>(w.ta, "POST", `/api/lectures/${id}/uploaded`)).body).toMatchObject({ state: "processing", playback: null });
    expect((await call(w.student, "GET", `/api/lectures/${id}`)).status).toBe(404);

    const notice = { uid, readyToStream: true, status: { state: "ready" }, duration: 5.5, meta: { name: "week2.mp4" } };
    expect((await webhook(notice, "time=1,sig1=00")).status).toBe(401);
    expect((await webhook({ ...notice, uid: "f".repeat(32) })).body).toEqual({ ok: true, changed: false });
    expect((await webhook(notice)).body).toEqual({ ok: true, changed: true });
    // A signed notice about something that is not a video (a live input's) is acknowledged, so Stream stops sending it.
    expect(await webhook({ name: "Live input connected", data: { input_id: "abc", event_type: "live_input.connected" } })).toEqual({ status: 200, body: { ok: true, changed: false } });

    const seen = await call<LectureDetail>(w.student, "GET", `/api/lectures/${id}`);
    expect(seen.body).toMatchObject({ state: "ready", duration: 5.5, playback: { kind: "hls" } });
    const src = (seen.body.playback as { src: string }).src;
    expect(src).toMatch(new RegExp(`^https://customer-${stream.config.customerCode}\\.cloudflarestream\\.com/[\\w-]+\\.[\\w-]+\\.[\\w-]+/manifest/video\\.m3u8$`));
    expect(src).not.toContain(uid); // the uid alone never plays: only the signed token
    // A late "processing" notice never takes a ready lecture back.
    expect((await webhook({ ...notice, readyToStream: false, status: { state: "inprogress" } })).body).toEqual({ ok: true, changed: false });
  });

  it("reports Stream's failure, and deletes the video from Stream with the lecture", async () => {
    const w = await courseWorld();
    const made = await create(w.ta, w.courseId, 1000);
    const uid = [...stream.videos.keys()][0]!;
    await webhook({ uid, readyToStream: false, status: { state: "error", errorReasonCode: "ERR_NON_VIDEO", errorReasonText: "The file was not recognized as a valid video file." } });
    expect((await call<LectureDetail>(w.ta, "GET", `/api/lectures/${made.body.lecture.id}`)).body.state).toBe("failed");
    expect((await call(w.ta, "DELETE", `/api/lectures/${made.body.lecture.id}`)).status).toBe(204);
    expect(stream.requests.at(-1)).toMatchObject({ method: "DELETE", url: expect.stringContaining(`/stream/${uid}`) });
    expect(stream.videos.has(uid)).toBe(false);
  });

  it("opens a live input per broadcast with WHIP and WHEP URLs, and deletes it after", async () => {
    const inputs = liveInputs(withStream())!;
    const input = await inputs.open("Week 4 (class-abc123)");
    expect(input).toEqual({ uid: expect.any(String), whipUrl: expect.stringMatching(/^https:\/\/.+\/webRTC\/publish$/), whepUrl: expect.stringMatching(/^https:\/\/.+\/webRTC\/play$/) });
    expect(stream.requests.at(-1)).toMatchObject({ method: "POST", url: expect.stringMatching(/\/stream\/live_inputs$/), body: { meta: { name: "Week 4 (class-abc123)" }, recording: { mode: "off" } } });
    await inputs.close(input.uid);
    expect(stream.requests.at(-1)).toMatchObject({ method: "DELETE", url: expect.stringContaining(`/stream/live_inputs/${input.uid}`) });
    expect(stream.liveInputs.has(input.uid)).toBe(false);
    // Without Stream's secrets there is no live input: the room relays WebRTC signalling instead.
    expect(liveInputs(env)).toBeNull();
  });

  it("answers 502 with Stream's reason when Stream refuses, and leaves no lecture behind", async () => {
    const w = await courseWorld();
    stream.failNext({ kind: "http", status: 500, message: "Internal error" });
    const made = await create(w.ta, w.courseId, 1000);
    expect(made).toEqual({ status: 502, body: { error: expect.stringMatching(/^Cloudflare Stream refused the request: .*Internal error/) } });
    expect(JSON.stringify(made.body)).not.toContain(stream.config.apiToken);
    expect((await call<{ lectures: unknown[] }>(w.ta, "GET", `/api/courses/${w.courseId}/lectures`)).body.lectures).toEqual([]);
  });
});
