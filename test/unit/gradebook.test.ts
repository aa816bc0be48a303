import { describe, expect, it } from "vitest";
import { csv, csvCell, finalScore } from "../../worker/homework/gradebook";

describe("final scores", () => {
  it("take the override over the autograder, then the late penalty", () => {
    expect(finalScore({ score: 8, maxScore: 8, overrideScore: null, penaltyPercent: 25 }, 8)).toBe(6);
    expect(finalScore({ score: 8, maxScore: 8, overrideScore: 10, penaltyPercent: 10 }, 10)).toBe(9);
    expect(finalScore({ score: null, maxScore: null, overrideScore: null, penaltyPercent: 0 }, 10)).toBeNull();
    // The tests' points are scaled to the assignment's: 3 of 6 on a 10-point assignment is 5.
    expect(finalScore({ score: 3, maxScore: 6, overrideScore: null, penaltyPercent: 0 }, 10)).toBe(5);
    expect(finalScore({ score: 8, maxScore: 8, overrideScore: null, penaltyPercent: 20 }, 4)).toBe(3.2);
    // No tests worth points: nothing to take a share of.
    expect(finalScore({ score: 0, maxScore: 0, overrideScore: null, penaltyPercent: 0 }, 10)).toBe(0);
  });
});

describe("CSV", () => {
  it.each([
    ["Ada", "Ada"],
    ["=HYPERLINK(\"http://evil\")", `"'=HYPERLINK(""http://evil"")"`],
    ["+1", "'+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["a, b", '"a, b"'],
    ["two\nlines", '"two\nlines"'],
  ])("escapes %j", (value, cell) => expect(csvCell(value)).toBe(cell));

  it("writes numbers as numbers, empty for no score, CRLF rows with a BOM", () => {
    expect(csv([["name", "hw1"], ["Ada", 9.5], ["Linus", null]])).toBe("\ufeffname,hw1\r\nAda,9.5\r\nLinus,\r\n");
  });
});
