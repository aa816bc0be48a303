/**
 * The recording's parts: cut at exactly the part size with the rest kept
 * for the last part, and sent in order, each retried until stored, before
 * the upload completes with the recording's length.
 */
import { describe, expect, it } from "vitest";
import { PartCutter, PartSender, type RecordingTransport } from "../../web/src/lectures/live/recorder";
import { TransferError } from "../../web/src/files/uploader";

const blob = (n: number, fill = 1) => new Blob([new Uint8Array(n).fill(fill)]);
const bytesOf = async (b: Blob) => [...new Uint8Array(await b.arrayBuffer())];

describe("PartCutter", () => {
  it("cuts whole parts in order across chunks, and keeps at least one byte for the last part", async () => {
    const cutter = new PartCutter(4);
    expect(cutter.push(blob(3, 1))).toEqual([]);
    expect(cutter.push(blob(1, 2))).toEqual([]); // exactly one part's worth: held back, it may be the last
    const parts = cutter.push(blob(6, 3));
    expect(parts.map((p) => [p.n, p.body.size])).toEqual([
      [1, 4],
      [2, 4],
    ]);
    expect(await bytesOf(parts[0]!.body)).toEqual([1, 1, 1, 2]);
    expect(await bytesOf(parts[1]!.body)).toEqual([3, 3, 3, 3]);
    const last = cutter.finish()!;
    expect([last.n, await bytesOf(last.body)]).toEqual([3, [3, 3]]);
    expect(cutter.finish()).toBeNull();
  });

  it("has no last part when nothing was recorded", () => {
    expect(new PartCutter(4).finish()).toBeNull();
  });
});

describe("PartSender", () => {
  function transport(failures: Record<number, TransferError[]> = {}) {
    const log: string[] = [];
    const t: RecordingTransport = {
      async sendPart(n, body, last) {
        const failure = failures[n]?.shift();
        log.push(`part ${n}${last ? " last" : ""} ${body.size}${failure ? " failed" : ""}`);
        if (failure) throw failure;
      },
      async complete(duration) {
        log.push(`complete ${duration}`);
      },
    };
    return { t, log };
  }

  it("sends parts one after another, retrying a dropped one, then completes", async () => {
    const { t, log } = transport({ 2: [new TransferError("The connection dropped.", true), new TransferError("The connection dropped.", true)] });
    const seen: boolean[] = [];
    const sender = new PartSender(t, (p) => seen.push(p.retrying), async () => {});
    void sender.enqueue(1, blob(4));
    void sender.enqueue(2, blob(4));
    void sender.enqueue(3, blob(2), true);
    await sender.finish(12.5);
    expect(log).toEqual(["part 1 4", "part 2 4 failed", "part 2 4 failed", "part 2 4", "part 3 last 2", "complete 12.5"]);
    expect(seen).toContain(true);
  });

  it("stops at a refusal that will not change, and does not complete", async () => {
    const { t, log } = transport({ 1: [new TransferError("This course's files would pass its quota.", false)] });
    const sender = new PartSender(t, () => {}, async () => {});
    void sender.enqueue(1, blob(4));
    void sender.enqueue(2, blob(1), true);
    await expect(sender.finish(3)).rejects.toThrow("quota");
    expect(log).toEqual(["part 1 4 failed"]);
  });
});
