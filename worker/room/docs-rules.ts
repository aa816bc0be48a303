/**
 * Who may see and change which live document, as a pure function beside
 * rules.ts: staff any, a student their own editor only.
 */
import type { ChangeSet, Text } from "@codemirror/state";
import { DOC_LIMITS, docOfStudent, type DocMode } from "../../protocol";
import { reject, type Participant, type Rejection } from "./rules";

/**
 * Staff see and change every editor. A student their own, unless the editors
 * are locked (then only see it); and while the class follows the teacher,
 * the teacher's too, read-only.
 */
export function decideDocAccess(self: Participant, doc: string, write: boolean, mode: DocMode): Rejection | null {
  if (self.role === "Teacher") return null;
  if (doc === docOfStudent(self.username)) {
    return write && mode.locked ? reject("LOCKED", "Your teacher has locked the editors for now; this change was not saved.") : null;
  }
  if (doc === "teacher" && mode.follow && !write) return null;
  return reject("FORBIDDEN", `You can only open your own editor (${docOfStudent(self.username)}).`);
}

export function decideMode(self: Participant): Rejection | null {
  return self.role === "Teacher" ? null : reject("FORBIDDEN", "Only teachers can lock editors or start follow mode.");
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Whether the two code units either side of `pos` leave half of a surrogate pair alone. */
function splitsPair(text: Text, pos: number): boolean {
  const before = pos > 0 ? text.sliceString(pos - 1, pos).charCodeAt(0) : -1;
  const after = pos < text.length ? text.sliceString(pos, pos + 1).charCodeAt(0) : -1;
  return (isHigh(before) && !isLow(after)) || (isLow(after) && !isHigh(before));
}

/**
 * Checks one change against the text it produced. The frame parser refuses
 * text with a lone surrogate, but a change can still cut a pair in two by
 * where it deletes or inserts: the document would hold what SQLite cannot
 * store as sent. The document was whole before, so only the edges of the
 * changed ranges need looking at.
 */
export function decideChange(changes: ChangeSet, after: Text): Rejection | null {
  if (after.length > DOC_LIMITS.maxDocChars) return reject("INVALID_MESSAGE", `payload.updates: a document may hold at most ${DOC_LIMITS.maxDocChars} characters.`);
  let split = false;
  changes.iterChangedRanges((_fromA, _toA, fromB, toB) => {
    split ||= splitsPair(after, fromB) || splitsPair(after, toB);
  });
  return split ? reject("INVALID_MESSAGE", "payload.updates: a change may not cut a character in two (half of a surrogate pair).") : null;
}
