/**
 * What the browser remembers for the person signed in: editor drafts, ad-hoc
 * rooms' teacher tokens, chat outboxes, votes, unfinished uploads. Each key
 * names its account, and signing out (or another account signing in) removes
 * them all, so a shared computer never hands one person's work or teacher
 * links to the next. Preferences of the browser itself (theme, pane sizes,
 * playback speed) are not kept here: they are nobody's secret.
 */

const PER_USER = "thirdspace.u.";
/** Whose per-user keys this browser holds. */
const OWNER = "thirdspace.owner";
/** A teacher link opened while signed out, for whoever signs in next in this tab. */
const HELD_TOKEN = "thirdspace.held-teacher.";
/** Keys from before they named their account: nobody can tell whose they are, so they go too. */
const UNOWNED = /^(thirdspace\.(draft|teacher|outbox|board)\.|practice(-ts)?:|(lecture-)?upload:)/;

/** The storage key of something kept for `userId` in this browser; every per-user key is made here. */
export function userKey(userId: string, kind: string, ...parts: (string | number)[]): string {
  return [`${PER_USER}${userId}`, kind, ...parts].join(".");
}

function removeMatching(storage: Storage, test: (key: string) => boolean): void {
  const keys = Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter((k): k is string => k !== null);
  for (const key of keys) if (test(key)) storage.removeItem(key);
}

const perUser = (key: string) => key.startsWith(PER_USER) || UNOWNED.test(key) || key === OWNER;

/** Signing out: nothing of this person stays in the browser, nor in this tab. */
export function forgetUserState(): void {
  try {
    removeMatching(localStorage, perUser);
    removeMatching(sessionStorage, (key) => key.startsWith(HELD_TOKEN));
  } catch {
    // Storage refused (private mode): nothing was kept either.
  }
}

/**
 * Called whenever the signed-in account is known. State kept for another
 * account (one that never signed out here, or from before keys named their
 * account) is removed before anything reads it.
 */
export function keepStateFor(userId: string): void {
  try {
    if (localStorage.getItem(OWNER) === userId) return;
    removeMatching(localStorage, perUser);
    localStorage.setItem(OWNER, userId);
  } catch {
    // Storage refused: there is nothing to clear or keep.
  }
}

export const draftKey = (userId: string, roomId: string, role: string) => userKey(userId, "draft", roomId, role);

/** This person's teacher token for an ad-hoc room, taking over one held in this tab from a link opened before signing in. */
export function teacherToken(userId: string, roomId: string): string | null {
  const held = sessionStorage.getItem(HELD_TOKEN + roomId);
  if (held) {
    saveTeacherToken(userId, roomId, held);
    sessionStorage.removeItem(HELD_TOKEN + roomId);
  }
  return localStorage.getItem(userKey(userId, "teacher", roomId));
}

export function saveTeacherToken(userId: string, roomId: string, token: string): void {
  localStorage.setItem(userKey(userId, "teacher", roomId), token);
}

/** A teacher link opened signed out: kept for this tab only, until someone signs in here and opens the room. */
export function holdTeacherToken(roomId: string, token: string): void {
  sessionStorage.setItem(HELD_TOKEN + roomId, token);
}

export function links(roomId: string, token?: string) {
  const base = `${location.origin}/room/${roomId}`;
  return { student: base, teacher: token ? `${base}#teacher=${token}` : null };
}
