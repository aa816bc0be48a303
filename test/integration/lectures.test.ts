/**
 * Recorded lectures on the local provider (R2): upload in parts into a
 * lecture, states, playback with Range, captions, chapters, each viewer's
 * position, members only, deletion. (Test config: parts of 5 MiB, lectures
 * up to 24 MiB, 30 MiB per course.)
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CreatedLecture, LectureDetail, LectureInfo } from "../../protocol/lectures";
import { courseWorld, type CourseWorld } from "../helpers/courses";
import { patternBytes as bytes } from "../helpers/bytes";
import type { Account } from "../helpers/users";

const MiB = 1024 * 1024;
const PART = 5 * MiB;


const create = (who: Account, courseId: string, body: object) => who.json<CreatedLecture & { error?: string; fields?: object }>("POST", `/api/courses/${courseId}/lectures`, body);
const put = (who: Account, uploadId: string, n: number, body: BodyInit) => who.fetch(`/api/uploads/${uploadId}/parts/${n}`, { method: "PUT", body });
const VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nHello, class.\n";

/** A ready lecture of `size` bytes, uploaded by the TA in parts. */
async function readyLecture(w: CourseWorld, size = PART + 100, title = "Week 1: recursion"): Promise<{ id: string; data: Uint8Array }> {
  const data = bytes(size);
  const made = await create(w.ta, w.courseId, { title, name: "week1.webm", size, contentType: "video/webm", duration: 42.5 });
  if (made.status !== 201 || made.body.upload.kind !== "parts") throw new Error(JSON.stringify(made));
  const { uploadId, partSize, partCount } = made.body.upload;
  for (let n = 1; n <= partCount; n++) expect((await put(w.ta, uploadId, n, data.slice((n - 1) * partSize, n * partSize))).status).toBe(200);
  expect((await w.ta.json("POST", `/api/uploads/${uploadId}/complete`)).status).toBe(201);
  return { id: made.body.lecture.id, data };
}

