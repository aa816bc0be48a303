/** Limits on creating courses, classes and rooms, and on guessing invite codes: counted per user, answered 429, nothing created past them. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { courseWorld } from "../helpers/courses";
import { signUp } from "../helpers/users";

const TOO_MANY = { error: "Too many attempts. Try again in 60 minutes." };

describe("action limits", () => {
  it("lets a user try 20 invite codes an hour, then refuses even the right one", async () => {
    const w = await courseWorld();
    const { invite } = (await w.instructor.json<{ invite: { code: string } }>("GET", `/api/courses/${w.courseId}`)).body;
    const guesser = await signUp("Guesser");
    for (let i = 0; i < 20; i++) expect((await guesser.json("POST", "/api/enrol", { code: `WRONG${i}` })).status).toBe(404);
    expect(await guesser.json("POST", "/api/enrol", { code: invite.code })).toEqual({ status: 429, body: TOO_MANY });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM enrolments WHERE user_id = ?").bind(guesser.user.id).first("n")).toBe(0);
  });

  it("creates at most 20 courses an hour per user", async () => {
    const teacher = await signUp("Prolific");
    for (let i = 0; i < 20; i++) expect((await teacher.json("POST", "/api/courses", { title: `C${i}`, code: `C${i}`, timezone: "UTC" })).status).toBe(201);
    expect(await teacher.json("POST", "/api/courses", { title: "One more", code: "C20", timezone: "UTC" })).toEqual({ status: 429, body: TOO_MANY });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM courses WHERE owner_id = ?").bind(teacher.user.id).first("n")).toBe(20);
  });

  it("creates at most 30 ad-hoc rooms an hour per user", async () => {
    const teacher = await signUp("Roomy");
    for (let i = 0; i < 30; i++) expect((await teacher.json("POST", "/api/rooms", {})).status).toBe(201);
    expect(await teacher.json("POST", "/api/rooms", {})).toEqual({ status: 429, body: TOO_MANY });
  });

  it("takes at most 60 class-scheduling requests an hour per staff member", async () => {
    const w = await courseWorld();
    const schedule = (i: number) =>
      w.ta.json("POST", `/api/courses/${w.courseId}/classes`, { title: `L${i}`, start: "2099-03-02T10:00", end: "2099-03-02T11:00", repeatWeeks: 1 });
    for (let i = 0; i < 60; i++) expect((await schedule(i)).status).toBe(201);
    expect(await schedule(60)).toEqual({ status: 429, body: TOO_MANY });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM classes WHERE course_id = ?").bind(w.courseId).first("n")).toBe(60);
    // Another staff member has their own allowance.
    expect((await w.instructor.json("POST", `/api/courses/${w.courseId}/classes`, { title: "Mine", start: "2099-03-03T10:00", end: "2099-03-03T11:00", repeatWeeks: 1 })).status).toBe(201);
  });
});
