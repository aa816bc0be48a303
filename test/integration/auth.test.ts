import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PBKDF2_ITERATIONS } from "../../worker/auth/password";
import { BASE, PASSWORD, sessionCookie, signUp } from "../helpers/users";

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  SELF.fetch(`${BASE}${path}`, { method: "POST", headers: { Origin: BASE, ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });

const userCount = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM users").first<{ n: number }>())!.n;

describe("sign up", () => {
  it("creates the account, answers 201 and sets an HttpOnly, SameSite=Lax session cookie", async () => {
    const res = await post("/api/auth/signup", { email: "Grace@Example.com", password: PASSWORD, name: "Grace" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { user: { id: string; email: string; name: string } };
    expect(body).toEqual({ user: { id: expect.any(String), email: "grace@example.com", name: "Grace" } });
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^ts_session=[A-Za-z0-9_-]{43}; Max-Age=1209600; Path=\/; HttpOnly; SameSite=Lax$/);

    const me = await SELF.fetch(`${BASE}/api/me`, { headers: { Cookie: sessionCookie(res) } });
    expect(await me.json()).toEqual({ user: body.user });
  });


  it("stores a salted PBKDF2-SHA256 hash, never the password, and only a hash of the session token", async () => {
    const account = await signUp("Hash");
    const row = await env.DB.prepare("SELECT * FROM users WHERE id = ?").bind(account.user.id).first<Record<string, unknown>>();
    expect(row).toMatchObject({ password_iterations: PBKDF2_ITERATIONS, password_salt: expect.stringMatching(/^[A-Za-z0-9+/]{22}==$/) });
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    const token = account.cookie.split("=")[1]!;
    const sessions = await env.DB.prepare("SELECT token_hash FROM sessions WHERE user_id = ?").bind(account.user.id).all();
    expect(sessions.results).toHaveLength(1);
    expect(JSON.stringify(sessions.results)).not.toContain(token);
  });

  it.each([
    ["an invalid email", { email: "nope", password: PASSWORD, name: "X" }, { email: "must be an email address" }],
    ["a short password", { email: "a@b.co", password: "short", name: "X" }, { password: "must be at least 8 characters" }],
    ["an overlong name", { email: "a@b.co", password: PASSWORD, name: "n".repeat(41) }, { name: "must be at most 40 characters" }],
    ["an overlong password", { email: "a@b.co", password: "p".repeat(201), name: "X" }, { password: "must be at most 200 characters" }],
    ["a missing field", { email: "a@b.co", password: PASSWORD }, { name: expect.any(String) }],
  ])("refuses %s with a message for the field, and writes nothing", async (_n, body, fields) => {
    const before = await userCount();
    const res = await post("/api/auth/signup", body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "Some fields are invalid.", fields });
    expect(await userCount()).toBe(before);
  });

  it("refuses a duplicate email (any case) with 409 and writes nothing", async () => {
    const first = await signUp("Dup");
    const before = await userCount();
    const res = await post("/api/auth/signup", { email: first.user.email.toUpperCase(), password: PASSWORD, name: "Other" });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: "Some fields are invalid.",
      fields: { email: "cannot be used to sign up; if it is yours, sign in instead" },
    });
    expect(await userCount()).toBe(before);
  });

  it("refuses malformed and oversized bodies", async () => {
    expect((await post("/api/auth/signup", "{oops")).status).toBe(400);
    expect((await post("/api/auth/signup", { email: "a@b.co", password: "x".repeat(20_000), name: "X" })).status).toBe(413);
  });
});

