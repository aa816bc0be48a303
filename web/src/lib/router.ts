/** A tiny path router: the current path as a signal, and navigation without reloads. */
import { createSignal } from "solid-js";

const [path, setPath] = createSignal(location.pathname);
window.addEventListener("popstate", () => setPath(location.pathname));

export { path };

export function navigate(to: string): void {
  history.pushState(null, "", to);
  setPath(new URL(to, location.origin).pathname);
  window.scrollTo(0, 0);
}

/** Sends a signed-out visitor to sign in, then back here. */
export function signInFirst(): void {
  navigate(`/signin?next=${encodeURIComponent(location.pathname + location.hash)}`);
}

export function nextPath(): string {
  const next = new URLSearchParams(location.search).get("next");
  // Only same-site paths: never bounce to another origin after sign-in.
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}
