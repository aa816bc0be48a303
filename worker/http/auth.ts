/** Sign up, sign in, sign out, and who am I. */
import { Hono } from "hono";
import { SignIn, SignUp } from "../../protocol/requests";
import { burnPasswordCheck, hashPassword, verifyPassword } from "../auth/password";
import { clientAddress, isTrusted, signInLimits, signUpLimits, signedIn, takeAttempt } from "../auth/rate-limit";
import { endSession, startSession } from "../auth/sessions";
import { newId } from "../lib/secrets";
import { readJson } from "./body";
import { requireUser, type AppEnv } from "./context";
import { fail } from "./errors";
import { closeSessionSockets } from "./rooms";
import { tooManyAttempts } from "./limits";

const WRONG = "Email or password is incorrect.";

export const auth = new Hono<AppEnv>()
  .post("/signup", async (c) => {
    const body = await readJson(c, SignUp);
    const now = Date.now();
    const wait = await takeAttempt(c.env.DB, signUpLimits(clientAddress(c.req.raw.headers)), now);
    if (wait) tooManyAttempts(wait);

    const password = await hashPassword(body.password);
    const id = newId(16);
    // The UNIQUE constraint decides, so two racing sign-ups cannot both win.
    const inserted = await c.env.DB.prepare(
      `INSERT INTO users (id, email, name, password_hash, password_salt, password_iterations, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING`,
    )
      .bind(id, body.email, body.name, password.hash, password.salt, password.iterations, now)
      .run();
    if (inserted.meta.changes === 0) {
      fail(409, "Some fields are invalid.", { email: "cannot be used to sign up; if it is yours, sign in instead" });
    }
    await startSession(c, c.env.DB, id, now);
    return c.json({ user: { id, email: body.email, name: body.name } }, 201);
  })
  .post("/login", async (c) => {
    const body = await readJson(c, SignIn);
    const now = Date.now();
    const address = clientAddress(c.req.raw.headers);
    // Counted before the slow hash: parallel guesses cannot all get through.
    const wait = await takeAttempt(c.env.DB, signInLimits(body.email, address, await isTrusted(c.env.DB, body.email, address, now)), now);
    if (wait) tooManyAttempts(wait);

    const row = await c.env.DB.prepare(
      "SELECT id, email, name, password_hash, password_salt, password_iterations FROM users WHERE email = ?",
    )
      .bind(body.email)
      .first<{ id: string; email: string; name: string; password_hash: string; password_salt: string; password_iterations: number }>();
    const ok = row
      ? await verifyPassword(body.password, { hash: row.password_hash, salt: row.password_salt, iterations: row.password_iterations })
      : await burnPasswordCheck(body.password);
    if (!ok || !row) fail(401, WRONG);
    await signedIn(c.env.DB, body.email, address, now);
    await startSession(c, c.env.DB, row.id, now);
    return c.json({ user: { id: row.id, email: row.email, name: row.name } });
  })
  .post("/logout", async (c) => {
    const session = c.get("session");
    if (session) await closeSessionSockets(c.env, session.key);
    await endSession(c, c.env.DB);
    return c.body(null, 204);
  });

export const me = new Hono<AppEnv>().get("/", (c) => c.json({ user: requireUser(c) }));
