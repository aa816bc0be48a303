import { describe, expect, it } from "vitest";
import { expectedPartBytes, fileConfig, partCount, partSizeFor } from "../../worker/files/limits";
import { contentDisposition, isInlineSafe, normalizeContentType, sanitizeName } from "../../worker/files/names";
import { etagMatches, parseRange } from "../../worker/files/range";

describe("file names", () => {
  it.each([
    ["hw1.py", "hw1.py"],
    ["  spaced.txt  ", "spaced.txt"],
    ["dir/sub/file.txt", "file.txt"],
    ["..\\..\\boot.ini", "boot.ini"],
    ["a\u0000b\u200bc.txt", "abc.txt"],
    ["", null],
    [".", null],
    ["..", null],
    ["dir/", null],
    ["x".repeat(201), null],
  ])("%j → %j", (raw, name) => expect(sanitizeName(raw)).toBe(name));

  it("quotes plain names and adds filename* for others", () => {
    expect(contentDisposition("notes.txt", "text/plain")).toBe('inline; filename="notes.txt"');
    // Quotes cannot stand in a quoted filename: the plain one loses them, filename* keeps them.
    expect(contentDisposition('say "hi".html', "text/html")).toBe(`attachment; filename="say _hi_.html"; filename*=UTF-8''say%20%22hi%22.html`);
    expect(contentDisposition("日本.zip", "application/zip")).toBe(`attachment; filename="__.zip"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.zip`);
    expect(contentDisposition("it's (1).pdf", "application/pdf")).toBe(`inline; filename="it's (1).pdf"`);
    expect(contentDisposition("é's (1).pdf", "application/pdf")).toBe(`inline; filename="_'s (1).pdf"; filename*=UTF-8''%C3%A9%27s%20%281%29.pdf`);
  });

  it("shows inline only raster images, PDF, plain text and video", () => {
    for (const t of ["image/png", "image/jpeg", "application/pdf", "text/plain; charset=utf-8", "video/mp4"]) expect(isInlineSafe(t)).toBe(true);
    for (const t of ["text/html", "image/svg+xml", "application/xhtml+xml", "text/javascript", "application/octet-stream", "TEXT/HTML"]) {
      expect(isInlineSafe(t)).toBe(false);
    }
  });

  it("normalises content types and falls back to octet-stream", () => {
    expect(normalizeContentType("Text/Plain; charset=UTF-8")).toBe("text/plain");
    expect(normalizeContentType(undefined)).toBe("application/octet-stream");
    expect(normalizeContentType("not a type")).toBe("application/octet-stream");
    expect(normalizeContentType("text/html\r\nX-Evil: 1")).toBe("application/octet-stream");
  });
});

describe("Range", () => {
  it.each([
    [undefined, 100, { kind: "whole" }],
    ["bytes=0-0", 100, { kind: "part", offset: 0, length: 1 }],
    ["bytes=90-", 100, { kind: "part", offset: 90, length: 10 }],
    ["bytes=-10", 100, { kind: "part", offset: 90, length: 10 }],
    ["bytes=-500", 100, { kind: "part", offset: 0, length: 100 }],
    ["bytes=50-500", 100, { kind: "part", offset: 50, length: 50 }],
    ["bytes=100-", 100, { kind: "unsatisfiable" }],
    ["bytes=-0", 100, { kind: "unsatisfiable" }],
    ["bytes=0-", 0, { kind: "unsatisfiable" }],
    ["bytes=5-1", 100, { kind: "whole" }],
    ["bytes=0-1,5-6", 100, { kind: "whole" }],
    ["items=0-1", 100, { kind: "whole" }],
  ])("%s of %i bytes", (header, size, expected) => expect(parseRange(header, size)).toEqual(expected));

  it("matches If-None-Match weakly, in lists, and *", () => {
    expect(etagMatches('"abc"', '"abc"')).toBe(true);
    expect(etagMatches('W/"abc"', '"abc"')).toBe(true);
    expect(etagMatches('"x", "abc"', '"abc"')).toBe(true);
    expect(etagMatches("*", '"abc"')).toBe(true);
    expect(etagMatches('"abd"', '"abc"')).toBe(false);
    expect(etagMatches(undefined, '"abc"')).toBe(false);
  });
});

describe("multipart sizes", () => {
  it("cuts a file into equal parts and a remainder, bigger parts past 10,000", () => {
    expect(partCount(10, 5)).toBe(2);
    expect([expectedPartBytes(1, 12, 5), expectedPartBytes(2, 12, 5), expectedPartBytes(3, 12, 5)]).toEqual([5, 5, 2]);
    expect(expectedPartBytes(1, 3, 5)).toBe(3);
    const MiB = 1024 * 1024;
    expect(partSizeFor(100 * MiB, 8 * MiB)).toBe(8 * MiB);
    expect(partSizeFor(100_000 * MiB, 8 * MiB)).toBe(10 * MiB);
  });

  it("reads its limits from the configuration, never a part under R2's 5 MiB", () => {
    expect(fileConfig({ MAX_FILE_BYTES: "100", COURSE_QUOTA_BYTES: "1000", UPLOAD_PART_BYTES: "10", MAX_LECTURE_BYTES: "5000" })).toEqual({
      maxFileBytes: 100,
      courseQuotaBytes: 1000,
      partBytes: 5 * 1024 * 1024,
      maxLectureBytes: 5000,
    });
    expect(fileConfig({ MAX_FILE_BYTES: "junk" }).maxFileBytes).toBe(1024 * 1024 * 1024);
  });
});
