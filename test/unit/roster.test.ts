import { describe, expect, it } from "vitest";
import { Roster } from "../../worker/room/roster";
import type { Participant } from "../../worker/room/rules";

const p = (username: string, role: "Student" | "Teacher", joinedAt: number): Participant => ({ userId: `u-${username}`, username, role, joinedAt });

describe("Roster", () => {
  it("rebuilds in join order, names the first teacher, and counts each role", () => {
    const roster = Roster.from([
      ["z", p("Zoe", "Student", 3)],
      ["g", p("Grace", "Teacher", 9)],
      ["a", p("Ada", "Student", 2)],
      ["h", p("Hopper", "Teacher", 4)],
    ]);
    expect(roster.view("r")).toEqual({ id: "r", teacher: "Hopper", students: 2, teachers: 2 });
    expect(roster.list()).toEqual([
      { username: "Ada", role: "Student" },
      { username: "Zoe", role: "Student" },
      { username: "Hopper", role: "Teacher" },
      { username: "Grace", role: "Teacher" },
    ]);
  });

  it("applies joins and leaves as deltas: counts, order and the first teacher follow", () => {
    const roster = new Roster<string>();
    roster.add("t1", p("Hopper", "Teacher", 1));
    roster.add("s1", p("Ada", "Student", 2));
    roster.add("t2", p("Grace", "Teacher", 3));
    expect(roster.remove("t1")).toEqual(p("Hopper", "Teacher", 1));
    expect(roster.remove("t1")).toBeNull();
    expect(roster.view("r")).toEqual({ id: "r", teacher: "Grace", students: 1, teachers: 1 });
    // The same key joining again counts once, as the newest join.
    roster.add("s1", p("Ada", "Student", 5));
    roster.add("s2", p("Linus", "Student", 6));
    expect(roster.view("r")).toEqual({ id: "r", teacher: "Grace", students: 2, teachers: 1 });
    expect(roster.list().map((e) => e.username)).toEqual(["Grace", "Ada", "Linus"]);
    roster.remove("t2");
    expect(roster.view("r").teacher).toBeNull();
    expect(roster.size).toBe(2);
  });
});
