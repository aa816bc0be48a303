/**
 * A course's times, on the clock of the course's time zone: its classes
 * happen there, wherever the reader is. The course page and its class rooms
 * both show times this way, so they always name the same hour.
 */

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export interface CourseClock {
  /** Day and time of day, e.g. "Mar 2, 2099, 10:00 AM". */
  when(at: number): string;
  /** Time of day only, without seconds. */
  time(at: number): string;
  /** "times in Europe/Berlin". */
  label: string;
  /** Whether the reader's own clock says otherwise, so the label must be shown beside a bare time. */
  foreign: boolean;
}

export function courseClock(timeZone: string): CourseClock {
  const when = new Intl.DateTimeFormat(undefined, { timeZone, dateStyle: "medium", timeStyle: "short" });
  const time = new Intl.DateTimeFormat(undefined, { timeZone, timeStyle: "short" });
  return {
    when: (at) => when.format(at),
    time: (at) => time.format(at),
    label: `times in ${timeZone}`,
    foreign: timeZone !== browserTimeZone(),
  };
}
