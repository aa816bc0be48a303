import { describe, expect, it } from "vitest";
import { GraderTest, GraderTests, forStudent, normalizeOutput, resultOf, totalPoints, verdictOf } from "../../worker/homework/test-format";

const io = (over: object = {}) => GraderTest.parse({ kind: "io", name: "adds", points: 2, stdin: "2 3\n", expected: "5\n", ...over });
const assertion = (over: object = {}) => GraderTest.parse({ kind: "assert", name: "fib(10)", points: 3, code: "assert.equal(fib(10), 55)", ...over });
const ran = (stdout: string, error: string | null = null, timedOut = false) => ({ stdout, error, timedOut });

describe("the test format", () => {
  it("fills its defaults", () => {
    expect(io()).toEqual({ kind: "io", name: "adds", points: 2, budget: 4000, hidden: false, stdin: "2 3\n", args: [], expected: "5\n", ignoreWhitespace: false, ignoreCase: false });
  });

  it("refuses unknown kinds and fields, and too many tests", () => {
    expect(GraderTest.safeParse({ kind: "shell", name: "x", points: 1 }).success).toBe(false);
    expect(GraderTest.safeParse({ kind: "io", name: "x", points: 1, expected: "", sudo: true }).success).toBe(false);
    expect(GraderTests.safeParse(Array.from({ length: 51 }, () => ({ kind: "io", name: "x", points: 1, expected: "" }))).success).toBe(false);
  });
});

describe("comparing output", () => {
  it("ignores line endings and trailing spaces always, whitespace and case when asked", () => {
    const plain = { ignoreWhitespace: false, ignoreCase: false };
    expect(normalizeOutput("a  \r\nb\n\n", plain)).toBe("a\nb");
    expect(normalizeOutput("a  b", plain)).toBe("a  b");
    expect(normalizeOutput(" A \n\t b ", { ignoreWhitespace: true, ignoreCase: true })).toBe("a b");
  });

  it.each([
    ["the expected output", io(), ran("5\n"), "passed"],
    ["other output", io(), ran("6\n"), "failed"],
    ["output differing only in case, when case is ignored", io({ expected: "YES", ignoreCase: true }), ran("yes"), "passed"],
    ["a thrown error", io(), ran("", "TypeError: x is undefined"), "error"],
    ["running out of time", io(), ran("5\n", null, true), "timedOut"],
    ["an assertion that held", assertion(), ran(""), "passed"],
    ["an assertion that failed", assertion(), ran("", "AssertionError: 54 == 55"), "failed"],
  ] as const)("%s", (_what, test, run, verdict) => expect(verdictOf(test, run)).toBe(verdict));
});

describe("results", () => {
  it("scores a test's points when it passes, and says why it failed", () => {
    expect(resultOf(io(), ran("6"))).toEqual({ name: "adds", verdict: "failed", points: 0, maxPoints: 2, hidden: false, message: 'Expected "5\\n", got "6".' });
    expect(resultOf(assertion(), ran(""))).toEqual({ name: "fib(10)", verdict: "passed", points: 3, maxPoints: 3, hidden: false, message: null });
  });

  it("shows a student nothing of a hidden test but whether it passed, and its points", () => {
    const results = [
      resultOf(io(), ran("5")),
      resultOf(io({ name: "secret: 99 1", stdin: "99 1", expected: "100", hidden: true }), ran("42")),
      resultOf(assertion({ name: "edge", hidden: true }), ran("")),
    ];
    expect(totalPoints(results)).toBe(5);
    const seen = forStudent(results);
    expect(seen).toEqual({
      tests: [{ name: "adds", verdict: "passed", points: 2, maxPoints: 2, message: null }],
      hidden: { passed: 1, total: 2, points: 3, maxPoints: 5 },
    });
    expect(JSON.stringify(seen)).not.toMatch(/secret|99|100|edge|42/);
  });
});
