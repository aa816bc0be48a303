/** What the browser remembers: teacher tokens per ad-hoc room, and editor drafts. */

export function teacherToken(roomId: string): string | null {
  return localStorage.getItem(`thirdspace.teacher.${roomId}`);
}
export function saveTeacherToken(roomId: string, token: string): void {
  localStorage.setItem(`thirdspace.teacher.${roomId}`, token);
}

export const draftKey = (roomId: string, role: string) => `thirdspace.draft.${roomId}.${role}`;

export function links(roomId: string, token?: string) {
  const base = `${location.origin}/room/${roomId}`;
  return { student: base, teacher: token ? `${base}#teacher=${token}` : null };
}