describe("recorded lectures (local provider)", () => {
  it("uploads in parts into a lecture that is ready once complete, and only then shows to students", async () => {
    const w = await courseWorld();
    const size = 2 * PART + 10;
    const data = bytes(size);
    const made = await create(w.ta, w.courseId, { title: "Week 1: recursion", name: "week1.webm", size, contentType: "video/webm", duration: 42.5 });
    const lecture: LectureInfo = {
      id: expect.any(String),
      courseId: w.courseId,
      title: "Week 1: recursion",
      provider: "local",
      state: "uploading",
      duration: 42.5,
      classId: null,
      hasCode: false,
      createdAt: expect.any(Number),
    };
    expect(made).toEqual({ status: 201, body: { lecture, upload: { kind: "parts", uploadId: expect.any(String), name: "week1.webm", size, partSize: PART, partCount: 3, parts: [] } } });
    const id = made.body.lecture.id;
    const { uploadId } = made.body.upload as { uploadId: string };

    // Staff see it uploading; students see nothing yet, not even by id.
    expect((await w.instructor.json("GET", `/api/courses/${w.courseId}/lectures`)).body).toEqual({ lectures: [{ ...lecture, id }] });
    expect((await w.student.json("GET", `/api/courses/${w.courseId}/lectures`)).body).toEqual({ lectures: [] });
    expect((await w.student.json("GET", `/api/lectures/${id}`)).status).toBe(404);
    expect((await w.ta.json<LectureDetail>("GET", `/api/lectures/${id}`)).body.playback).toBeNull();

    for (const n of [3, 1, 2]) expect((await put(w.ta, uploadId, n, data.slice((n - 1) * PART, n * PART))).status).toBe(200);
    const done = await w.ta.json("POST", `/api/uploads/${uploadId}/complete`);
    expect(done).toEqual({ status: 201, body: { ...lecture, id, state: "ready" } });

    expect((await w.student.json("GET", `/api/courses/${w.courseId}/lectures`)).body).toEqual({ lectures: [{ ...lecture, id, state: "ready" }] });
    const detail = await w.student.json<LectureDetail>("GET", `/api/lectures/${id}`);
    expect(detail).toEqual({
      status: 200,
      body: { ...lecture, id, state: "ready", chapters: [], captions: [], position: 0, playback: { kind: "file", src: `/api/lectures/${id}/video`, contentType: "video/webm" } },
    });
    const whole = await w.student.fetch(`/api/lectures/${id}/video`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("video/webm");
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(data);
  });

  it("serves the video in ranges, as a <video> element seeks, with headers that never let it run", async () => {
    const w = await courseWorld();
    const { id, data } = await readyLecture(w);
    const res = await w.student.fetch(`/api/lectures/${id}/video`, { headers: { Range: "bytes=1000-1999" } });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes 1000-1999/${data.byteLength}`);
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    // Nothing runs, and opened on its own the browser's media page may still play it.
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; media-src 'self'; sandbox");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(data.slice(1000, 2000));
    const etag = res.headers.get("etag")!;
    expect((await w.student.fetch(`/api/lectures/${id}/video`, { headers: { "If-None-Match": etag } })).status).toBe(304);
    const past = await w.student.fetch(`/api/lectures/${id}/video`, { headers: { Range: `bytes=${data.byteLength}-` } });
    expect(past.status).toBe(416);
  });

  it("is for members only: anyone else gets 404 for the lecture, its video and its captions", async () => {
    const w = await courseWorld();
    const { id } = await readyLecture(w);
    expect((await w.ta.fetch(`/api/lectures/${id}/captions/en`, { method: "PUT", body: VTT })).status).toBe(201);
    for (const path of [`/api/lectures/${id}`, `/api/lectures/${id}/video`, `/api/lectures/${id}/captions/en`]) {
      const res = await w.outsider.fetch(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect((await w.student.fetch(path)).status).toBe(200);
    }
    expect((await w.outsider.json("GET", `/api/courses/${w.courseId}/lectures`)).status).toBe(404);
    expect((await w.outsider.json("PUT", `/api/lectures/${id}/position`, { position: 3 })).status).toBe(404);
    // An uploaded lecture has no class behind it, so no code timeline.
    expect(await w.student.json("GET", `/api/lectures/${id}/code`)).toEqual({ status: 404, body: { error: "This lecture has no code timeline." } });
  });

  it("refuses what is not a video, too big, past the quota, or malformed", async () => {
    const w = await courseWorld();
    const base = { title: "T", name: "a.webm", size: 10, contentType: "video/webm" };
    expect(await create(w.ta, w.courseId, { ...base, contentType: "text/html" })).toEqual({
      status: 415,
      body: { error: "A lecture must be a video file (MP4 or WebM plays everywhere)." },
    });
    expect(await create(w.ta, w.courseId, { ...base, size: 24 * MiB + 1 })).toEqual({ status: 413, body: { error: `Lecture videos may be at most ${24 * MiB} bytes.` } });
    expect((await create(w.ta, w.courseId, { ...base, size: 20 * MiB })).status).toBe(201);
    expect((await create(w.ta, w.courseId, { ...base, size: 11 * MiB })).status).toBe(413); // 30 MiB quota, 20 held by the upload
    expect((await create(w.ta, w.courseId, { ...base, title: "" })).body).toMatchObject({ error: "Some fields are invalid.", fields: { title: expect.any(String) } });
    expect((await create(w.ta, w.courseId, { ...base, duration: -1 })).status).toBe(400);
    expect((await create(w.ta, w.courseId, { ...base, name: "../.." })).body).toEqual({ error: "Some fields are invalid.", fields: { name: "must be a file name" } });
    expect((await create(w.student, w.courseId, base)).status).toBe(403);
    expect((await create(w.outsider, w.courseId, base)).status).toBe(404);
  });

  it("marks the lecture failed when its upload is cancelled, and deletes it with its bytes", async () => {
    const w = await courseWorld();
    const made = await create(w.ta, w.courseId, { title: "Dropped", name: "a.webm", size: 20 * MiB, contentType: "video/webm" });
    const { uploadId } = made.body.upload as { uploadId: string };
    expect((await put(w.ta, uploadId, 1, bytes(PART))).status).toBe(200);
    expect((await w.ta.fetch(`/api/uploads/${uploadId}`, { method: "DELETE" })).status).toBe(204);
    expect((await w.ta.json<LectureDetail>("GET", `/api/lectures/${made.body.lecture.id}`)).body.state).toBe("failed");
    // A failed lecture holds no bytes, so none of the course's quota (30 MiB in the test config): 20 MiB more fit.
    expect((await create(w.ta, w.courseId, { title: "Again", name: "b.webm", size: 20 * MiB, contentType: "video/webm" })).status).toBe(201);

    const { id } = await readyLecture(w);
    await w.ta.fetch(`/api/lectures/${id}/captions/en`, { method: "PUT", body: VTT });
    expect((await w.student.fetch(`/api/lectures/${id}`, { method: "DELETE" })).status).toBe(403);
    expect((await w.instructor.fetch(`/api/lectures/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await w.ta.json("GET", `/api/lectures/${id}`)).status).toBe(404);
    expect((await env.FILES.list({ prefix: `courses/${w.courseId}/lectures/${id}/` })).objects).toEqual([]);
  });
});

