import { describe, expect, it } from "vitest";
import { addDays, isOpen, isTimeZone, parseLocal, roomWindow, weeklySessions, zonedToInstant, type ClassTimes } from "../../worker/courses/schedule";

const MIN = 60_000;
/** Expected instants are written out by hand, with the zone's known UTC offset. */
const at = (iso: string) => Date.parse(iso);
const local = (text: string) => {
  const parsed = parseLocal(text);
  if (!parsed) throw new Error(`test input ${text} does not parse`);
  return parsed;
};

describe("parseLocal", () => {
  it("reads a datetime-local value into its fields", () => {
    expect(parseLocal("2030-10-21T09:05")).toEqual({ year: 2030, month: 10, day: 21, hour: 9, minute: 5 });
    expect(parseLocal("2028-02-29T00:00")).toEqual({ year: 2028, month: 2, day: 29, hour: 0, minute: 0 });
    expect(parseLocal("2030-12-31T23:59")).toEqual({ year: 2030, month: 12, day: 31, hour: 23, minute: 59 });
  });

  it.each([
    ["February 30th", "2026-02-30T10:00"],
    ["February 29th in a common year", "2026-02-29T10:00"],
    ["April 31st", "2026-04-31T10:00"],
    ["month 13", "2026-13-01T10:00"],
    ["month 0", "2026-00-10T10:00"],
    ["day 0", "2026-01-00T10:00"],
    ["hour 24", "2026-01-01T24:00"],
    ["minute 60", "2026-01-01T10:60"],
    ["a year before 2000", "1999-12-31T23:59"],
    ["a year after 2100", "2101-01-01T00:00"],
    ["a space instead of T", "2026-01-01 10:00"],
    ["seconds", "2026-01-01T10:00:00"],
    ["a zone suffix", "2026-01-01T10:00Z"],
    ["one-digit fields", "2026-1-1T9:00"],
    ["a date alone", "2026-01-01"],
    ["an empty string", ""],
  ])("rejects %s", (_name, text) => {
    expect(parseLocal(text)).toBeNull();
  });
});

