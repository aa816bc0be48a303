/** Who is signed in, app-wide: loaded once from /api/me, updated by sign in/up/out. */
import { createSignal } from "solid-js";
import { ApiError, me, signOut as apiSignOut, type User } from "./api";
import { forgetUserState, keepStateFor } from "./identity";

const [user, setCurrent] = createSignal<User | null>(null);
const [loaded, setLoaded] = createSignal(false);

export { loaded, user };

/** Someone signed in (or the session was loaded): what the browser kept for anyone else goes before any page reads it. */
export function setUser(next: User | null): void {
  if (next) keepStateFor(next.id);
  setCurrent(next);
}

export async function loadSession(): Promise<void> {
  try {
    setUser(await me());
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) console.warn("could not load the session", e);
    setUser(null);
  } finally {
    setLoaded(true);
  }
}

export async function signOut(): Promise<void> {
  await apiSignOut().catch(() => undefined);
  forgetUserState();
  setUser(null);
}
