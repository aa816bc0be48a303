/**
 * Who may do what in a room's chat, as pure functions beside rules.ts:
 * facts in (the stored message, the mute list), a rejection or null out.
 */
import { reject, type Participant, type Rejection } from "./rules";

/** What the rules need of a stored chat message. */
export interface MessageFacts {
  authorId: string;
  deleted: boolean;
}

const MUTED = "A teacher has muted you in this chat.";

export function decideSend(muted: boolean): Rejection | null {
  return muted ? reject("MUTED", MUTED) : null;
}

export function decideEdit(id: number, stored: MessageFacts | null, self: Participant, muted: boolean): Rejection | null {
  if (!stored || stored.deleted) return reject("NOT_FOUND", `There is no message ${id}.`);
  if (stored.authorId !== self.userId) return reject("FORBIDDEN", "You can only edit your own messages.");
  return decideSend(muted);
}

/** Authors delete their own messages; staff delete anyone's (moderation). */
export function decideDelete(id: number, stored: MessageFacts | null, self: Participant): Rejection | null {
  if (!stored || stored.deleted) return reject("NOT_FOUND", `There is no message ${id}.`);
  if (stored.authorId !== self.userId && self.role !== "Teacher") {
    return reject("FORBIDDEN", "Only teachers can delete other people's messages.");
  }
  return null;
}

/**
 * Staff mute students only. `studentId` is the student of that name (here
 * now, or known from the chat); `staffNamed` says someone on the staff
 * present has that name, which never makes them mutable.
 */
export function decideMute(self: Participant, username: string, studentId: string | null, staffNamed: boolean): Rejection | null {
  if (self.role !== "Teacher") return reject("FORBIDDEN", "Only teachers can mute participants.");
  if (!studentId && staffNamed) return reject("FORBIDDEN", "Teachers cannot be muted.");
  if (!studentId) return reject("NOT_FOUND", `No student called "${username}" is in this chat.`);
  return null;
}