describe("the player's data", () => {
  it("takes WebVTT captions per language from staff, and refuses anything else", async () => {
    const w = await courseWorld();
    const { id } = await readyLecture(w);
    const putVtt = (who: Account, lang: string, body: BodyInit, label = "") => who.fetch(`/api/lectures/${id}/captions/${lang}${label && `?label=${encodeURIComponent(label)}`}`, { method: "PUT", body });
    const html = await putVtt(w.ta, "en", "<script>alert(1)</script>");
    expect([html.status, await html.json()]).toEqual([415, { error: 'Captions must be a WebVTT file (it starts with "WEBVTT").' }]);
    expect((await putVtt(w.ta, "../x", VTT)).status).toBe(404); // not a route at all
    expect((await putVtt(w.ta, "EN!", VTT)).status).toBe(400);
    expect((await putVtt(w.ta, `en${"-abcdefgh".repeat(5)}`, VTT)).status).toBe(400); // longer than a language tag is
    expect((await putVtt(w.ta, "en", `\uFEFF\uFEFF${VTT}`)).status).toBe(415);
    expect((await putVtt(w.student, "en", VTT)).status).toBe(403);
    expect((await putVtt(w.ta, "en", new Uint8Array(1024 * 1024 + 1))).status).toBe(413);

    const ok = await putVtt(w.ta, "pt-BR", VTT, "Português");
    expect([ok.status, await ok.json()]).toEqual([201, { lang: "pt-BR", label: "Português", src: `/api/lectures/${id}/captions/pt-BR` }]);
    expect((await putVtt(w.ta, "en", VTT)).status).toBe(201);
    const detail = await w.student.json<LectureDetail>("GET", `/api/lectures/${id}`);
    expect(detail.body.captions).toEqual([
      { lang: "en", label: "en", src: `/api/lectures/${id}/captions/en` },
      { lang: "pt-BR", label: "Português", src: `/api/lectures/${id}/captions/pt-BR` },
    ]);
    const track = await w.student.fetch(`/api/lectures/${id}/captions/pt-BR`);
    expect([track.status, track.headers.get("content-type"), await track.text()]).toEqual([200, "text/vtt", VTT]);
    expect((await w.ta.fetch(`/api/lectures/${id}/captions/en`, { method: "DELETE" })).status).toBe(204);
    expect((await w.student.fetch(`/api/lectures/${id}/captions/en`)).status).toBe(404);
  });

  it("keeps chapters sorted, and refuses two at one time or from a student", async () => {
    const w = await courseWorld();
    const { id } = await readyLecture(w);
    const chapters = [
      { at: 30, title: "Base case" },
      { at: 0, title: "Intro" },
    ];
    const saved = await w.ta.json<LectureDetail>("PATCH", `/api/lectures/${id}`, { title: "Recursion", chapters });
    expect(saved.status).toBe(200);
    expect([saved.body.title, saved.body.chapters]).toEqual(["Recursion", [chapters[1], chapters[0]]]);
    expect((await w.student.json<LectureDetail>("GET", `/api/lectures/${id}`)).body.chapters).toEqual([chapters[1], chapters[0]]);
    const twice = await w.ta.json("PATCH", `/api/lectures/${id}`, { chapters: [chapters[0], { at: 30, title: "Again" }] });
    expect(twice).toEqual({ status: 400, body: { error: "Some fields are invalid.", fields: { chapters: "must not have two chapters at the same time" } } });
    expect((await w.student.json("PATCH", `/api/lectures/${id}`, { title: "Mine" })).status).toBe(403);
    expect((await w.ta.json("PATCH", `/api/lectures/${id}`, { chapters: [{ at: 1, title: "a\nb" }] })).status).toBe(400);
    expect((await w.student.json<LectureDetail>("GET", `/api/lectures/${id}`)).body.title).toBe("Recursion");
  });

  it("remembers where each viewer stopped, apart, and never past the end", async () => {
    const w = await courseWorld();
    const { id } = await readyLecture(w);
    expect((await w.student.json("PUT", `/api/lectures/${id}/position`, { position: 12.25 })).status).toBe(204);
    expect((await w.ta.json("PUT", `/api/lectures/${id}/position`, { position: 3 })).status).toBe(204);
    expect((await w.student.json<LectureDetail>("GET", `/api/lectures/${id}`)).body.position).toBe(12.25);
    expect((await w.ta.json<LectureDetail>("GET", `/api/lectures/${id}`)).body.position).toBe(3);
    expect((await w.student.json("PUT", `/api/lectures/${id}/position`, { position: 10_000 })).status).toBe(204);
    expect((await w.student.json<LectureDetail>("GET", `/api/lectures/${id}`)).body.position).toBe(42.5);
    expect((await w.student.json("PUT", `/api/lectures/${id}/position`, { position: "12" })).status).toBe(400);
    expect((await w.student.json("PUT", `/api/lectures/${id}/position`, { position: -1 })).status).toBe(400);
  });
});
