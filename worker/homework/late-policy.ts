/**
 * When a submission is late, by how much, and what the course's policy does
 * about it: pure functions, facts in (the due time as the course's wall
 * clock shows it, the time zone, the server's time of submission).
 *
 * Days late are counted on the course's wall clock, not in blocks of 24
 * hours: handing in at 23:00 the day after a 23:00 deadline is one day late
 * even when the clocks changed in between (a 23- or 25-hour day).
 */
import type { LatePolicy } from "../../protocol";
import { addDays, zonedToInstant, type LocalDateTime } from "../courses/schedule";

export type { LatePolicy };

/** How many wall-clock days (or parts of one) after `due` the instant `at` is; 0 when on time. */
export function daysLate(at: number, due: LocalDateTime, tz: string): number {
  if (at <= zonedToInstant(due, tz)) return 0;
  // The first k whose deadline, k days later on the same wall clock, is not before `at`.
  let k = Math.max(1, Math.floor((at - zonedToInstant(due, tz)) / 86_400_000) - 1);
  while (zonedToInstant(addDays(due, k), tz) < at) k += 1;
  while (k > 1 && zonedToInstant(addDays(due, k - 1), tz) >= at) k -= 1;
  return k;
}

export type SubmissionDecision =
  | { ok: false; error: string }
  | { ok: true; late: boolean; daysLate: number; penaltyPercent: number };

/**
 * Whether a submission at `at` is accepted, and its lateness. `due` is the
 * student's own due time: the assignment's, or their extension's.
 */
export function decideSubmission(policy: LatePolicy, due: LocalDateTime, tz: string, at: number): SubmissionDecision {
  const days = daysLate(at, due, tz);
  if (days === 0) return { ok: true, late: false, daysLate: 0, penaltyPercent: 0 };
  switch (policy.kind) {
    case "refuse":
      return { ok: false, error: "The due time has passed; this assignment no longer accepts submissions." };
    case "mark":
      return { ok: true, late: true, daysLate: days, penaltyPercent: 0 };
    case "penalty":
      return { ok: true, late: true, daysLate: days, penaltyPercent: Math.min(policy.maxPercent, days * policy.percentPerDay) };
  }
}

/** A score after its late penalty, rounded to hundredths of a point. */
export function afterPenalty(score: number, penaltyPercent: number): number {
  return Math.round(score * (100 - penaltyPercent)) / 100;
}
