/**
 * A lecture's bytes on the local provider, and its caption tracks on both:
 * the video with Range requests (a `<video>` element seeks with them), and
 * WebVTT tracks staff upload per language. Members only, like the lecture;
 * everyone else gets 404. Stream's "ready" webhook lands here too.
 */
import { Hono } from "hono";
import { CaptionLanguage, LECTURE_LIMITS } from "../../protocol/lectures";
import { PlainLine } from "../../protocol";
import { serveObject } from "../files/serve";
import { captionTracks, deleteCaptionTrack, lectureByStreamUid, putCaptionTrack, setStreamState, type Lecture } from "../lectures/store";
import { parseWebhook, verifyWebhook } from "../lectures/stream-webhook";
import { captionKey } from "../lectures/videos";
import { streamConfig } from "../lectures/stream-api";
import type { AppContext, AppEnv } from "./context";
import { STAFF, requireActive } from "./course-access";
import { fail } from "./errors";
import { readBytes } from "./body";
import { requireQuota } from "./files";
import { lectureAccess } from "./lectures";

const Label = PlainLine(60);
const VIDEO_EXTENSIONS: Record<string, string> = { "video/webm": "webm", "video/mp4": "mp4", "video/quicktime": "mov", "video/ogg": "ogv" };

function language(c: AppContext): string {
  const parsed = CaptionLanguage.safeParse(c.req.param("lang"));
  if (!parsed.success) fail(400, 'The language must be a tag such as "en" or "pt-BR".');
  return parsed.data;
}

/** A WebVTT file starts with "WEBVTT" (https://www.w3.org/TR/webvtt1/#file-structure); the decoder has already taken off one byte order mark. */
function isWebVtt(text: string): boolean {
  return /^WEBVTT(?:[ \t][^\r\n]*)?(?:\r\n|\r|\n|$)/.test(text);
}

/** Removes every caption track of a lecture from R2 (its rows go with the lecture's). */
export async function removeCaptions(env: Env, lecture: Lecture): Promise<void> {
  const tracks = await captionTracks(env.DB, lecture.id);
  if (tracks.length) await env.FILES.delete(tracks.map((t) => t.r2Key));
}

export const lectureMediaRoutes = new Hono<AppEnv>()
  .get("/:lectureId/video", async (c) => {
    const { lecture } = await lectureAccess(c, c.req.param("lectureId"));
    if (lecture.state !== "ready" || !lecture.r2Key || !lecture.etag) fail(404, "This lecture has no video to play here.");
    return serveObject(
      c,
      c.env.FILES,
      { id: lecture.id, name: `${lecture.title}.${VIDEO_EXTENSIONS[lecture.contentType] ?? "video"}`, r2Key: lecture.r2Key, size: lecture.size, etag: lecture.etag, contentType: lecture.contentType },
      "No such lecture.",
      // Opened on its own, the browser's media page must be allowed to load the video itself; still nothing else, and no script.
      "default-src 'none'; media-src 'self'; sandbox",
    );
  })
  .get("/:lectureId/captions/:lang", async (c) => {
    const { lecture } = await lectureAccess(c, c.req.param("lectureId"));
    const lang = language(c);
    const track = (await captionTracks(c.env.DB, lecture.id)).find((t) => t.lang === lang);
    if (!track) fail(404, "No captions in that language.");
    const object = await c.env.FILES.head(track.r2Key);
    if (!object) fail(404, "No captions in that language.");
    return serveObject(c, c.env.FILES, { id: lecture.id, name: `${lang}.vtt`, r2Key: track.r2Key, size: track.size, etag: object.httpEtag, contentType: "text/vtt" }, "No captions in that language.");
  })
  .put("/:lectureId/captions/:lang", async (c) => {
    const { lecture, access } = await lectureAccess(c, c.req.param("lectureId"), STAFF);
    requireActive(access.course);
    const lang = language(c);
    const label = Label.safeParse(c.req.query("label") ?? lang);
    if (!label.success) fail(400, "The label must be one line of at most 60 characters.");
    const tracks = await captionTracks(c.env.DB, lecture.id);
    if (!tracks.some((t) => t.lang === lang) && tracks.length >= LECTURE_LIMITS.maxCaptionTracks) fail(409, `A lecture has at most ${LECTURE_LIMITS.maxCaptionTracks} caption tracks.`);
    // Small enough to read whole, and it must be read to be checked.
    const bytes = await readBytes(c, LECTURE_LIMITS.maxCaptionBytes);
    const size = bytes.byteLength;
    // Captions are kept in R2 whichever provider has the video; a replaced track gives back its own room.
    await requireQuota(c, lecture.courseId, size - (tracks.find((t) => t.lang === lang)?.size ?? 0));
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      fail(415, "Captions must be UTF-8 text.");
    }
    if (!isWebVtt(text)) fail(415, 'Captions must be a WebVTT file (it starts with "WEBVTT").');
    const r2Key = captionKey(lecture.courseId, lecture.id, lang);
    await c.env.FILES.put(r2Key, text, { httpMetadata: { contentType: "text/vtt" } });
    await putCaptionTrack(c.env.DB, lecture.id, { lang, label: label.data, r2Key, size }, Date.now());
    return c.json({ lang, label: label.data, src: `/api/lectures/${lecture.id}/captions/${lang}` }, 201);
  })
  .delete("/:lectureId/captions/:lang", async (c) => {
    const { lecture, access } = await lectureAccess(c, c.req.param("lectureId"), STAFF);
    requireActive(access.course);
    const lang = language(c);
    const track = (await captionTracks(c.env.DB, lecture.id)).find((t) => t.lang === lang);
    if (!track) fail(404, "No captions in that language.");
    await deleteCaptionTrack(c.env.DB, lecture.id, lang);
    await c.env.FILES.delete(track.r2Key);
    return c.body(null, 204);
  });

/**
 * Stream's notification that a video is ready or failed, signed with the
 * webhook secret (https://developers.cloudflare.com/stream/manage-video-library/using-webhooks/).
 * A notification about a video that is not a lecture is acknowledged and
 * ignored, so Stream does not retry it.
 */
export const streamWebhookRoutes = new Hono<AppEnv>().post("/webhook", async (c) => {
  const secret = streamConfig(c.env as unknown as Record<string, unknown>)?.webhookSecret;
  if (!secret) fail(404, "No such endpoint.");
  const raw = new TextDecoder().decode(await readBytes(c, 64 * 1024));
  if (!(await verifyWebhook(secret, c.req.header("webhook-signature") ?? null, raw, Date.now()))) fail(401, "Bad signature.");
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    fail(400, "Body is not valid JSON.");
  }
  const report = parseWebhook(body);
  // Signed, so Stream's: a notice about something else (a live input) is acknowledged, or Stream would retry it.
  if (!report) return c.json({ ok: true, changed: false });
  const lecture = await lectureByStreamUid(c.env.DB, report.uid);
  const changed = lecture ? await setStreamState(c.env.DB, lecture.id, report, Date.now()) : false;
  return c.json({ ok: true, changed });
});
