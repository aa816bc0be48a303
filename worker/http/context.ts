/**
 * The Hono environment shared by every route, and the middleware that
 * decides who is calling: the session user (from the cookie, verified in
 * D1) and a cross-site request check for cookie-authenticated writes.
 */
import type { Context, MiddlewareHandler } from "hono";
import { sessionToken, sessionUser, type Session, type User } from "../auth/sessions";
import { fail } from "./errors";

export type AppEnv = { Bindings: Env; Variables: { user: User | null; session: Session | null } };
export type AppContext = Context<AppEnv>;

export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const signedIn = await sessionUser(c, c.env.DB);
  c.set("user", signedIn?.user ?? null);
  c.set("session", signedIn?.session ?? null);
  await next();
};

export function requireUser(c: AppContext): User {
  const user = c.get("user");
  if (!user) fail(401, "Sign in first.");
  return user;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses requests that another site could make with this site's cookie:
 * writes, and WebSocket upgrades (browsers send cookies with those too, and
 * a socket is a channel for actions). A browser always says where such a
 * request comes from in Origin; a mismatch is refused, signed in or not (so
 * no page can sign a visitor into another account either). Without Origin,
 * Sec-Fetch-Site decides: anything but same-origin is refused, cookie or
 * not. "same-site" is a sibling subdomain, which shares the registrable
 * domain (and SameSite cookies) but not this origin; "none" is a navigation
 * the user started, which never needs to write. A cookie-carrying write that
 * sends neither header is refused too. Clients that are not browsers send
 * neither and carry no ambient cookie.
 * https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html#using-standard-headers-to-verify-origin
 * https://www.w3.org/TR/fetch-metadata/#sec-fetch-site-header
 */
export const sameOriginWrites: MiddlewareHandler<AppEnv> = async (c, next) => {
  const upgrade = c.req.header("Upgrade")?.toLowerCase() === "websocket";
  if (upgrade || !SAFE_METHODS.has(c.req.method)) {
    const origin = c.req.header("Origin");
    const site = c.req.header("Sec-Fetch-Site");
    if (origin !== undefined) {
      if (origin !== new URL(c.req.url).origin) fail(403, "Cross-site request refused.");
    } else if (site !== undefined) {
      if (site !== "same-origin") fail(403, "Cross-site request refused.");
    } else if (!upgrade && sessionToken(c) !== undefined) {
      fail(403, "Cross-site request refused.");
    }
  }
  await next();
};
