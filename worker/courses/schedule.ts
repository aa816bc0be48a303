/**
 * Time rules for scheduled classes, as pure functions: course timezones,
 * local wall-clock times to instants (DST-correct, via Intl), weekly
 * repeats, and when a class's live room is open.
 */
import type { LocalDateTime } from "../../protocol/time";

// Moved to protocol/ so the request schemas there can use them; still imported from here by the worker.
export { isTimeZone, parseLocal, type LocalDateTime } from "../../protocol/time";

export const DEFAULT_OPENS_EARLY_MINUTES = 10;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** How far `tz`'s wall clock is ahead of UTC at `instant`, in ms. */
function offsetAt(tz: string, instant: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which `tz`'s clocks show `local`. A time skipped by DST
 * moves forward by the gap; a time shown twice (clocks went back) is the
 * first of the two, on either side of UTC.
 */
export function zonedToInstant(local: LocalDateTime, tz: string): number {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // The offsets a day either side: a zone changes its offset at most once in between.
  const before = offsetAt(tz, wall - DAY);
  const after = offsetAt(tz, wall + DAY);
  const shown = [wall - before, wall - after].filter((t) => offsetAt(tz, t) === wall - t);
  return shown.length > 0 ? Math.min(...shown) : wall - before;
}

export function addDays(local: LocalDateTime, days: number): LocalDateTime {
  const d = new Date(Date.UTC(local.year, local.month - 1, local.day) + days * DAY);
  return { ...local, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** One start/end pair per week, each at the same wall-clock time in `tz`. */
export function weeklySessions(start: LocalDateTime, end: LocalDateTime, weeks: number, tz: string) {
  return Array.from({ length: weeks }, (_, i) => ({
    startsAt: zonedToInstant(addDays(start, 7 * i), tz),
    endsAt: zonedToInstant(addDays(end, 7 * i), tz),
  }));
}

export interface ClassTimes {
  startsAt: number;
  endsAt: number;
  openedAt: number | null;
  closedAt: number | null;
}

/**
 * When students may be in the room: from `opensEarly` minutes before the
 * start (or when an instructor opened it) until the end (or when it was
 * closed). A close before the start does not stop an earlier manual open
 * from having ended; a later open after a close reopens.
 */
export function roomWindow(c: ClassTimes, opensEarlyMinutes = DEFAULT_OPENS_EARLY_MINUTES) {
  const scheduledOpen = c.startsAt - opensEarlyMinutes * MINUTE;
  const opensAt = c.openedAt !== null ? Math.min(c.openedAt, scheduledOpen) : scheduledOpen;
  const closesAt = c.closedAt !== null ? c.closedAt : c.endsAt;
  return { opensAt, closesAt };
}

export function isOpen(c: ClassTimes, now: number): boolean {
  const { opensAt, closesAt } = roomWindow(c, DEFAULT_OPENS_EARLY_MINUTES);
  return opensAt <= now && now < closesAt;
}

/** A class closed before its room ever opened was called off (it never ran). */
export function calledOff(c: ClassTimes): boolean {
  return c.closedAt !== null && c.closedAt <= roomWindow(c).opensAt;
}
