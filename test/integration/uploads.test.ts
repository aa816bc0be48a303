/**
 * Resumable multipart uploads: parts in any order, a failed part sent again,
 * the list of confirmed parts for resuming, completion into a course file,
 * abort, ownership, and the caps. (Test config: parts of 5 MiB, files up to
 * 24 MiB, 30 MiB per course.)
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { courseWorld } from "../helpers/courses";
import { patternBytes as bytes } from "../helpers/bytes";
import type { Account } from "../helpers/users";

const MiB = 1024 * 1024;
const PART = 5 * MiB;


const start = (who: Account, courseId: string, body: object) => who.json<Record<string, unknown>>("POST", `/api/courses/${courseId}/uploads`, body);
const put = (who: Account, uploadId: string, n: number, body: BodyInit) => who.fetch(`/api/uploads/${uploadId}/parts/${n}`, { method: "PUT", body });

describe("multipart uploads", () => {
  it("takes parts in any order, resumes from the confirmed list, and completes into a file", async () => {
    const w = await courseWorld();
    const size = 2 * PART + 1234;
    const data = bytes(size);
    const started = await start(w.ta, w.courseId, { name: "dataset.csv", size, contentType: "text/csv" });
    expect(started).toEqual({
      status: 201,
      body: { uploadId: expect.any(String), name: "dataset.csv", size, partSize: PART, partCount: 3, parts: [] },
    });
    const id = started.body.uploadId as string;
    const part = (n: number) => data.slice((n - 1) * PART, Math.min(n * PART, size));

    expect((await put(w.ta, id, 3, part(3))).status).toBe(200);
    // A part cut short by a dropped network never counts.
    const cut = await put(w.ta, id, 1, part(1).slice(0, PART - 10));
    expect([cut.status, await cut.json()]).toEqual([400, { error: `Part 1 must be exactly ${PART} bytes; this one is ${PART - 10}.` }]);
    // After a reload, the client asks what arrived and sends the rest.
    expect((await w.ta.json("GET", `/api/uploads/${id}`)).body).toMatchObject({ parts: [3], partCount: 3 });
    const early = await w.ta.json("POST", `/api/uploads/${id}/complete`);
    expect(early).toEqual({ status: 409, body: { error: "Some parts have not arrived: 1, 2." } });
    expect((await put(w.ta, id, 1, part(1))).status).toBe(200);
    expect((await put(w.ta, id, 2, part(2))).status).toBe(200);
    expect((await put(w.ta, id, 2, part(2))).status).toBe(200); // sending a part again is harmless

    const done = await w.ta.json<Record<string, unknown>>("POST", `/api/uploads/${id}/complete`);
    expect(done).toEqual({
      status: 201,
      body: { id, courseId: w.courseId, name: "dataset.csv", size, contentType: "text/csv", visibility: "members", etag: expect.any(String), createdAt: expect.any(Number) },
    });
    const res = await w.student.fetch(`/api/files/${id}`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(data);
    expect((await w.ta.json("GET", `/api/uploads/${id}`)).status).toBe(404); // finished uploads are gone
  });

  it("belongs to the user who started it: other staff and students get 404", async () => {
    const w = await courseWorld();
    const { body } = await start(w.instructor, w.courseId, { name: "a.bin", size: 10 });
    const id = body.uploadId as string;
    for (const who of [w.ta, w.student, w.outsider]) {
      expect((await put(who, id, 1, "0123456789")).status).toBe(404);
      expect((await who.json("GET", `/api/uploads/${id}`)).status).toBe(404);
      expect((await who.json("POST", `/api/uploads/${id}/complete`)).status).toBe(404);
      expect((await who.fetch(`/api/uploads/${id}`, { method: "DELETE" })).status).toBe(404);
    }
    expect((await put(w.instructor, id, 1, "0123456789")).status).toBe(200);
  });

  it("refuses part numbers outside the upload", async () => {
    const w = await courseWorld();
    const { body } = await start(w.ta, w.courseId, { name: "a.bin", size: 10 });
    for (const n of [0, 2, -1]) {
      const res = await put(w.ta, body.uploadId as string, n, "0123456789");
      expect([res.status, await res.json()]).toEqual([400, { error: "Part numbers run from 1 to 1." }]);
    }
  });

  it("aborts: the upload and its parts are gone, and its reserved space is free again", async () => {
    const w = await courseWorld();
    const big = await start(w.ta, w.courseId, { name: "big.bin", size: 20 * MiB });
    const id = big.body.uploadId as string;
    expect((await put(w.ta, id, 1, bytes(PART))).status).toBe(200);
    // The upload in progress holds its 20 MiB of the 30 MiB quota.
    expect((await start(w.ta, w.courseId, { name: "more.bin", size: 11 * MiB })).status).toBe(413);
    expect((await w.ta.fetch(`/api/uploads/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await w.ta.json("GET", `/api/uploads/${id}`)).status).toBe(404);
    expect((await start(w.ta, w.courseId, { name: "more.bin", size: 11 * MiB })).status).toBe(201);
    expect((await env.FILES.list({ prefix: `courses/${w.courseId}/` })).objects).toEqual([]);
  });

  it("ends a TA's unfinished uploads when they stop being staff, freeing the course's quota", async () => {
    const w = await courseWorld();
    const big = await start(w.ta, w.courseId, { name: "big.bin", size: 20 * MiB });
    expect((await put(w.ta, big.body.uploadId as string, 1, bytes(PART))).status).toBe(200);
    expect((await start(w.instructor, w.courseId, { name: "more.bin", size: 11 * MiB })).status).toBe(413);
    await w.instructor.json("PATCH", `/api/courses/${w.courseId}/members/${w.ta.user.id}`, { role: "student" });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM uploads WHERE course_id = ?").bind(w.courseId).first()).toEqual({ n: 0 });
    expect((await start(w.instructor, w.courseId, { name: "more.bin", size: 11 * MiB })).status).toBe(201);
  });

  it("forgets an upload after a week: it no longer resumes, nor holds the quota", async () => {
    const w = await courseWorld();
    const big = await start(w.ta, w.courseId, { name: "big.bin", size: 20 * MiB });
    const id = big.body.uploadId as string;
    await env.DB.prepare("UPDATE uploads SET created_at = ? WHERE id = ?").bind(Date.now() - 7 * 86_400_000 - 1, id).run();
    expect((await w.ta.json("GET", `/api/uploads/${id}`)).status).toBe(404);
    expect((await put(w.ta, id, 1, bytes(PART))).status).toBe(404);
    expect((await start(w.ta, w.courseId, { name: "more.bin", size: 11 * MiB })).status).toBe(201);
  });

  it.each([
    ["over the file size cap", { name: "huge.bin", size: 24 * MiB + 1 }, 413, { error: `Files may be at most ${24 * MiB} bytes.` }],
    ["of no bytes", { name: "empty.bin", size: 0 }, 400, { error: "Some fields are invalid.", fields: { size: "must be at least 1" } }],
    ["with a bad name", { name: "../..", size: 5 }, 400, { error: expect.stringMatching(/^The file name must be 1-200 characters/) }],
    ["with an unknown field", { name: "a", size: 5, owner: "me" }, 400, expect.objectContaining({ error: "Some fields are invalid." })],
  ])("refuses an upload %s", async (_what, body, status, answer) => {
    const w = await courseWorld();
    expect(await start(w.ta, w.courseId, body)).toEqual({ status, body: answer });
  });

  it("is for staff only", async () => {
    const w = await courseWorld();
    expect(await start(w.student, w.courseId, { name: "a", size: 5 })).toEqual({
      status: 403,
      body: { error: "Only the course's instructor or TAs can do that." },
    });
  });
});
