/**
 * Live video in a room (protocol/live.ts): going live and ending, the state
 * every joiner gets, the relay of WebRTC signals between the broadcaster
 * and each viewer and who may signal whom, the broadcaster's reconnect, and
 * in a class room the recording's lecture with its open-ended upload.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LIVE_LIMITS, type ResponseOf } from "../../protocol";
import type { CodeTimelinePage, LectureDetail } from "../../protocol/lectures";
import { TestClient, roomOfThree } from "../helpers/client";
import { courseWorld } from "../helpers/courses";
import type { Account } from "../helpers/users";

const MIN = 60_000;
const utcLocal = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const frame = (c: TestClient, action: string, payload: object) => c.send({ username: c.account.user.name, action, payload } as never);
const OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

/** A course with a class open now; its instructor and student joined in its room. */
async function classLive() {
  const w = await courseWorld();
  const start = Date.now() - 5 * MIN;
  const made = await w.instructor.json<{ classes: { id: string; roomId: string }[] }>("POST", `/api/courses/${w.courseId}/classes`, { title: "Week 4", start: utcLocal(start), end: utcLocal(start + 60 * MIN) });
  const k = made.body.classes[0]!;
  const teacher = await TestClient.joined(k.roomId, w.instructor, "Teacher");
  const student = await TestClient.joined(k.roomId, w.student, "Student");
  await Promise.all([teacher.drain(50), student.drain(50)]);
  return { w, k, teacher, student };
}

