/**
 * Limits on actions that create things or guess at secrets, on the
 * fixed-window counters of auth/rate-limit.ts. Each names its window; the
 * numbers are in docs/security.md.
 */
import { takeAttempt, type Limit } from "../auth/rate-limit";
import type { AppContext } from "./context";
import { tooMany } from "./errors";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const ACTION_LIMITS = {
  /** Invite codes are long, but guessing them should still be slow. */
  enrol: (userId: string): Limit[] => [{ key: `enrol:${userId}`, max: 20, windowMs: HOUR }],
  /**
   * Looking up an invite signed out, per address (as sign-up is): a class
   * often opens its link together from one school network.
   */
  inviteLookup: (address: string): Limit[] => [{ key: `invite:${address}`, max: 300, windowMs: HOUR }],
  createCourse: (userId: string): Limit[] => [{ key: `course:${userId}`, max: 20, windowMs: HOUR }],
  /** One request schedules up to a term of weekly classes. */
  scheduleClasses: (userId: string): Limit[] => [{ key: `classes:${userId}`, max: 60, windowMs: HOUR }],
  /** Each ad-hoc room is a Durable Object with storage. */
  createRoom: (userId: string): Limit[] => [{ key: `room:${userId}`, max: 30, windowMs: HOUR }],
};

/** Counts this request against `limits`, or answers 429 with the minutes to wait. */
export async function withinLimits(c: AppContext, limits: Limit[]): Promise<void> {
  const wait = await takeAttempt(c.env.DB, limits, Date.now());
  if (wait) tooManyAttempts(wait);
}

export function tooManyAttempts(waitMs: number): never {
  const minutes = Math.ceil(waitMs / MINUTE);
  tooMany(`Too many attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`, Math.ceil(waitMs / 1000));
}
