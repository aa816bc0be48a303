import { describe, expect, it } from "vitest";
import type { CourseFile } from "../../protocol";
import { RateMeter, formatBytes, formatDuration } from "../../web/src/files/rate";
import { TransferError, uploadInParts, type UploadProgress, type UploadState, type UploadTransport } from "../../web/src/files/uploader";

const PART = 10;

/** A server in memory: keeps the parts it received, and fails the sends it is told to fail. */
function fakeServer(
  content: string,
  options: { have?: number[]; failSends?: Map<number, TransferError>; lostAnswers?: number[]; statusFailures?: number } = {},
) {
  const size = content.length;
  const parts = new Map<number, string>();
  for (const n of options.have ?? []) parts.set(n, content.slice((n - 1) * PART, n * PART));
  const log: string[] = [];
  let started = 0;
  const state = (): UploadState => ({ uploadId: "u1", partSize: PART, parts: [...parts.keys()].sort((a, b) => a - b) });
  const transport: UploadTransport = {
    async start() {
      started++;
      log.push("start");
      return state();
    },
    async status(id) {
      log.push(`status ${id}`);
      if (options.statusFailures) {
        options.statusFailures--;
        throw new TransferError("The connection dropped.", true);
      }
      return id === "u1" ? state() : null;
    },
    async sendPart(_id, n, body, onBytes) {
      log.push(`part ${n}`);
      const failure = options.failSends?.get(n);
      if (failure) {
        options.failSends!.delete(n);
        onBytes(Math.floor(body.size / 2));
        throw failure;
      }
      parts.set(n, await body.text());
      onBytes(body.size);
      // The server stored it, but the answer never arrived.
      if (options.lostAnswers?.includes(n)) {
        options.lostAnswers.splice(options.lostAnswers.indexOf(n), 1);
        throw new TransferError("The connection dropped.", true);
      }
    },
    async complete() {
      log.push("complete");
      const count = Math.ceil(size / PART);
      for (let n = 1; n <= count; n++) if (!parts.has(n)) throw new TransferError(`part ${n} missing`, false);
      const content = [...Array(count).keys()].map((i) => parts.get(i + 1)).join("");
      return { id: "f1", name: content, size } as CourseFile;
    },
  };
  return { transport, log, started: () => started };
}

const text = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
const bytes = (n: number) => new Blob([text(n)]);
const noWait = async () => {};

