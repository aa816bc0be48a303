/** Sign-in limits: counted before the password check, per account and address, per address (IPv6 by /64), and slowly per account. */
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ipv6Prefix64 } from "../../worker/auth/rate-limit";
import { BASE, PASSWORD, signUp } from "../helpers/users";

const login = (email: string, password: string, ip: string) =>
  SELF.fetch(`${BASE}/api/auth/login`, {
    method: "POST",
    headers: { Origin: BASE, "CF-Connecting-IP": ip },
    body: JSON.stringify({ email, password }),
  });

describe("sign-in limits", () => {
  it("lets 5 of 30 parallel wrong guesses be checked, and refuses the rest at once", async () => {
    const account = await signUp("Target");
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login(account.user.email, `guess${i}`, "192.0.2.1")));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    const refused = await login(account.user.email, PASSWORD, "192.0.2.1");
    expect([refused.status, await refused.json()]).toEqual([429, { error: "Too many attempts. Try again in 15 minutes." }]);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(14 * 60);
  });

  it("never locks the owner out: a stranger's guesses count against the stranger's address only", async () => {
    const account = await signUp("Owner");
    for (let i = 0; i < 6; i++) await login(account.user.email, `guess${i}`, "203.0.113.9");
    expect((await login(account.user.email, PASSWORD, "198.51.100.20")).status).toBe(200);
  });

  it("limits an address across accounts, an IPv6 client by its /64", async () => {
    for (let i = 0; i < 20; i++) expect((await login(`spray${i}@example.com`, "guess", `2001:db8:aa:1::${i + 1}`)).status).toBe(401);
    const account = await signUp("Innocent");
    expect((await login(account.user.email, PASSWORD, "2001:db8:aa:1:ffff::7")).status).toBe(429);
    expect((await login(account.user.email, PASSWORD, "2001:db8:aa:2::1")).status).toBe(200);
  });

  it("slows guessing spread over many addresses, but not the owner's own", async () => {
    const account = await signUp("Popular");
    expect((await login(account.user.email, PASSWORD, "192.0.2.200")).status).toBe(200);
    for (let i = 0; i < 100; i++) await login(account.user.email, "guess", `10.1.${i >> 8}.${i & 255}`);
    expect((await login(account.user.email, PASSWORD, "10.9.9.9")).status).toBe(429);
    expect((await login(account.user.email, PASSWORD, "192.0.2.200")).status).toBe(200);
  });

  it.each([
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["2001:DB8:00aa:0001:0:0:0:5", "2001:db8:aa:1::/64"],
    ["fe80::", "fe80:0:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
  ])("%s is in %s", (ip, prefix) => expect(ipv6Prefix64(ip)).toBe(prefix));
});
