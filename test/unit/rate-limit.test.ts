import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../worker/room/rate-limit";

describe("TokenBucket", () => {
  it("allows a burst, refuses the next, and refills at its rate", () => {
    const bucket = new TokenBucket(3, 1, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(500)).toBe(false); // half a token
    expect(bucket.take(1000)).toBe(true); // one whole token after a second
    expect(bucket.take(1000)).toBe(false);
  });

  it("never holds more than its capacity, however long it was idle", () => {
    const bucket = new TokenBucket(2, 1, 0);
    const takes = [bucket.take(60_000), bucket.take(60_000), bucket.take(60_000)];
    expect(takes).toEqual([true, true, false]);
  });
});
