/** Who may go live, end a broadcast and signal whom, and when a paused broadcast is over: the pure rules of live-rules.ts. */
import { describe, expect, it } from "vitest";
import { LIVE_LIMITS } from "../../protocol";
import { HELLO_EVERY_MS, PAUSE_LIMIT_MS, abandoned, decideSignal, decideStart, type Broadcast } from "../../worker/room/live-rules";
import type { Participant } from "../../worker/room/rules";

const grace: Participant = { userId: "u-grace", username: "Grace", role: "Teacher", joinedAt: 0 };
const tara: Participant = { userId: "u-tara", username: "Tara", role: "Teacher", joinedAt: 0 };
const ada: Participant = { userId: "u-ada", username: "Ada", role: "Student", joinedAt: 0 };
const live: Broadcast = { userId: "u-grace", by: "Grace", peer: "gracepeer01", startedAt: 0, provider: "local", whepUrl: null, whipUrl: null, liveInput: null, recording: null, problem: null };

describe("going live", () => {
  it("is for teachers, outside the course chat, and one broadcaster at a time", () => {
    expect(decideStart(ada, "class", null, false)).toMatchObject({ code: "FORBIDDEN", error_message: "Only teachers go live." });
    expect(decideStart(grace, "channel", null, false)).toMatchObject({ code: "FORBIDDEN" });
    expect(decideStart(grace, "class", null, false)).toEqual({ ok: true, resume: false });
    expect(decideStart(tara, "class", live, false)).toMatchObject({ error_message: "Grace is live already; end that broadcast first." });
    expect(decideStart(tara, "class", live, true)).toMatchObject({ error_message: "Grace is live now, not you." });
    expect(decideStart(grace, "class", live, true)).toEqual({ ok: true, resume: true });
    expect(decideStart(grace, "class", live, false)).toEqual({ ok: true, resume: false }); // a reload starts over
    expect(decideStart(grace, "class", null, true)).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("signalling", () => {
  const hello = { to: "gracepeer01", kind: "hello" as const };
  it("lets a viewer reach only the broadcaster, say hello again only after a pause, and join only under the cap", () => {
    expect(decideSignal("adapeer0001", live, hello, new Set(), undefined, 0)).toBeNull();
    expect(decideSignal("adapeer0001", live, { to: "linuspeer01", kind: "hello" }, new Set(), undefined, 0)).toMatchObject({ error_message: "Viewers signal only the broadcaster." });
    expect(decideSignal("adapeer0001", live, hello, new Set(["adapeer0001"]), 1000, 1000 + HELLO_EVERY_MS - 1)).toMatchObject({ code: "RATE_LIMITED" });
    expect(decideSignal("adapeer0001", live, hello, new Set(["adapeer0001"]), 1000, 1000 + HELLO_EVERY_MS)).toBeNull();
    const full = new Set(Array.from({ length: LIVE_LIMITS.localViewers }, (_, i) => `viewer${String(i).padStart(4, "0")}`));
    expect(decideSignal("adapeer0001", live, hello, full, undefined, 0)).toMatchObject({ code: "FORBIDDEN" });
    expect(decideSignal("viewer0001", live, { to: "gracepeer01", kind: "answer", sdp: "v=0" }, full, undefined, 0)).toBeNull();
  });

  it("has nothing to relay for Stream, nor while the broadcaster reconnects", () => {
    expect(decideSignal("adapeer0001", { ...live, provider: "stream" }, hello, new Set(), undefined, 0)).toMatchObject({ code: "FORBIDDEN" });
    expect(decideSignal("adapeer0001", { ...live, peer: null }, hello, new Set(), undefined, 0)).toMatchObject({ code: "NOT_FOUND" });
    expect(decideSignal("gracepeer01", live, { to: "gracepeer01", kind: "offer", sdp: "v=0" }, new Set(), undefined, 0)).toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("a paused broadcast", () => {
  it("is over once its broadcaster has been gone longer than the limit, and not before", () => {
    expect(abandoned({ ...live, peer: null, pausedAt: 0 }, PAUSE_LIMIT_MS)).toBe(false);
    expect(abandoned({ ...live, peer: null, pausedAt: 0 }, PAUSE_LIMIT_MS + 1)).toBe(true);
    expect(abandoned({ ...live, pausedAt: 0 }, PAUSE_LIMIT_MS + 1)).toBe(false); // back on a connection
    expect(abandoned(null, 0)).toBe(false);
  });
});
