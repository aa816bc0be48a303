/**
 * Server-side sessions in D1 behind an HttpOnly cookie. The cookie holds a
 * random token; D1 holds only its SHA-256, so a leaked database row cannot
 * be replayed as a cookie.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { UserInfo } from "../../protocol";
import { newToken, sha256Hex } from "../lib/secrets";

export const SESSION_COOKIE = "ts_session";
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export type User = UserInfo;

const overHttps = (c: Context) => new URL(c.req.url).protocol === "https:";

/**
 * Over https the cookie is `__Host-ts_session`. Browsers keep a `__Host-`
 * cookie only if it is Secure, has Path=/ and no Domain, so a sibling
 * subdomain can neither set it nor shadow it with a cookie of its own for
 * the parent domain (RFC 6265bis § 4.1.3.2, "The __Host- Prefix":
 * https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#name-the-__host-prefix).
 * Over plain http (local development) browsers refuse that prefix without
 * Secure, so the plain name stays. Each scheme reads only its own name: over
 * https a plain `ts_session` may have been planted by a sibling.
 */
const prefix = (c: Context) => (overHttps(c) ? ("host" as const) : undefined);

/** The session token the request carries under this scheme's cookie name, if any. */
export function sessionToken(c: Context): string | undefined {
  const token = getCookie(c, SESSION_COOKIE, prefix(c));
  // Tokens are 43 characters; a much longer value is not one and is not worth hashing.
  return token && token.length <= 128 ? token : undefined;
}

export async function startSession(c: Context, db: D1Database, userId: string, now = Date.now()): Promise<void> {
  const token = newToken();
  await db
    .prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
    .bind(await sha256Hex(token), userId, now, now + SESSION_TTL_MS)
    .run();
  setCookie(c, SESSION_COOKIE, token, {
    prefix: prefix(c),
    httpOnly: true,
    sameSite: "Lax",
    secure: overHttps(c),
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

/** A live session: its key (the token's SHA-256, as stored) and when it ends. */
export interface Session {
  key: string;
  expiresAt: number;
}

export async function sessionUser(c: Context, db: D1Database, now = Date.now()): Promise<{ user: User; session: Session } | null> {
  const token = sessionToken(c);
  if (!token) return null;
  const key = await sha256Hex(token);
  const row = await db
    .prepare(
      `SELECT users.id, users.email, users.name, sessions.expires_at FROM sessions JOIN users ON users.id = sessions.user_id
       WHERE sessions.token_hash = ? AND sessions.expires_at > ?`,
    )
    .bind(key, now)
    .first<User & { expires_at: number }>();
  if (!row) return null;
  return { user: { id: row.id, email: row.email, name: row.name }, session: { key, expiresAt: row.expires_at } };
}

export async function endSession(c: Context, db: D1Database): Promise<void> {
  const token = sessionToken(c);
  if (token) {
    await db.prepare("DELETE FROM sessions WHERE token_hash = ?").bind(await sha256Hex(token)).run();
  }
  deleteCookie(c, SESSION_COOKIE, { prefix: prefix(c), path: "/", secure: overHttps(c) });
}
