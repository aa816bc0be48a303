/**
 * What homework pages say to people: counts, verdicts, and what to say when
 * a request fails without a message of its own. In one place so the wording
 * can be translated.
 */
import { plural } from "../lib/plural";
import type { Grading, TestResultView } from "./api";

const POINTS = { one: "point", other: "points" };

export const HOMEWORK_TEXT = {
  points: (n: number) => plural(n, POINTS),
  /** "Autograder: 3 / 5 points": the noun agrees with the total. */
  score: (score: number, max: number) => `Autograder: ${score} / ${plural(max, POINTS)}`,
  daysLate: (days: number, penaltyPercent: number) => `${plural(days, { one: "day", other: "days" })}, −${penaltyPercent}%`,
  regrading: (queued: number) => `Regrading ${plural(queued, { one: "submission", other: "submissions" })}.`,
  handInFiles: (n: number) => (n === 1 ? "Hand in this file" : `Hand in these ${plural(n, { one: "file", other: "files" })}`),
  failed: {
    generic: "That did not work. Try again.",
    handIn: "Your work was not handed in. Try again.",
    starter: "The starter file could not be read. Try again.",
    starterGone: "The starter file is gone. Attach it to the assignment again.",
    score: "The score was not saved. Try again.",
    comment: "The comment was not saved. Try again.",
  },
} as const;

/** A test's verdict as a reader says it: "timedOut" is the grader's word, not a student's. */
export const VERDICT_TEXT: Record<TestResultView["verdict"], string> = {
  passed: "passed",
  failed: "failed",
  error: "error",
  timedOut: "ran too long",
};

/** A grading that has no score yet, or will not have one. */
export const GRADING_STATUS_TEXT: Record<Exclude<Grading["status"], "graded">, string> = {
  none: "Not graded automatically.",
  queued: "Queued for grading…",
  running: "Grading…",
  failed: "Grading failed; staff will look at it.",
};
