/**
 * An assignment's autograder tests (documented in docs/grading.md, which
 * this schema is the truth of), and the rules that turn a program's output
 * into a verdict and a score: pure functions.
 *
 * Two kinds of test: `io` runs the student's program with stdin and
 * arguments and compares what it prints; `assert` runs staff code against
 * the functions the student's code exports.
 */
import * as z from "zod";

export const TEST_LIMITS = {
  maxTests: 50,
  maxTextChars: 64 * 1024,
  /** The sandbox's interrupt-check budget per test: about 75-125 ms of work per 1,000 checks. */
  maxBudget: 20_000,
  defaultBudget: 4_000,
} as const;

const Text = z.string().max(TEST_LIMITS.maxTextChars, `must be at most ${TEST_LIMITS.maxTextChars} characters`);
const common = {
  name: z.string().trim().min(1, "must not be empty").max(120, "must be at most 120 characters"),
  points: z.number().min(0, "must be at least 0").max(1000, "must be at most 1000"),
  /** Interrupt checks the program may use (the sandbox's time budget, counted without a clock). */
  budget: z.number().int().min(100, "must be at least 100").max(TEST_LIMITS.maxBudget, `must be at most ${TEST_LIMITS.maxBudget}`).default(TEST_LIMITS.defaultBudget),
  /** Hidden tests show students only whether they passed and the points; never their input, expected output or code. */
  hidden: z.boolean().default(false),
};

export const GraderTest = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("io"),
    ...common,
    stdin: Text.default(""),
    args: z.array(z.string().max(1000)).max(20).default([]),
    expected: Text,
    ignoreWhitespace: z.boolean().default(false),
    ignoreCase: z.boolean().default(false),
  }),
  z.strictObject({
    kind: z.literal("assert"),
    ...common,
    /** Staff JavaScript run after the student's code, with its exports and `assert` in scope; throwing fails the test. */
    code: Text,
  }),
]);
export type GraderTest = z.output<typeof GraderTest>;

export const GraderTests = z.array(GraderTest).max(TEST_LIMITS.maxTests, `at most ${TEST_LIMITS.maxTests} tests`);

export type Verdict = "passed" | "failed" | "error" | "timedOut";

/** What one run of a test produced, as the sandbox reports it. */
export interface TestRun {
  stdout: string;
  error: string | null;
  timedOut: boolean;
}

/** Output as an `io` test compares it: line endings unified, trailing space ignored; optionally all whitespace and case. */
export function normalizeOutput(text: string, test: { ignoreWhitespace: boolean; ignoreCase: boolean }): string {
  let out = text.replace(/\r\n?/g, "\n").replace(/[ \t]+$/gm, "").replace(/\n+$/, "");
  if (test.ignoreWhitespace) out = out.replace(/\s+/g, " ").trim();
  if (test.ignoreCase) out = out.toLowerCase();
  return out;
}

export function verdictOf(test: GraderTest, run: TestRun): Verdict {
  if (run.timedOut) return "timedOut";
  if (test.kind === "assert") return run.error === null ? "passed" : "failed";
  if (run.error !== null) return "error";
  return normalizeOutput(run.stdout, test) === normalizeOutput(test.expected, test) ? "passed" : "failed";
}

export interface TestResult {
  name: string;
  verdict: Verdict;
  points: number;
  maxPoints: number;
  hidden: boolean;
  /** Why it failed (an assertion's message, the program's error, or what was expected), for visible tests. */
  message: string | null;
}

export function resultOf(test: GraderTest, run: TestRun): TestResult {
  const verdict = verdictOf(test, run);
  const message =
    verdict === "passed"
      ? null
      : verdict === "timedOut"
        ? "The program ran out of time."
        : verdict === "failed" && test.kind === "io"
          ? `Expected ${JSON.stringify(test.expected.slice(0, 500))}, got ${JSON.stringify(run.stdout.slice(0, 500))}.`
          : (run.error ?? "").slice(0, 2000);
  return { name: test.name, verdict, points: verdict === "passed" ? test.points : 0, maxPoints: test.points, hidden: test.hidden, message };
}

/**
 * What a student may see of their results: every visible test whole, and of
 * the hidden ones only how many passed and their points. Nothing of a
 * hidden test (its name included: staff may name a test after its input)
 * leaves the server for a student.
 */
export function forStudent(results: readonly TestResult[]) {
  const hidden = results.filter((r) => r.hidden);
  return {
    tests: results.filter((r) => !r.hidden).map(({ hidden: _h, ...r }) => r),
    hidden: {
      passed: hidden.filter((r) => r.verdict === "passed").length,
      total: hidden.length,
      points: hidden.reduce((n, r) => n + r.points, 0),
      maxPoints: hidden.reduce((n, r) => n + r.maxPoints, 0),
    },
  };
}

/** Points earned over all tests. */
export const totalPoints = (results: readonly TestResult[]) => results.reduce((n, r) => n + r.points, 0);