describe("sign in and out", () => {
  it("signs in with the right password and answers the same error for a wrong password or an unknown email", async () => {
    const account = await signUp("Linus");
    const ok = await post("/api/auth/login", { email: account.user.email, password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ user: account.user });
    expect(ok.headers.get("set-cookie")).toMatch(/^ts_session=/);

    const wrong = await post("/api/auth/login", { email: account.user.email, password: "wrong password" });
    const unknown = await post("/api/auth/login", { email: "nobody@example.com", password: "wrong password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: "Email or password is incorrect." });
    expect(await unknown.json()).toEqual({ error: "Email or password is incorrect." });
  });

  it("ends the session on the server when signing out", async () => {
    const account = await signUp("Out");
    const res = await account.fetch("/api/auth/logout", { method: "POST" });
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).toMatch(/^ts_session=; Max-Age=0; Path=\//);
    expect((await account.fetch("/api/me")).status).toBe(401);
  });

  it("rejects an expired session", async () => {
    const account = await signUp("Old");
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE user_id = ?").bind(Date.now() - 1, account.user.id).run();
    const res = await account.fetch("/api/me");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Sign in first." });
  });
});

describe("the session cookie over https", () => {
  const HTTPS = "https://thirdspace.test";
  const overHttps = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has("Origin")) headers.set("Origin", HTTPS);
    return SELF.fetch(`${HTTPS}${path}`, { ...init, headers });
  };
  const attributes = (setCookie: string) => setCookie.split("; ").slice(1).sort();

  async function signUpOverHttps(name: string) {
    const email = `${name.toLowerCase()}.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const res = await overHttps("/api/auth/signup", { method: "POST", body: JSON.stringify({ email, password: PASSWORD, name }) });
    expect(res.status).toBe(201);
    const { user } = (await res.json()) as { user: { id: string; email: string; name: string } };
    return { user, setCookie: res.headers.get("set-cookie")!, token: /^[^=]+=([^;]*)/.exec(res.headers.get("set-cookie")!)![1]! };
  }

  it("is named __Host-ts_session, Secure, Path=/, HttpOnly, SameSite=Lax and has no Domain, on sign-up and sign-in", async () => {
    const { user, setCookie } = await signUpOverHttps("Host");
    expect(setCookie).toMatch(/^__Host-ts_session=[A-Za-z0-9_-]{43}; /);
    expect(attributes(setCookie)).toEqual(["HttpOnly", "Max-Age=1209600", "Path=/", "SameSite=Lax", "Secure"]);

    const login = await overHttps("/api/auth/login", { method: "POST", body: JSON.stringify({ email: user.email, password: PASSWORD }) });
    expect(login.status).toBe(200);
    const again = login.headers.get("set-cookie")!;
    expect(again).toMatch(/^__Host-ts_session=[A-Za-z0-9_-]{43}; /);
    expect(attributes(again)).toEqual(["HttpOnly", "Max-Age=1209600", "Path=/", "SameSite=Lax", "Secure"]);

    const me = await overHttps("/api/me", { headers: { Cookie: sessionCookie(login) } });
    expect(await me.json()).toEqual({ user });
  });

  it("reads only __Host-ts_session over https: a plain ts_session, which a sibling subdomain could set, is no session", async () => {
    const { token } = await signUpOverHttps("Shadow");
    const planted = await overHttps("/api/me", { headers: { Cookie: `ts_session=${token}` } });
    expect([planted.status, await planted.json()]).toEqual([401, { error: "Sign in first." }]);
    // A cookie the sibling sets beside the real one does not displace it.
    const both = await overHttps("/api/me", { headers: { Cookie: `ts_session=${"x".repeat(43)}; __Host-ts_session=${token}` } });
    expect(both.status).toBe(200);
  });

  it("reads only the plain name over http, where browsers never send a __Host- cookie", async () => {
    const account = await signUp("Plain");
    const token = account.cookie.split("=")[1]!;
    expect((await SELF.fetch(`${BASE}/api/me`, { headers: { Cookie: `__Host-ts_session=${token}` } })).status).toBe(401);
    expect((await SELF.fetch(`${BASE}/api/me`, { headers: { Cookie: `ts_session=${token}` } })).status).toBe(200);
  });

  it("is cleared under its own name by signing out, and the session ends", async () => {
    const { token } = await signUpOverHttps("Leaver");
    const cookie = `__Host-ts_session=${token}`;
    const out = await overHttps("/api/auth/logout", { method: "POST", headers: { Cookie: cookie } });
    expect(out.status).toBe(204);
    const cleared = out.headers.get("set-cookie")!;
    expect(cleared).toMatch(/^__Host-ts_session=; /);
    expect(attributes(cleared)).toEqual(["Max-Age=0", "Path=/", "Secure"]);
    expect((await overHttps("/api/me", { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it("counts as the session cookie in the cross-site check: a write carrying it with neither Origin nor Sec-Fetch-Site is refused", async () => {
    const { token } = await signUpOverHttps("Bare");
    const res = await SELF.fetch(`${HTTPS}/api/auth/logout`, { method: "POST", headers: { Cookie: `__Host-ts_session=${token}` } });
    expect([res.status, await res.json()]).toEqual([403, { error: "Cross-site request refused." }]);
    expect((await overHttps("/api/me", { headers: { Cookie: `__Host-ts_session=${token}` } })).status).toBe(200);
  });
});

describe("cross-site writes", () => {
  it("refuses a cookie-carrying write from another origin or with no origin", async () => {
    const account = await signUp("Csrf");
    const evil = await account.fetch("/api/auth/logout", { method: "POST", headers: { Origin: "https://evil.example" } });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toEqual({ error: "Cross-site request refused." });
    const bare = await SELF.fetch(`${BASE}/api/auth/logout`, { method: "POST", headers: { Cookie: account.cookie } });
    expect(bare.status).toBe(403);
    expect((await account.fetch("/api/me")).status).toBe(200); // still signed in
    const sameSite = await SELF.fetch(`${BASE}/api/auth/logout`, {
      method: "POST",
      headers: { Cookie: account.cookie, "Sec-Fetch-Site": "same-origin" },
    });
    expect(sameSite.status).toBe(204);
  });

  it.each(["same-site", "cross-site", "none"])("refuses a cookie-carrying write without Origin that says Sec-Fetch-Site: %s", async (site) => {
    const account = await signUp("Sibling");
    const res = await SELF.fetch(`${BASE}/api/courses`, {
      method: "POST",
      headers: { Cookie: account.cookie, "Sec-Fetch-Site": site },
      body: JSON.stringify({ title: "Planted", code: "X1", timezone: "UTC" }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "Cross-site request refused." });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM courses WHERE owner_id = ?").bind(account.user.id).first("n")).toBe(0);
  });

  it.each(["same-site", "cross-site"])("refuses a sign-in without Origin that says Sec-Fetch-Site: %s, so a sibling subdomain cannot sign a visitor in", async (site) => {
    const account = await signUp("Sibling");
    const res = await SELF.fetch(`${BASE}/api/auth/login`, {
      method: "POST",
      headers: { "Sec-Fetch-Site": site },
      body: JSON.stringify({ email: account.user.email, password: PASSWORD }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("lets a sign-in through from a client that sends no Origin and no Sec-Fetch-Site, or says same-origin", async () => {
    const account = await signUp("Script");
    const body = JSON.stringify({ email: account.user.email, password: PASSWORD });
    expect((await SELF.fetch(`${BASE}/api/auth/login`, { method: "POST", body })).status).toBe(200);
    expect((await SELF.fetch(`${BASE}/api/auth/login`, { method: "POST", body, headers: { "Sec-Fetch-Site": "same-origin" } })).status).toBe(200);
  });

  it("refuses a sign-in posted from another site, so no page can sign a visitor into its account", async () => {
    const account = await signUp("Victim");
    const res = await post("/api/auth/login", { email: account.user.email, password: PASSWORD }, { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("refuses a room socket opened from another site, even with a valid cookie", async () => {
    const account = await signUp("Sock");
    const room = await account.json<{ roomId: string }>("POST", "/api/rooms", {});
    const res = await account.fetch(`/api/rooms/${room.body.roomId}/ws`, {
      headers: { Upgrade: "websocket", Origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
    expect(res.webSocket).toBeNull();
  });

  it("refuses a room socket without Origin that says Sec-Fetch-Site: same-site", async () => {
    const account = await signUp("Sock");
    const room = await account.json<{ roomId: string }>("POST", "/api/rooms", {});
    const res = await SELF.fetch(`${BASE}/api/rooms/${room.body.roomId}/ws`, {
      headers: { Cookie: account.cookie, Upgrade: "websocket", "Sec-Fetch-Site": "same-site" },
    });
    expect(res.status).toBe(403);
    expect(res.webSocket).toBeNull();
  });

  it("answers 401 to /api/me without a session", async () => {
    const res = await SELF.fetch(`${BASE}/api/me`);
    expect(res.status).toBe(401);
  });
});
