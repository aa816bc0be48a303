import { describe, expect, it } from "vitest";
import { parseLocal, zonedToInstant } from "../../worker/courses/schedule";
import { afterPenalty, daysLate, decideSubmission, type LatePolicy } from "../../worker/homework/late-policy";

const local = (text: string) => parseLocal(text)!;
const at = (text: string, tz: string) => zonedToInstant(local(text), tz);
const MIN = 60_000;

describe("daysLate on the course's wall clock", () => {
  const due = local("2026-10-05T23:59");

  it("is 0 up to and at the due time, and 1 a minute after", () => {
    expect(daysLate(at("2026-10-05T23:59", "UTC"), due, "UTC")).toBe(0);
    expect(daysLate(at("2026-10-05T23:59", "UTC") - MIN, due, "UTC")).toBe(0);
    expect(daysLate(at("2026-10-05T23:59", "UTC") + 1, due, "UTC")).toBe(1);
    expect(daysLate(at("2026-10-06T23:59", "UTC"), due, "UTC")).toBe(1);
    expect(daysLate(at("2026-10-06T23:59", "UTC") + 1, due, "UTC")).toBe(2);
    expect(daysLate(at("2026-10-15T12:00", "UTC"), due, "UTC")).toBe(10);
  });

  it("counts a 23-hour day (clocks go forward) as one day", () => {
    // Europe/Paris moves to summer time on 2026-03-29 at 02:00.
    const tz = "Europe/Paris";
    const friday = local("2026-03-28T23:00");
    const nextEvening = at("2026-03-29T23:00", tz);
    expect(nextEvening - at("2026-03-28T23:00", tz)).toBe(23 * 60 * MIN);
    expect(daysLate(nextEvening, friday, tz)).toBe(1);
    expect(daysLate(nextEvening + MIN, friday, tz)).toBe(2);
  });

  it("counts a 25-hour day (clocks go back) as one day", () => {
    // America/New_York returns to standard time on 2026-11-01 at 02:00.
    const tz = "America/New_York";
    const saturday = local("2026-10-31T22:00");
    const nextEvening = at("2026-11-01T22:00", tz);
    expect(nextEvening - at("2026-10-31T22:00", tz)).toBe(25 * 60 * MIN);
    expect(daysLate(nextEvening - 30 * MIN, saturday, tz)).toBe(1); // 24.5 hours later: still day 1
    expect(daysLate(nextEvening, saturday, tz)).toBe(1);
    expect(daysLate(nextEvening + MIN, saturday, tz)).toBe(2);
  });

  it("takes a due time on the change itself as the clocks show it", () => {
    // 02:30 does not exist in Paris on 2026-03-29: it is the instant clocks show 03:30.
    const tz = "Europe/Paris";
    const due = local("2026-03-29T02:30");
    expect(daysLate(at("2026-03-29T03:29", tz), due, tz)).toBe(0);
    expect(daysLate(at("2026-03-29T03:31", tz), due, tz)).toBe(1);
  });
});

describe("decideSubmission", () => {
  const due = local("2026-10-05T23:59");
  const onTime = at("2026-10-05T20:00", "UTC");
  const threeDays = at("2026-10-08T10:00", "UTC");
  const cases: [string, LatePolicy, number, ReturnType<typeof decideSubmission>][] = [
    ["refuse, on time", { kind: "refuse" }, onTime, { ok: true, late: false, daysLate: 0, penaltyPercent: 0 }],
    ["refuse, late", { kind: "refuse" }, threeDays, { ok: false, error: "The due time has passed; this assignment no longer accepts submissions." }],
    ["mark, late", { kind: "mark" }, threeDays, { ok: true, late: true, daysLate: 3, penaltyPercent: 0 }],
    ["penalty, late", { kind: "penalty", percentPerDay: 10, maxPercent: 50 }, threeDays, { ok: true, late: true, daysLate: 3, penaltyPercent: 30 }],
    ["penalty, capped", { kind: "penalty", percentPerDay: 20, maxPercent: 50 }, threeDays, { ok: true, late: true, daysLate: 3, penaltyPercent: 50 }],
  ];
  it.each(cases)("%s", (_name, policy, when, decision) => expect(decideSubmission(policy, due, "UTC", when)).toEqual(decision));

  it("applies a penalty to a score", () => {
    expect(afterPenalty(8, 30)).toBe(5.6);
    expect(afterPenalty(7, 0)).toBe(7);
    expect(afterPenalty(10, 100)).toBe(0);
  });
});
