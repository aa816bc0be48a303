import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE, signUp } from "../helpers/users";

const framing = (res: Response) => ({
  csp: res.headers.get("content-security-policy"),
  frame: res.headers.get("x-frame-options"),
  referrer: res.headers.get("referrer-policy"),
  nosniff: res.headers.get("x-content-type-options"),
});

// The pages themselves are static assets that never reach the Worker here;
// their headers (web/public/_headers) are checked in test/browser/courses.spec.ts.
describe("API response headers", () => {
  it("forbid framing and keep the referrer to this site, on answers, errors and unknown paths", async () => {
    const account = await signUp("Frames");
    for (const res of [
      await SELF.fetch(`${BASE}/api/health`),
      await account.fetch("/api/me"),
      await SELF.fetch(`${BASE}/api/me`),
      await SELF.fetch(`${BASE}/api/nowhere`),
    ]) {
      expect(framing(res)).toEqual({ csp: "frame-ancestors 'none'", frame: "DENY", referrer: "same-origin", nosniff: "nosniff" });
    }
  });
});
