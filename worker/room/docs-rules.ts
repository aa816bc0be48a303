/**
 * Who may see and change which live document, as a pure function beside
 * rules.ts: staff any, a student their own editor only.
 */
import { docOfStudent } from "../../protocol";
import { reject, type Participant, type Rejection } from "./rules";

export function decideDocAccess(self: Participant, doc: string): Rejection | null {
  if (self.role === "Teacher" || doc === docOfStudent(self.username)) return null;
  return reject("FORBIDDEN", `You can only open your own editor (${docOfStudent(self.username)}).`);
}
