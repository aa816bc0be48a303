/**
 * Who may see and change which live document, as a pure function beside
 * rules.ts: staff any, a student their own editor only.
 */
import { docOfStudent, type DocMode } from "../../protocol";
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