describe("isTimeZone", () => {
  it("accepts IANA zones and refuses anything else", () => {
    expect(isTimeZone("Europe/Paris")).toBe(true);
    expect(isTimeZone("America/New_York")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Base")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});

describe("zonedToInstant", () => {
  it.each([
    ["UTC", "2030-07-01T09:00", "2030-07-01T09:00Z"],
    ["America/New_York", "2030-07-01T09:00", "2030-07-01T13:00Z"], // EDT, UTC-4
    ["America/New_York", "2030-01-15T09:00", "2030-01-15T14:00Z"], // EST, UTC-5
    ["Europe/Paris", "2030-07-01T09:00", "2030-07-01T07:00Z"], // CEST, UTC+2
    ["Europe/Paris", "2030-01-15T09:00", "2030-01-15T08:00Z"], // CET, UTC+1
    ["Asia/Kolkata", "2030-01-15T09:00", "2030-01-15T03:30Z"], // IST, UTC+5:30
    ["Australia/Sydney", "2030-01-15T09:00", "2030-01-14T22:00Z"], // AEDT, UTC+11, the day before in UTC
    ["America/New_York", "2030-12-31T23:30", "2031-01-01T04:30Z"], // the next year in UTC
  ])("%s %s is %s", (tz, text, expected) => {
    expect(zonedToInstant(local(text), tz)).toBe(at(expected));
  });

  it.each([
    // Clocks jump from 02:00 to 03:00; 02:30 does not exist and moves forward to 03:30.
    ["America/New_York", "2026-03-08T02:30", "2026-03-08T07:30Z"], // 03:30 EDT
    ["Europe/Paris", "2026-03-29T02:30", "2026-03-29T01:30Z"], // 03:30 CEST
    ["Europe/London", "2026-03-29T01:30", "2026-03-29T01:30Z"], // 02:30 BST
    ["Australia/Sydney", "2026-10-04T02:30", "2026-10-03T16:30Z"], // 03:30 AEDT
  ])("moves a time skipped by the spring change forward (%s %s)", (tz, text, expected) => {
    expect(zonedToInstant(local(text), tz)).toBe(at(expected));
  });

  it.each([
    // Clocks fall back and the same wall time happens twice; the first (summer time) is taken.
    ["America/New_York", "2026-11-01T01:30", "2026-11-01T05:30Z"], // 01:30 EDT, not 06:30Z (EST)
    ["Europe/Paris", "2026-10-25T02:30", "2026-10-25T00:30Z"], // 02:30 CEST, not 01:30Z (CET)
    ["Europe/London", "2026-10-25T01:30", "2026-10-25T00:30Z"], // 01:30 BST, not 01:30Z (GMT)
    ["Australia/Sydney", "2026-04-05T02:30", "2026-04-04T15:30Z"], // 02:30 AEDT, not 16:30Z (AEST)
  ])("takes the first of a repeated autumn time, whatever the zone's side of UTC (%s %s)", (tz, text, expected) => {
    expect(zonedToInstant(local(text), tz)).toBe(at(expected));
  });

  it("handles times either side of the autumn change", () => {
    expect(zonedToInstant(local("2026-11-01T00:59"), "America/New_York")).toBe(at("2026-11-01T04:59Z"));
    expect(zonedToInstant(local("2026-11-01T02:00"), "America/New_York")).toBe(at("2026-11-01T07:00Z"));
    expect(zonedToInstant(local("2026-10-25T01:59"), "Europe/Paris")).toBe(at("2026-10-24T23:59Z"));
    expect(zonedToInstant(local("2026-10-25T03:00"), "Europe/Paris")).toBe(at("2026-10-25T02:00Z"));
  });
});

describe("addDays", () => {
  it("crosses month, year and leap-day boundaries and keeps the time", () => {
    expect(addDays(local("2030-12-28T10:15"), 7)).toEqual({ year: 2031, month: 1, day: 4, hour: 10, minute: 15 });
    expect(addDays(local("2028-02-22T08:00"), 7)).toEqual({ year: 2028, month: 2, day: 29, hour: 8, minute: 0 });
    expect(addDays(local("2030-03-31T08:00"), 0)).toEqual({ year: 2030, month: 3, day: 31, hour: 8, minute: 0 });
  });
});

describe("weeklySessions", () => {
  it("keeps the wall-clock time across the US autumn change (New York)", () => {
    // Mondays 10:00-11:30; DST ends on Sunday 3 November 2030.
    expect(weeklySessions(local("2030-10-21T10:00"), local("2030-10-21T11:30"), 3, "America/New_York")).toEqual([
      { startsAt: at("2030-10-21T14:00Z"), endsAt: at("2030-10-21T15:30Z") },
      { startsAt: at("2030-10-28T14:00Z"), endsAt: at("2030-10-28T15:30Z") },
      { startsAt: at("2030-11-04T15:00Z"), endsAt: at("2030-11-04T16:30Z") },
    ]);
  });

  it("keeps the wall-clock time across the European spring change (Paris)", () => {
    // Fridays 18:00-19:00; summer time starts on Sunday 31 March 2030.
    expect(weeklySessions(local("2030-03-22T18:00"), local("2030-03-22T19:00"), 2, "Europe/Paris")).toEqual([
      { startsAt: at("2030-03-22T17:00Z"), endsAt: at("2030-03-22T18:00Z") },
      { startsAt: at("2030-03-29T17:00Z"), endsAt: at("2030-03-29T18:00Z") },
    ]);
    expect(weeklySessions(local("2030-03-29T18:00"), local("2030-03-29T19:00"), 2, "Europe/Paris")[1]).toEqual({
      startsAt: at("2030-04-05T16:00Z"),
      endsAt: at("2030-04-05T17:00Z"),
    });
  });

  it("keeps a class that ends after midnight on the next day, and crosses the year", () => {
    expect(weeklySessions(local("2030-12-24T22:00"), local("2030-12-25T01:00"), 2, "UTC")).toEqual([
      { startsAt: at("2030-12-24T22:00Z"), endsAt: at("2030-12-25T01:00Z") },
      { startsAt: at("2030-12-31T22:00Z"), endsAt: at("2031-01-01T01:00Z") },
    ]);
  });

  it("gives one session for one week", () => {
    expect(weeklySessions(local("2030-07-01T09:00"), local("2030-07-01T10:00"), 1, "UTC")).toEqual([
      { startsAt: at("2030-07-01T09:00Z"), endsAt: at("2030-07-01T10:00Z") },
    ]);
  });
});

describe("roomWindow and isOpen", () => {
  const startsAt = at("2030-07-01T09:00Z");
  const endsAt = at("2030-07-01T10:00Z");
  const k = (over: Partial<ClassTimes> = {}): ClassTimes => ({ startsAt, endsAt, openedAt: null, closedAt: null, ...over });

  it("opens 10 minutes before the start and closes at the end", () => {
    expect(roomWindow(k())).toEqual({ opensAt: at("2030-07-01T08:50Z"), closesAt: endsAt });
    expect(roomWindow(k(), 0)).toEqual({ opensAt: startsAt, closesAt: endsAt });
    expect(roomWindow(k(), 30)).toEqual({ opensAt: at("2030-07-01T08:30Z"), closesAt: endsAt });
  });

  it("opens earlier when opened by hand, but an open after the scheduled opening changes nothing", () => {
    expect(roomWindow(k({ openedAt: at("2030-07-01T07:00Z") }))).toEqual({ opensAt: at("2030-07-01T07:00Z"), closesAt: endsAt });
    expect(roomWindow(k({ openedAt: at("2030-07-01T09:30Z") }))).toEqual({ opensAt: at("2030-07-01T08:50Z"), closesAt: endsAt });
  });

  it("closes when closed by hand, even before the end", () => {
    expect(roomWindow(k({ closedAt: at("2030-07-01T09:20Z") }))).toEqual({ opensAt: at("2030-07-01T08:50Z"), closesAt: at("2030-07-01T09:20Z") });
  });

  it("is open from opensAt (inclusive) to closesAt (exclusive)", () => {
    expect(isOpen(k(), at("2030-07-01T08:50Z") - 1)).toBe(false);
    expect(isOpen(k(), at("2030-07-01T08:50Z"))).toBe(true);
    expect(isOpen(k(), endsAt - 1)).toBe(true);
    expect(isOpen(k(), endsAt)).toBe(false);
  });

  it("is never open when closed before it opened (a class called off)", () => {
    const cancelled = k({ closedAt: at("2030-06-30T12:00Z") });
    for (const t of [at("2030-06-30T12:00Z"), at("2030-07-01T08:55Z"), startsAt, endsAt - MIN]) expect(isOpen(cancelled, t)).toBe(false);
  });
});
