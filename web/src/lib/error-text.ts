/**
 * The words a person reads when the room refuses a request or the API fails:
 * one sentence per ERROR code, for a student or a teacher (what happened,
 * what to do). The one place this wording lives, so it can be translated.
 */
import type { ErrorCode } from "../../../protocol";

/**
 * A `Record` over ErrorCode: a new code fails the build until someone words
 * it. Each is a whole sentence, shown alone.
 */
export const ERROR_TEXT: Record<ErrorCode, string> = {
  BAD_JSON: "Something this page sent could not be read. Reload the page and try again.",
  FRAME_TOO_LARGE: "That is too large to send. Make it shorter and try again.",
  UNKNOWN_ACTION: "This page is out of date. Reload it to keep going.",
  INVALID_MESSAGE: "That could not be sent as it is. Check it and try again.",
  NOT_JOINED: "You are not connected to the class yet. Wait a moment and try again.",
  ALREADY_JOINED: "You are already in this class. Reload the page if something looks wrong.",
  ROOM_NOT_FOUND: "This class room does not exist. Check the link you followed.",
  ROOM_CLOSED: "This class room is closed right now. The page joins by itself when it opens.",
  WRONG_ROOM: "This page is connected to another class room. Reload the page.",
  BAD_TOKEN: "This teacher link does not work. Ask for a new one, or join as a student.",
  ROLE_TAKEN: "Someone else is already teaching in this room.",
  FORBIDDEN: "You are not allowed to do that here.",
  RUN_BUSY: "Your previous program is still running. Wait for it to finish, then run again.",
  RUN_UNAVAILABLE: "The code runner isn't reachable right now. Try again in a moment.",
  RATE_LIMITED: "You are going a little fast. Wait a moment and try again.",
  MUTED: "A teacher has muted you in this room.",
  NOT_FOUND: "That is not here any more: it may have been removed.",
  HAND_OPEN: "Your hand is already up.",
  LOCKED: "Your teacher has locked the editors for now, so this change was not saved.",
  INTERNAL: "Something went wrong in the class room and nothing was changed. Try again.",
};

/**
 * Codes whose server message is already plain and says more than the table
 * can: who holds the role, which limit, until when, what to do instead. For
 * the rest the server's words are for developers (field paths, room ids).
 */
// RUN_UNAVAILABLE: in local development the server says how to start the code runner.
const SERVER_SAYS_MORE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["ROOM_CLOSED", "ROLE_TAKEN", "FORBIDDEN", "RATE_LIMITED", "MUTED", "NOT_FOUND", "HAND_OPEN", "LOCKED", "RUN_UNAVAILABLE"]);

/** An INVALID_MESSAGE that names the fields at fault: "That could not be sent: text must be at most 4000 characters." */
const invalidFields = (fields: string) => `That could not be sent: ${fields}.`;

/**
 * A refused request's sentence. The server's message where it is specific,
 * the table's otherwise, and the table's whenever the server said nothing.
 */
export function errorText(error: { code: ErrorCode; error_message: string }): string {
  const said = error.error_message.trim();
  if (error.code === "INVALID_MESSAGE") {
    const fields = fieldProblems(said);
    return fields ? invalidFields(fields) : ERROR_TEXT.INVALID_MESSAGE;
  }
  if (!said || !SERVER_SAYS_MORE.has(error.code)) return ERROR_TEXT[error.code];
  return error.code === "ROOM_CLOSED" ? localTimes(said) : said;
}

/**
 * "payload.text: must be at most 4000 characters; payload.clientId: …" as a
 * reader sees it: the field's own name, without the envelope's path. Null
 * when the message names no field (a frame that was not JSON, say).
 */
function fieldProblems(detail: string): string | null {
  // Only the rules worded for people ("must be at most …"); zod's own words ("Invalid input: expected string") are a page's bug, not the reader's.
  const parts = detail.split("; ").map((part) => /^(?:payload\.)?([A-Za-z][A-Za-z0-9_.]*): ((?:must|is|has) .+)$/.exec(part));
  // A problem with the envelope itself ("payload: has fields it does not take") names no field a person filled in.
  if (parts.length === 0 || parts.some((m) => m === null || m[1] === "payload")) return null;
  return parts.map((m) => `${m![1]} ${m![2]}`).join("; ");
}

/** The room names times in UTC (it does not know the reader's zone); the reader's clock shows them local. */
function localTimes(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?Z/g, (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }));
}

/** Why the room ended a connection (its close codes), as the page says it. */
export const CLOSE_TEXT = {
  replaced: "You opened this room in another tab; this one is now disconnected.",
  removed: "You were removed from this course.",
  roleChanged: "Your role in this course changed. Reload the page to continue.",
  sessionEnded: "You are signed out. Sign in again to rejoin the class.",
  roomClosed: "The class room has closed.",
  disconnected: "Disconnected.",
} as const;

/** What a failed API call says when its answer carried no message of its own, by HTTP status. */
export function statusText(status: number): string {
  if (status === 401) return "You are signed out. Sign in again to go on.";
  if (status === 403) return "You do not have access to that.";
  if (status === 404) return "That could not be found. It may have been removed.";
  if (status === 413) return "That is too large to send.";
  if (status === 429) return "Too many tries at once. Wait a moment and try again.";
  if (status >= 500) return "Something went wrong on the server and nothing was changed. Try again in a moment.";
  return "That did not work. Try again.";
}
