/**
 * What the live room says to people: notices, counts, empty states. In one
 * place so the wording can be translated; refusals from the room itself are
 * worded in lib/error-text.ts.
 */
import { plural } from "../lib/plural";

const STUDENTS = { one: "student", other: "students" };
const at = (t: number) => new Date(t).toLocaleTimeString();

export const ROOM_TEXT = {
  studentsConnected: (n: number) => `${plural(n, STUDENTS)} connected`,
  sharedToStudents: (n: number, sharedAt: number) => `Shared to ${plural(n, STUDENTS)} at ${at(sharedAt)}`,
  sharedWithTeacher: (sharedAt: number) => `Shared with teacher at ${at(sharedAt)}`,
  sharing: "Sharing…",
  shareNotConnected: "Not connected. Try again in a moment.",
  runDropped: "The connection dropped while your program ran. Run it again.",
  runNotConnected: "Not connected. Run your code again once the connection is back.",
  handsUp: (n: number) => `${plural(n, { one: "hand", other: "hands" })} up in the room.`,
  queuePlace: (place: number) => `Your hand is up: you are #${place} in the queue.`,
  notConnected: (what: string, button: string) => `Not connected, so your ${what} was not sent. Press ${button} again once the room says Connected.`,
  gridCount: (shown: number, total: number) => `${shown} of ${plural(total, { one: "editor", other: "editors" })}`,
  noEditors: (filtered: boolean) => (filtered ? "No student editors match." : "No student editors yet: they appear as students join."),
  codeTooLong: (max: number) => `This code is too long to run: at most ${max.toLocaleString()} characters.`,
  docTooLong: (max: number) => `This code is too long to save: an editor holds at most ${max.toLocaleString()} characters. Shorten it to keep your changes.`,
  playbackBusy: "Playback is already loading. Try again in a moment.",
  playbackNotConnected: "Not connected. Try again once the connection is back.",
  playbackDropped: "The connection dropped while loading playback. Try again.",
} as const;