describe("going live", () => {
  it("tells everyone who is live and from which connection, and every joiner while it lasts", async () => {
    const { roomId, grace, ada, linus } = await roomOfThree();
    frame(grace, "LIVE_START", {});
    const started = await grace.nextOf("LIVE_STARTED");
    // An ad-hoc room has no course to keep a recording in.
    expect(started.payload).toEqual({ recording: null, problem: null, whipUrl: null });
    const state = await ada.nextOf("LIVE_STATE");
    expect(state.payload).toEqual({ live: { by: "Grace", peer: expect.stringMatching(/^[A-Za-z0-9]{12}$/), startedAt: expect.any(Number), provider: "local", whepUrl: null, recording: false } });
    expect((await linus.nextOf("LIVE_STATE")).payload).toEqual(state.payload);
    expect((await grace.nextOf("LIVE_STATE")).payload).toEqual(state.payload);

    const late = await TestClient.joined(roomId, "Barbara", "Student");
    expect((await late.nextOf("LIVE_STATE")).payload).toEqual(state.payload);

    frame(ada, "LIVE_STOP", {});
    expect((await ada.nextOf("ERROR")).payload).toMatchObject({ code: "FORBIDDEN", error_message: "Only teachers end a broadcast.", action: "LIVE_STOP" });
    frame(grace, "LIVE_STOP", {});
    for (const c of [grace, ada, linus, late]) expect((await c.nextOf("LIVE_STATE")).payload).toEqual({ live: null });
    const after = await TestClient.joined(roomId, "Edsger", "Student");
    expect((await after.drain(150)).map((f) => f.responseType)).not.toContain("LIVE_STATE");
  });

  it("relays signals between the broadcaster and a viewer, naming the sender, and nowhere else", async () => {
    const { grace, ada, linus } = await roomOfThree();
    frame(grace, "LIVE_START", {});
    const live = (await ada.nextOf("LIVE_STATE")).payload.live!;
    await Promise.all([grace.drain(50), linus.drain(50)]);

    frame(ada, "LIVE_SIGNAL", { to: live.peer, kind: "hello" });
    const hello = await grace.nextOf("LIVE_SIGNAL");
    expect(hello.payload).toEqual({ from: expect.stringMatching(/^[A-Za-z0-9]{12}$/), by: "Ada", kind: "hello" });
    frame(grace, "LIVE_SIGNAL", { to: hello.payload.from, kind: "offer", sdp: OFFER });
    expect((await ada.nextOf("LIVE_SIGNAL")).payload).toEqual({ from: live.peer, by: "Grace", kind: "offer", sdp: OFFER });
    const candidate = { candidate: "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", sdpMid: "0", sdpMLineIndex: 0 };
    frame(ada, "LIVE_SIGNAL", { to: live.peer, kind: "candidate", candidate });
    expect((await grace.nextOf("LIVE_SIGNAL")).payload).toEqual({ from: hello.payload.from, by: "Ada", kind: "candidate", candidate });
    expect(await linus.drain(150)).toEqual([]);

    // A viewer signals only the broadcaster: not another viewer.
    frame(linus, "LIVE_SIGNAL", { to: hello.payload.from, kind: "offer", sdp: OFFER });
    expect((await linus.nextOf("ERROR")).payload).toMatchObject({ code: "FORBIDDEN", error_message: "Viewers signal only the broadcaster." });
    expect(await ada.drain(100)).toEqual([]);
  });

  it("refuses malformed and oversized signals, and signals when no one is live", async () => {
    const { grace, ada } = await roomOfThree();
    frame(ada, "LIVE_SIGNAL", { to: "abcdefgh", kind: "hello" });
    expect((await ada.nextOf("ERROR")).payload).toMatchObject({ code: "NOT_FOUND", error_message: "No one is live in this room." });
    frame(grace, "LIVE_START", {});
    const live = (await ada.nextOf("LIVE_STATE")).payload.live!;
    for (const bad of [
      { to: live.peer, kind: "offer" },
      { to: live.peer, kind: "hello", sdp: OFFER },
      { to: live.peer, kind: "answer", sdp: "x".repeat(LIVE_LIMITS.maxSdpChars + 1) },
      { to: live.peer, kind: "candidate", candidate: { candidate: "x", extra: 1 } },
      { to: "../x", kind: "hello" },
      { to: live.peer, kind: "shout" },
    ]) {
      frame(ada, "LIVE_SIGNAL", bad);
      expect((await ada.nextOf("ERROR")).payload).toMatchObject({ code: "INVALID_MESSAGE", action: "LIVE_SIGNAL" });
    }
    expect((await grace.drain(150)).filter((f) => f.responseType === "LIVE_SIGNAL")).toEqual([]);
  });

  it("keeps a broadcast through the broadcaster's dropped connection: paused, then resumed on a new one", async () => {
    const { roomId, teacherToken, grace, ada } = await roomOfThree();
    frame(grace, "LIVE_START", {});
    const first = (await ada.nextOf("LIVE_STATE")).payload.live!;
    frame(ada, "LIVE_SIGNAL", { to: first.peer, kind: "hello" });
    await grace.nextOf("LIVE_SIGNAL");
    grace.close();
    expect((await ada.nextOf("LIVE_STATE")).payload.live).toEqual({ ...first, peer: null });
    frame(ada, "LIVE_SIGNAL", { to: first.peer, kind: "hello" });
    expect((await ada.nextOf("ERROR")).payload).toMatchObject({ code: "NOT_FOUND", error_message: "The broadcaster is reconnecting; try again in a moment." });

    const back = await TestClient.joined(roomId, grace.account, "Teacher", teacherToken);
    frame(back, "LIVE_START", { resume: true });
    expect((await back.nextOf("LIVE_STARTED")).payload).toEqual({ recording: null, problem: null, whipUrl: null });
    const resumed = (await ada.nextOf("LIVE_STATE")).payload.live!;
    expect(resumed).toEqual({ ...first, peer: expect.any(String) });
    expect(resumed.peer).not.toBe(first.peer);
    // The viewer asks the new connection at once: its hello a moment ago went to the old one.
    frame(ada, "LIVE_SIGNAL", { to: resumed.peer, kind: "hello" });
    expect((await back.nextOf("LIVE_SIGNAL")).payload).toMatchObject({ kind: "hello", by: "Ada" });
  });

  it("lets a viewer ask for the video again only after a pause: each hello costs the broadcaster a new connection", async () => {
    const { grace, ada } = await roomOfThree();
    frame(grace, "LIVE_START", {});
    const live = (await ada.nextOf("LIVE_STATE")).payload.live!;
    frame(ada, "LIVE_SIGNAL", { to: live.peer, kind: "hello" });
    await grace.nextOf("LIVE_SIGNAL");
    frame(ada, "LIVE_SIGNAL", { to: live.peer, kind: "hello" });
    expect((await ada.nextOf("ERROR")).payload).toMatchObject({ code: "RATE_LIMITED", error_message: "You asked for the video a moment ago; the teacher's answer is on its way." });
    expect((await grace.drain(100)).filter((f) => f.responseType === "LIVE_SIGNAL")).toEqual([]);
  });

  it("tells the broadcaster when a viewer leaves, so it hangs up on them", async () => {
    const { grace, ada } = await roomOfThree();
    frame(grace, "LIVE_START", {});
    const live = (await ada.nextOf("LIVE_STATE")).payload.live!;
    frame(ada, "LIVE_SIGNAL", { to: live.peer, kind: "hello" });
    const hello = await grace.nextOf("LIVE_SIGNAL");
    ada.close();
    expect((await grace.nextOf("LIVE_SIGNAL")).payload).toEqual({ from: hello.payload.from, by: "Ada", kind: "bye" });
  });
});

