/**
 * What the browser remembers: the display name, a per-tab client id (so a
 * reconnect can take over its own stale socket), teacher tokens per room,
 * and unsent editor contents.
 */
const NAME_KEY = "thirdspace.name";

export const savedName = () => localStorage.getItem(NAME_KEY) ?? "";
export const saveName = (name: string) => localStorage.setItem(NAME_KEY, name);

export function teacherToken(roomId: string): string | null {
  return localStorage.getItem(`thirdspace.teacher.${roomId}`);
}
export function saveTeacherToken(roomId: string, token: string): void {
  localStorage.setItem(`thirdspace.teacher.${roomId}`, token);
}

export function clientId(): string {
  let id = sessionStorage.getItem("thirdspace.client");
  if (!id) {
    id = crypto.randomUUID().replace(/-/g, "");
    sessionStorage.setItem("thirdspace.client", id);
  }
  return id;
}

export const draftKey = (roomId: string, role: string) => `thirdspace.draft.${roomId}.${role}`;

export function links(roomId: string, token?: string) {
  const base = `${location.origin}/room/${roomId}`;
  return { student: base, teacher: token ? `${base}#teacher=${token}` : null };
}
