/**
 * Course files: single-request uploads streamed to R2, listing, downloads
 * with Range and ETags, the headers that keep a browser from running what
 * was uploaded, names, size caps and the course quota. (The test config sets
 * MAX_FILE_BYTES to 24 MiB and COURSE_QUOTA_BYTES to 30 MiB.)
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { courseWorld } from "../helpers/courses";
import type { Account } from "../helpers/users";

const MiB = 1024 * 1024;

async function upload(who: Account, courseId: string, name: string, body: BodyInit, type = "text/plain", query = "") {
  const res = await who.fetch(`/api/courses/${courseId}/files?name=${encodeURIComponent(name)}${query}`, {
    method: "POST",
    headers: { "content-type": type },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const r2Count = async (courseId: string) => (await env.FILES.list({ prefix: `courses/${courseId}/` })).objects.length;

describe("uploading a file in one request", () => {
  it("stores the bytes in R2 and answers the file object; members download it, others get 404", async () => {
    const w = await courseWorld();
    const made = await upload(w.ta, w.courseId, "notes.txt", "hello, class", "text/plain; charset=utf-8");
    expect(made).toEqual({
      status: 201,
      body: {
        id: expect.stringMatching(/^[A-Za-z0-9]{10}$/),
        courseId: w.courseId,
        name: "notes.txt",
        size: 12,
        contentType: "text/plain",
        visibility: "members",
        etag: expect.stringMatching(/^".+"$/),
        createdAt: expect.any(Number),
      },
    });
    const id = made.body.id as string;
    const res = await w.student.fetch(`/api/files/${id}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("hello, class");
    expect(res.headers.get("etag")).toBe(made.body.etag);
    expect((await w.outsider.fetch(`/api/files/${id}`)).status).toBe(404);
    const listed = await w.student.json<{ files: { id: string }[] }>("GET", `/api/courses/${w.courseId}/files`);
    expect(listed.body.files.map((f) => f.id)).toEqual([id]);
  });

  it("hides a staff file from students (404, and not listed), and shows it to the TA", async () => {
    const w = await courseWorld();
    const hidden = await upload(w.instructor, w.courseId, "hidden-tests.js", "assert(add(2, 2) === 4)", "text/javascript", "&visibility=staff");
    expect(hidden.body.visibility).toBe("staff");
    const id = hidden.body.id as string;
    const asStudent = await w.student.fetch(`/api/files/${id}`);
    expect([asStudent.status, await asStudent.json()]).toEqual([404, { error: "No such file." }]);
    expect((await w.student.json<{ files: unknown[] }>("GET", `/api/courses/${w.courseId}/files`)).body.files).toEqual([]);
    expect((await w.ta.fetch(`/api/files/${id}`)).status).toBe(200);
  });

  it("refuses students (403) and stores nothing", async () => {
    const w = await courseWorld();
    const res = await upload(w.student, w.courseId, "x.txt", "x");
    expect(res).toEqual({ status: 403, body: { error: "Only the course's instructor or TAs can do that." } });
    expect(await r2Count(w.courseId)).toBe(0);
  });

  it.each([
    ["a path", "../../etc/passwd", "passwd"],
    ["a Windows path", "C:\\Users\\ada\\hw1.py", "hw1.py"],
    ["control and format characters", "re\u202eport\u0007.txt", "report.txt"],
    ["a non-ASCII name", "Übung 1 – Lösung.pdf", "Übung 1 – Lösung.pdf"],
  ])("cleans %s", async (_what, raw, stored) => {
    const w = await courseWorld();
    expect((await upload(w.ta, w.courseId, raw, "x")).body.name).toBe(stored);
  });

  it.each([
    ["an empty name", ""],
    ["only dots", ".."],
    ["only a path", "a/b/"],
    ["a name of 201 characters", `${"a".repeat(197)}.txt`],
  ])("refuses %s (400) and stores nothing", async (_what, raw) => {
    const w = await courseWorld();
    const res = await upload(w.ta, w.courseId, raw, "x");
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^The file name must be 1-200 characters/);
    expect(await r2Count(w.courseId)).toBe(0);
  });

  it("needs a Content-Length (411): R2 stores only streams of known length", async () => {
    const w = await courseWorld();
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("chunked"));
        controller.close();
      },
    });
    const res = await upload(w.ta, w.courseId, "chunked.txt", stream);
    expect(res).toEqual({ status: 411, body: { error: "Send the body with a Content-Length." } });
  });

  it("refuses a file over the size cap (413) before reading it", async () => {
    const w = await courseWorld();
    const res = await upload(w.ta, w.courseId, "big.bin", new Uint8Array(24 * MiB + 1), "application/octet-stream");
    expect(res).toEqual({ status: 413, body: { error: `The body is larger than ${24 * MiB} bytes.` } });
    expect(await r2Count(w.courseId)).toBe(0);
  });

  it("refuses what would pass the course's quota (413), counting the files already there", async () => {
    const w = await courseWorld();
    expect((await upload(w.ta, w.courseId, "a.bin", new Uint8Array(20 * MiB), "application/octet-stream")).status).toBe(201);
    const res = await upload(w.ta, w.courseId, "b.bin", new Uint8Array(11 * MiB), "application/octet-stream");
    expect(res).toEqual({ status: 413, body: { error: `This course's files would pass its quota of ${30 * MiB} bytes (${20 * MiB} used).` } });
    expect(await r2Count(w.courseId)).toBe(1);
    // Deleting frees the space.
    const [{ id }] = (await w.ta.json<{ files: { id: string }[] }>("GET", `/api/courses/${w.courseId}/files`)).body.files as [{ id: string }];
    expect((await w.student.fetch(`/api/files/${id}`, { method: "DELETE" })).status).toBe(403);
    expect((await w.ta.fetch(`/api/files/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await upload(w.ta, w.courseId, "b.bin", new Uint8Array(11 * MiB), "application/octet-stream")).status).toBe(201);
  });
});

describe("downloading", () => {
  async function stored(type: string, name: string, body = "0123456789abcdefghij") {
    const w = await courseWorld();
    const made = await upload(w.ta, w.courseId, name, body, type);
    return { w, id: made.body.id as string, etag: made.body.etag as string };
  }

  it("answers a Range with 206 and Content-Range: a slice, an open end, a suffix", async () => {
    const { w, id } = await stored("text/plain", "alphabet.txt");
    for (const [range, status, contentRange, text] of [
      ["bytes=0-9", 206, "bytes 0-9/20", "0123456789"],
      ["bytes=15-", 206, "bytes 15-19/20", "fghij"],
      ["bytes=-3", 206, "bytes 17-19/20", "hij"],
      ["bytes=10-99", 206, "bytes 10-19/20", "abcdefghij"],
    ] as const) {
      const res = await w.student.fetch(`/api/files/${id}`, { headers: { Range: range } });
      expect([res.status, res.headers.get("content-range"), res.headers.get("content-length"), await res.text()]).toEqual([
        status,
        contentRange,
        String(text.length),
        text,
      ]);
    }
  });

  it("honours If-Range: the range for the current ETag, the whole file for another", async () => {
    const { w, id, etag } = await stored("text/plain", "alphabet.txt");
    const same = await w.student.fetch(`/api/files/${id}`, { headers: { Range: "bytes=0-3", "If-Range": etag } });
    expect([same.status, await same.text()]).toEqual([206, "0123"]);
    const stale = await w.student.fetch(`/api/files/${id}`, { headers: { Range: "bytes=0-3", "If-Range": '"other"' } });
    expect([stale.status, stale.headers.get("content-range"), await stale.text()]).toEqual([200, null, "0123456789abcdefghij"]);
  });

  it("answers a range past the end with 416 and the file's size", async () => {
    const { w, id } = await stored("text/plain", "alphabet.txt");
    const res = await w.student.fetch(`/api/files/${id}`, { headers: { Range: "bytes=20-" } });
    expect([res.status, res.headers.get("content-range"), await res.json()]).toEqual([
      416,
      "bytes */20",
      { error: "The range is outside the 20 bytes stored." },
    ]);
  });

  it("answers If-None-Match on the ETag with 304 and no body", async () => {
    const { w, id, etag } = await stored("text/plain", "alphabet.txt");
    const res = await w.student.fetch(`/api/files/${id}`, { headers: { "If-None-Match": etag } });
    expect([res.status, res.headers.get("etag"), await res.text()]).toEqual([304, etag, ""]);
    const stale = await w.student.fetch(`/api/files/${id}`, { headers: { "If-None-Match": '"not-it"' } });
    expect(stale.status).toBe(200);
  });

  it.each([
    ["HTML", "text/html", "page.html", 'attachment; filename="page.html"'],
    ["SVG", "image/svg+xml", "logo.svg", 'attachment; filename="logo.svg"'],
    ["JavaScript", "text/javascript", "hw.js", 'attachment; filename="hw.js"'],
    ["PNG", "image/png", "plot.png", 'inline; filename="plot.png"'],
    ["PDF", "application/pdf", "slides.pdf", 'inline; filename="slides.pdf"'],
    ["a non-ASCII PDF", "application/pdf", "Übung.pdf", `inline; filename="_bung.pdf"; filename*=UTF-8''%C3%9Cbung.pdf`],
    ["a name with percent signs", "application/octet-stream", "%2e%2e%2fevil.exe", `attachment; filename="_2e_2e_2fevil.exe"; filename*=UTF-8''%252e%252e%252fevil.exe`],
  ])("serves %s sandboxed, with nosniff, and as a download unless it is safe to show", async (_what, type, name, disposition) => {
    const { w, id } = await stored(type, name, "<svg onload=alert(1)></svg>");
    const res = await w.student.fetch(`/api/files/${id}`);
    expect({
      type: res.headers.get("content-type"),
      disposition: res.headers.get("content-disposition"),
      nosniff: res.headers.get("x-content-type-options"),
      csp: res.headers.get("content-security-policy"),
    }).toEqual({ type, disposition, nosniff: "nosniff", csp: "default-src 'none'; sandbox" });
  });
});
