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

export async function startSession(c: Context, db: D1Database, userId: string, now = Date.now()): Promise<void> {
  const token = newToken();
  await db
    .prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
    .bind(await sha256Hex(token), userId, now, now + SESSION_TTL_MS)
    .run();
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: new URL(c.req.url).protocol === "https:",
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export async function sessionUser(c: Context, db: D1Database, now = Date.now()): Promise<User | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token || token.length > 128) return null;
  return db
    .prepare(
      `SELECT users.id, users.email, users.name FROM sessions JOIN users ON users.id = sessions.user_id
       WHERE sessions.token_hash = ? AND sessions.expires_at > ?`,
    )
    .bind(await sha256Hex(token), now)
    .first<User>();
}

export async function endSession(c: Context, db: D1Database): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token && token.length <= 128) {
    await db.prepare("DELETE FROM sessions WHERE token_hash = ?").bind(await sha256Hex(token)).run();
  }
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: new URL(c.req.url).protocol === "https:" });
}
