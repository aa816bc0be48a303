/** Who is signed in, app-wide: loaded once from /api/me, updated by sign in/up/out. */
import { createSignal } from "solid-js";
import { ApiError, me, signOut as apiSignOut, type User } from "./api";

const [user, setUser] = createSignal<User | null>(null);
const [loaded, setLoaded] = createSignal(false);

export { loaded, setUser, user };

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
  setUser(null);
}
