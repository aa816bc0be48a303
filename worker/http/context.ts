/**
 * The Hono environment shared by every route, and the middleware that
 * decides who is calling: the session user (from the cookie, verified in
 * D1) and a cross-site request check for cookie-authenticated writes.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { SESSION_COOKIE, sessionUser, type User } from "../auth/sessions";
import { fail } from "./errors";

export type AppEnv = { Bindings: Env; Variables: { user: User | null } };
export type AppContext = Context<AppEnv>;

export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("user", await sessionUser(c, c.env.DB));
  await next();
};

export function requireUser(c: AppContext): User {
  const user = c.get("user");
  if (!user) fail(401, "Sign in first.");
  return user;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * SameSite=Lax already keeps the cookie off cross-site POSTs in current
 * browsers; this closes the rest (older browsers, same-site subdomains) by
 * refusing a cookie-carrying write whose Origin is not this site.
 * https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html#using-standard-headers-to-verify-origin
 */
export const sameOriginWrites: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method) && getCookie(c, SESSION_COOKIE) !== undefined) {
    const origin = c.req.header("Origin");
    const fetchSite = c.req.header("Sec-Fetch-Site");
    const sameOrigin = origin ? origin === new URL(c.req.url).origin : fetchSite === "same-origin";
    if (!sameOrigin) fail(403, "Cross-site request refused.");
  }
  await next();
};
