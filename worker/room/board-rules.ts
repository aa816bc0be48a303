/**
 * Who may do what on the question board and in the help queue, as pure
 * functions beside rules.ts: facts in, a rejection or null out.
 */
import type { HandView } from "../../protocol";
import { reject, type Participant, type Rejection } from "./rules";

export function decideVote(id: number, question: { authorId: string } | null, self: Participant): Rejection | null {
  if (!question) return reject("NOT_FOUND", `There is no question ${id}.`);
  if (question.authorId === self.userId) return reject("FORBIDDEN", "You cannot vote for your own question.");
  return null;
}

export function decideAnswer(id: number, exists: boolean, self: Participant): Rejection | null {
  if (self.role !== "Teacher") return reject("FORBIDDEN", "Only teachers can answer questions.");
  if (!exists) return reject("NOT_FOUND", `There is no question ${id}.`);
  return null;
}

/** A muted student cannot reach the class through the board either (an anonymous question included). */
export function decideAsk(muted: boolean): Rejection | null {
  return muted ? reject("MUTED", "A teacher has muted you in this room: you cannot post questions to the class.") : null;
}

/** Staff remove any question (moderation); its author may remove their own. */
export function decideRemoveQuestion(id: number, question: { authorId: string } | null, self: Participant): Rejection | null {
  if (!question) return reject("NOT_FOUND", `There is no question ${id}.`);
  if (self.role !== "Teacher" && question.authorId !== self.userId) return reject("FORBIDDEN", "Only teachers can remove other people's questions.");
  return null;
}

/** One open hand per student; staff do not raise hands. */
export function decideRaise(self: Participant, handOpen: boolean): Rejection | null {
  if (self.role !== "Student") return reject("FORBIDDEN", "Only students raise hands.");
  if (handOpen) return reject("HAND_OPEN", "Your hand is already up; withdraw it before raising it again.");
  return null;
}

export type HandMove = "HAND_WITHDRAW" | "HAND_CLAIM" | "HAND_RESOLVE";

/** The student withdraws their own open request; staff claim (once) and resolve. */
export function decideHandMove(
  action: HandMove,
  id: number,
  hand: { studentId: string; view: Pick<HandView, "status" | "claimedBy"> } | null,
  self: Participant,
): Rejection | null {
  const open = hand && (hand.view.status === "waiting" || hand.view.status === "claimed");
  if (!hand || !open) return reject("NOT_FOUND", `There is no open request ${id}.`);
  if (action === "HAND_WITHDRAW" && hand.studentId !== self.userId) return reject("FORBIDDEN", "You can only withdraw your own request.");
  if (action !== "HAND_WITHDRAW" && self.role !== "Teacher") return reject("FORBIDDEN", "Only teachers can claim or resolve requests.");
  if (action === "HAND_CLAIM" && hand.view.status === "claimed") {
    return reject("FORBIDDEN", `${hand.view.claimedBy} has already claimed this request.`);
  }
  return null;
}

/** The status a hand moves to. */
export const HAND_STATUS: Record<HandMove, HandView["status"]> = {
  HAND_WITHDRAW: "withdrawn",
  HAND_CLAIM: "claimed",
  HAND_RESOLVE: "resolved",
};
