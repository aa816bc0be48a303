/** A tiny path router: the current path as a signal, and navigation without reloads. */
import { createSignal } from "solid-js";
import { holdTeacherToken } from "./identity";

const [path, setPath] = createSignal(location.pathname);
window.addEventListener("popstate", () => setPath(location.pathname));

export { path };

export function navigate(to: string): void {
  history.pushState(null, "", to);
  setPath(new URL(to, location.origin).pathname);
  window.scrollTo(0, 0);
}

/**
 * Sends a signed-out visitor to sign in, then back here. A teacher link's
 * token (in the fragment) is put away first and never carried in the
 * address, where history and screenshots would keep it.
 */
export function signInFirst(): void {
  const room = /^\/room\/([^/]+)$/.exec(location.pathname)?.[1];
  const token = /^#teacher=([A-Za-z0-9_-]+)$/.exec(location.hash)?.[1];
  if (room && token) holdTeacherToken(decodeURIComponent(room), token);
  history.replaceState(null, "", location.pathname + location.search);
  navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
}

export function nextPath(): string {
  const next = new URLSearchParams(location.search).get("next");
  // Only same-site paths: never bounce to another origin after sign-in.
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}