describe("resumable upload", () => {
  it("sends every part once and completes with the bytes in order", async () => {
    const server = fakeServer(text(35));
    const seen: UploadProgress[] = [];
    const file = await uploadInParts(bytes(35), { transport: server.transport, concurrency: 2, wait: noWait, onProgress: (p) => seen.push(p) });
    expect(file.name).toBe(text(35));
    expect(server.log.filter((l) => l.startsWith("part")).sort()).toEqual(["part 1", "part 2", "part 3", "part 4"]);
    expect(server.log.at(-1)).toBe("complete");
    expect(seen.at(-1)).toMatchObject({ sent: 35, total: 35, phase: "finishing" });
    // Never backwards while all goes well.
    expect(seen.every((p, i) => i === 0 || p.sent >= seen[i - 1]!.sent)).toBe(true);
  });

  it("after a dropped part waits, asks the server what it has, and sends only what is missing", async () => {
    const server = fakeServer(text(40), { failSends: new Map([[3, new TransferError("The connection dropped.", true)]]) });
    const phases: string[] = [];
    const waits: number[] = [];
    const file = await uploadInParts(bytes(40), {
      transport: server.transport,
      concurrency: 1,
      wait: async (attempt) => void waits.push(attempt),
      onProgress: (p) => phases.push(p.phase),
    });
    expect(file.name).toBe(text(40));
    // Part 3 failed; part 4 was not started in that round; both follow the status check.
    expect(server.log).toEqual(["start", "part 1", "part 2", "part 3", "status u1", "part 3", "part 4", "complete"]);
    expect(waits).toEqual([1]);
    expect(phases).toContain("waiting");
  });

  it("does not send again a part whose answer was lost but which the server kept", async () => {
    const server = fakeServer(text(30), { lostAnswers: [2] });
    await uploadInParts(bytes(30), { transport: server.transport, concurrency: 1, wait: noWait });
    expect(server.log).toEqual(["start", "part 1", "part 2", "status u1", "part 3", "complete"]);
  });

  it("while the server cannot be asked what it has, waits again instead of resending parts it may hold", async () => {
    const server = fakeServer(text(30), { lostAnswers: [1], statusFailures: 2 });
    const waits: number[] = [];
    await uploadInParts(bytes(30), { transport: server.transport, concurrency: 1, wait: async (n) => void waits.push(n) });
    expect(server.log).toEqual(["start", "part 1", "status u1", "status u1", "status u1", "part 2", "part 3", "complete"]);
    expect(waits).toEqual([1, 2, 3]);
  });

  it("resumes an upload started before a reload, sending only the parts the server lacks", async () => {
    const server = fakeServer(text(30), { have: [1, 3] });
    const seen: UploadProgress[] = [];
    const file = await uploadInParts(bytes(30), { transport: server.transport, resumeId: "u1", wait: noWait, onProgress: (p) => seen.push(p) });
    expect(file.name).toBe(text(30));
    expect(server.started()).toBe(0);
    expect(server.log).toEqual(["status u1", "part 2", "complete"]);
    expect(seen[0]).toMatchObject({ sent: 20, total: 30 });
  });

  it("starts afresh when the upload to resume no longer exists", async () => {
    const server = fakeServer(text(10));
    await uploadInParts(bytes(10), { transport: server.transport, resumeId: "gone", wait: noWait });
    expect(server.log).toEqual(["status gone", "start", "part 1", "complete"]);
  });

  it("gives up at once, with the server's words, on an answer that will not change", async () => {
    const server = fakeServer(text(30), { failSends: new Map([[1, new TransferError("Part 1 must be exactly 10 bytes; this one is 9.", false)]]) });
    await expect(uploadInParts(bytes(30), { transport: server.transport, concurrency: 1, wait: noWait })).rejects.toThrow(
      "Part 1 must be exactly 10 bytes; this one is 9.",
    );
    expect(server.log).toEqual(["start", "part 1"]);
  });

  it("stops when the page cancels it", async () => {
    const server = fakeServer(text(30), { failSends: new Map([[1, new TransferError("The connection dropped.", true)]]) });
    const cancel = new AbortController();
    const done = uploadInParts(bytes(30), { transport: server.transport, concurrency: 1, wait: async () => cancel.abort(), signal: cancel.signal });
    await expect(done).rejects.toThrow();
    expect(server.log).toEqual(["start", "part 1"]);
  });
});

describe("speed and time left", () => {
  it("measures bytes per second over the recent window only", () => {
    let t = 0;
    const meter = new RateMeter(() => t);
    expect(meter.sample(0)).toBeNull();
    t = 400;
    expect(meter.sample(400)).toBeNull(); // too little history to say
    t = 1000;
    expect(meter.sample(1000)).toBe(1000);
    // The link slows to 100 bytes/s; after the window the old pace no longer counts.
    for (t = 2000; t < 12_000; t += 1000) meter.sample(1000 + (t - 1000) / 10);
    expect(meter.sample(1000 + (t - 1000) / 10)).toBeCloseTo(100, 5);
  });

  it.each([
    [1, "1 byte"],
    [999, "999 bytes"],
    [1500, "1.5 KB"],
    [12_345_678, "12.3 MB"],
    [209_715_200, "210 MB"],
    [5e12, "5.0 TB"],
  ])("formats %d bytes as %j", (n, text) => expect(formatBytes(n)).toBe(text));

  it.each([
    [0.2, "about 1 s"],
    [42, "about 42 s"],
    [150, "about 3 min"],
    [3900, "about 1 h 5 min"],
  ])("formats %d s as %j", (s, text) => expect(formatDuration(s)).toBe(text));
});