describe("recording a class", () => {
  it("opens a lecture of the class with an open-ended upload, which the recording fills part by part and completes with its length", async () => {
    const { w, k, teacher, student } = await classLive();
    frame(teacher, "LIVE_START", {});
    const started: ResponseOf<"LIVE_STARTED"> = await teacher.nextOf("LIVE_STARTED");
    const rec = started.payload.recording!;
    expect(started.payload).toEqual({ recording: { lectureId: expect.any(String), uploadId: expect.any(String), partSize: 5 * 1024 * 1024, recordedAt: expect.any(Number) }, problem: null, whipUrl: null });
    expect((await student.nextOf("LIVE_STATE")).payload.live).toMatchObject({ recording: true, by: "Ines" });

    // Staff see it uploading; students do not see it yet.
    const lectures = await w.ta.json<{ lectures: { id: string; state: string; classId: string; hasCode: boolean }[] }>("GET", `/api/courses/${w.courseId}/lectures`);
    expect(lectures.body.lectures).toEqual([expect.objectContaining({ id: rec.lectureId, state: "uploading", classId: k.id, hasCode: true })]);
    expect((await w.student.json<{ lectures: unknown[] }>("GET", `/api/courses/${w.courseId}/lectures`)).body.lectures).toEqual([]);

    const put = (who: Account, n: number, body: Uint8Array, last = false) => who.fetch(`/api/uploads/${rec.uploadId}/parts/${n}${last ? "?last=1" : ""}`, { method: "PUT", body });
    const full = new Uint8Array(rec.partSize).fill(7);
    expect((await put(w.instructor, 1, full)).status).toBe(200);
    // Not the last part: must be whole.
    const short = await put(w.instructor, 2, new Uint8Array(10));
    expect([short.status, await short.json()]).toEqual([400, { error: `Part 2 must be exactly ${rec.partSize} bytes; this one is 10.` }]);
    expect((await w.ta.fetch(`/api/uploads/${rec.uploadId}/parts/2?last=1`, { method: "PUT", body: new Uint8Array(10) })).status).toBe(404); // someone else's upload
    expect((await w.instructor.json("POST", `/api/uploads/${rec.uploadId}/complete`, {})).body).toEqual({ error: "Send the last part (with ?last=1) before completing." });
    expect((await put(w.instructor, 2, new Uint8Array(1234).fill(9), true)).status).toBe(200);
    expect((await put(w.instructor, 3, new Uint8Array(10), true)).status).toBe(400); // nothing after the last
    // The bytes so far count against the course's quota as they arrive.
    expect(await env.DB.prepare("SELECT size FROM uploads WHERE id = ?").bind(rec.uploadId).first()).toEqual({ size: rec.partSize + 1234 });

    const done = await w.instructor.json<{ state: string; duration: number }>("POST", `/api/uploads/${rec.uploadId}/complete`, { duration: 0.2 });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ id: rec.lectureId, state: "ready", duration: 0.2, classId: k.id, hasCode: true });
    const detail = await w.student.json<LectureDetail>("GET", `/api/lectures/${rec.lectureId}`);
    expect(detail.body.playback).toEqual({ kind: "file", src: `/api/lectures/${rec.lectureId}/video`, contentType: "video/webm" });
    const video = await w.student.fetch(`/api/lectures/${rec.lectureId}/video`, { headers: { Range: `bytes=${rec.partSize - 1}-${rec.partSize}` } });
    expect([video.status, [...new Uint8Array(await video.arrayBuffer())]]).toEqual([206, [7, 9]]);
  });

  it("keeps the teacher's code over the recording: the editor's changes with their times, for members only", async () => {
    const { w, teacher } = await classLive();
    // Typed before going live: part of the code the video starts with.
    frame(teacher, "DOC_SUBSCRIBE", { docs: ["teacher"] });
    await teacher.nextOf("DOC_SNAPSHOT");
    frame(teacher, "DOC_PUSH", { doc: "teacher", version: 0, updates: [{ clientID: "t", changes: [[0, "let a = 1;"]] }] });
    await teacher.nextOf("DOC_UPDATES");
    frame(teacher, "LIVE_START", {});
    const rec = (await teacher.nextOf("LIVE_STARTED")).payload.recording!;
    frame(teacher, "DOC_PUSH", { doc: "teacher", version: 1, updates: [{ clientID: "t", changes: [10, [0, "\nshare(a);"]] }] });
    await teacher.nextOf("DOC_UPDATES");
    expect((await w.instructor.fetch(`/api/uploads/${rec.uploadId}/parts/1?last=1`, { method: "PUT", body: new Uint8Array(100) })).status).toBe(200);
    // A recording is completed with its length, never longer than the time since it began.
    expect((await w.instructor.json("POST", `/api/uploads/${rec.uploadId}/complete`, {})).body).toEqual({ error: "Some fields are invalid.", fields: { duration: "a recording needs its length in seconds" } });
    const done = await w.instructor.json<{ duration: number }>("POST", `/api/uploads/${rec.uploadId}/complete`, { duration: 21_600 });
    expect(done.status).toBe(201);
    expect(done.body.duration).toBeLessThan(30);

    const page = await w.student.json<CodeTimelinePage>("GET", `/api/lectures/${rec.lectureId}/code`);
    // What was typed before the recording began comes as the code it starts with, never as changes.
    expect(page).toEqual({
      status: 200,
      body: { recordedAt: rec.recordedAt, after: 1, start: { version: 1, text: "let a = 1;" }, updates: [{ changes: [10, [0, "\nshare(a);"]], at: expect.any(Number) }], hasMore: false },
    });
    expect(page.body.updates[0]!.at).toBeGreaterThanOrEqual(rec.recordedAt);
    // Asking from version 0 gets no more than that; asking past the start gets the changes alone.
    expect((await w.student.json<CodeTimelinePage>("GET", `/api/lectures/${rec.lectureId}/code?after=0`)).body).toEqual(page.body);
    expect((await w.student.json<CodeTimelinePage>("GET", `/api/lectures/${rec.lectureId}/code?after=2`)).body).toEqual({ recordedAt: rec.recordedAt, after: 2, start: null, updates: [], hasMore: false });
    // A change made after the video's end is not in it.
    frame(teacher, "DOC_PUSH", { doc: "teacher", version: 2, updates: [{ clientID: "t", changes: [20, [0, "\n// after class"]] }] });
    await teacher.nextOf("DOC_UPDATES");
    expect((await w.student.json<CodeTimelinePage>("GET", `/api/lectures/${rec.lectureId}/code`)).body.updates).toHaveLength(1);
    expect((await w.student.json("GET", `/api/lectures/${rec.lectureId}/code?after=-1`)).status).toBe(400);
    expect((await w.outsider.json("GET", `/api/lectures/${rec.lectureId}/code`)).status).toBe(404);
  });

  it("lets one of two staff going live at the same moment go live, and undoes the other's recording", async () => {
    const { w, k, teacher, student } = await classLive();
    const tara = await TestClient.joined(k.roomId, w.ta, "Teacher");
    frame(teacher, "LIVE_START", {});
    frame(tara, "LIVE_START", {});
    /** The client's answer to its LIVE_START: LIVE_STARTED, or the ERROR refusing it. */
    const answerOf = async (c: TestClient) => {
      for (;;) {
        const f = await c.next();
        if (f.responseType === "LIVE_STARTED" || f.responseType === "ERROR") return f;
      }
    };
    const answers = await Promise.all([answerOf(teacher), answerOf(tara)]);
    const started = answers.filter((a): a is ResponseOf<"LIVE_STARTED"> => a.responseType === "LIVE_STARTED");
    expect(started).toHaveLength(1);
    expect(answers.find((a) => a.responseType === "ERROR")!.payload).toMatchObject({ code: "FORBIDDEN", action: "LIVE_START", error_message: expect.stringMatching(/ is live already; end that broadcast first\.$/) });
    const lectures = await w.ta.json<{ lectures: { id: string }[] }>("GET", `/api/courses/${w.courseId}/lectures`);
    expect(lectures.body.lectures.map((l) => l.id)).toEqual([started[0]!.payload.recording!.lectureId]);
    expect((await student.nextOf("LIVE_STATE")).payload.live).toMatchObject({ by: answers[0]!.responseType === "LIVE_STARTED" ? w.instructor.user.name : w.ta.user.name });
  });

  it("ends a broadcast when its broadcaster is taken out of the course's staff", async () => {
    const { w, k, student } = await classLive();
    const tara = await TestClient.joined(k.roomId, w.ta, "Teacher");
    frame(tara, "LIVE_START", {});
    expect((await student.nextOf("LIVE_STATE")).payload.live).toMatchObject({ by: w.ta.user.name });
    expect((await w.instructor.json("PATCH", `/api/courses/${w.courseId}/members/${w.ta.user.id}`, { role: "student" })).status).toBe(200);
    expect((await student.nextOf("LIVE_STATE")).payload).toEqual({ live: null });
  });

  it("records afresh when its broadcaster goes live again (a reload loses the recorder), dropping the unfinished recording", async () => {
    const { w, teacher } = await classLive();
    frame(teacher, "LIVE_START", {});
    const first = (await teacher.nextOf("LIVE_STARTED")).payload.recording!;
    frame(teacher, "LIVE_START", {});
    const second = (await teacher.nextOf("LIVE_STARTED")).payload.recording!;
    expect(second.lectureId).not.toBe(first.lectureId);
    const lectures = await w.ta.json<{ lectures: { id: string }[] }>("GET", `/api/courses/${w.courseId}/lectures`);
    expect(lectures.body.lectures.map((l) => l.id)).toEqual([second.lectureId]);
  });

  it("goes live without recording when the teacher says so, and names each recording by when it began", async () => {
    const { w, teacher } = await classLive();
    frame(teacher, "LIVE_START", { record: false });
    expect((await teacher.nextOf("LIVE_STARTED")).payload).toEqual({ recording: null, problem: null, whipUrl: null });
    frame(teacher, "LIVE_START", {});
    const rec = (await teacher.nextOf("LIVE_STARTED")).payload.recording!;
    const lecture = await w.ta.json<{ title: string }>("GET", `/api/lectures/${rec.lectureId}`);
    expect(lecture.body.title).toBe(`Algorithms: Week 4, ${new Date(rec.recordedAt).toISOString().slice(0, 16).replace("T", " ")} UTC`);
  });

  it("goes live in an archived course's room without recording, and says why", async () => {
    const { w, teacher } = await classLive();
    expect((await w.instructor.json("POST", `/api/courses/${w.courseId}/archive`)).status).toBe(200);
    frame(teacher, "LIVE_START", {});
    expect((await teacher.nextOf("LIVE_STARTED")).payload).toEqual({ recording: null, problem: "Not recording: this course is archived, so nothing new can be added to it.", whipUrl: null });
  });

  it("holds a recording to the course's quota even when its parts arrive together", async () => {
    const { w, teacher } = await classLive();
    // 20 of the course's 30 MiB (test config) held by an upload in progress: room for two 5 MiB parts.
    expect((await w.ta.json("POST", `/api/courses/${w.courseId}/uploads`, { name: "big.bin", size: 20 * 1024 * 1024 })).status).toBe(201);
    frame(teacher, "LIVE_START", {});
    const rec = (await teacher.nextOf("LIVE_STARTED")).payload.recording!;
    const part = new Uint8Array(rec.partSize).fill(1);
    const answers = await Promise.all([1, 2, 3, 4].map((n) => w.instructor.fetch(`/api/uploads/${rec.uploadId}/parts/${n}`, { method: "PUT", body: part })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 413, 413]);
    expect(await env.DB.prepare("SELECT size FROM uploads WHERE id = ?").bind(rec.uploadId).first()).toEqual({ size: 2 * rec.partSize });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM upload_parts WHERE upload_id = ?").bind(rec.uploadId).first()).toEqual({ n: 2 });
  });

  it("goes live without a recording, and says why, when the course's storage is full", async () => {
    const { w, teacher } = await classLive();
    // Fill the course's 30 MiB quota (test config) with uploads in progress, leaving less than one 5 MiB part.
    for (const size of [20, 8]) expect((await w.ta.json("POST", `/api/courses/${w.courseId}/uploads`, { name: "big.bin", size: size * 1024 * 1024 })).status).toBe(201);
    frame(teacher, "LIVE_START", {});
    expect((await teacher.nextOf("LIVE_STARTED")).payload).toEqual({
      recording: null,
      problem: "Not recording: this course's files have reached its storage quota. Delete some files or lectures to record.",
      whipUrl: null,
    });
  });
});
