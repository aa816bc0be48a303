/**
 * The runner's grade(): one autograder test against a submission's files, in
 * the same sandbox and limits as RUN. (Reached, as in production, through
 * the RUNNER service binding; the test setup runs the runner in its own
 * workerd process.)
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RunOutput } from "../../protocol";
import { GraderTests, forStudent, resultOf, totalPoints } from "../../worker/homework/test-format";
import type { GradeJob } from "../../worker/runner";

async function grade(files: { name: string; content: string }[], test: GradeJob["test"]): Promise<RunOutput> {
  const res = await env.RUNNER.grade({ files, test });
  expect(res.status).toBe(200);
  return res.json();
}

const io = (stdin: string, args: string[] = []): GradeJob["test"] => ({ kind: "io", stdin, args, budget: 4000 });
const check = (code: string): GradeJob["test"] => ({ kind: "assert", code, budget: 4000 });

describe("grading in the sandbox", () => {
  it("gives an input/output test's program its stdin lines and arguments", async () => {
    const program = `const [a, b] = input().split(" ").map(Number);
console.log(a + b, args.join("+"), process.argv.length);
console.log(readLines().join("|"), input());`;
    const out = await grade([{ name: "main.js", content: program }], io("2 3\nx\ny\n", ["-v", "7"]));
    expect(out).toMatchObject({ stdout: "5 -v+7 4\nx|y null", error: null, timedOut: false });
  });

  it("runs staff assertions against the student's exports, JavaScript or TypeScript", async () => {
    const js = "export function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nexport const name = 'fib';";
    expect(await grade([{ name: "fib.js", content: js }], check("assert.equal(fib(10), 55); assert.deepEqual([name], ['fib']);"))).toMatchObject({ error: null });
    const ts = "export const add = (a: number, b: number): number => a + b;";
    expect(await grade([{ name: "add.ts", content: ts }], check("assert.equal(add(2, 2), 4)"))).toMatchObject({ error: null });
  });

  it("fails an assertion with its message, and a missing export clearly", async () => {
    const wrong = "export const fib = (n) => n;";
    expect((await grade([{ name: "fib.js", content: wrong }], check("assert.equal(fib(10), 55)"))).error).toBe("AssertionError: expected 55, got 10");
    expect((await grade([{ name: "fib.js", content: "export const fob = 1;" }], check("assert.equal(fib(1), 1)"))).error).toMatch(/^ReferenceError: .*fib/);
  });

  it.each([
    ["replacing Object.is", "Object.is = () => true;"],
    ["replacing Array.isArray, Object.keys and JSON.stringify", "Array.isArray = () => true; Object.keys = () => []; JSON.stringify = () => '';"],
    ["changing assert", "try { assert.equal = () => true; } catch {}"],
    ["exporting its own assert", "export const assert = { equal() {}, deepEqual() {} };"],
    ["replacing Function", "globalThis.Function = function () { return () => {}; };"],
    ["replacing Reflect.apply", "Reflect.apply = () => undefined;"],
    ["setters on Object.prototype and Array.prototype", "Object.defineProperty(Array.prototype, '0', { set() {} }); Object.defineProperty(Object.prototype, 'value', { set() {}, get() { return () => {}; } });"],
    ["breaking array iteration and RegExp", "Array.prototype[Symbol.iterator] = function* () {}; RegExp.prototype.exec = () => ({});"],
  ])("cannot forge a pass by %s", async (_how, trick) => {
    const code = `export const add = (a, b) => a * b;\nexport const pair = () => [1, 1];\n${trick}`;
    for (const test of ["assert.equal(add(2, 3), 5)", "assert.deepEqual(pair(), [1, 2])"]) {
      const out = await grade([{ name: "main.js", content: code }], check(test));
      expect(out.error, `${test} passed`).toMatch(/^AssertionError: expected /);
    }
  });

  it("stops a program past the test's budget, and staff code cannot widen it", async () => {
    const out = await grade([{ name: "main.js", content: "export const spin = () => { while (true) {} };" }], check("spin()"));
    expect(out).toMatchObject({ timedOut: true, error: expect.stringMatching(/^Your program ran too long/) });
  });

  it("fails a test whose program ran out of memory, even in a promise callback nobody awaited", async () => {
    const code = "export const add = (a, b) => a + b;\nPromise.resolve().then(() => { const a = []; for (;;) a.push(new Array(1e5).fill(1.5)); });";
    for (const test of [check("assert.equal(add(2, 3), 5)"), io("")]) {
      const out = await grade([{ name: "main.js", content: code }], test);
      expect(out).toMatchObject({ error: "Your program ran out of memory (it may use 16 MiB) and was stopped.", timedOut: false });
    }
  });

  it("caps a huge thrown value at the output cap, as RUN does", async () => {
    const out = await grade([{ name: "main.js", content: 'export const f = () => { throw "\\u0001".repeat(3e6); };' }], check("f()"));
    expect(out.truncated).toBe(true);
    expect(out.error).toHaveLength(64 * 1024);
    expect(out.error?.endsWith("\n… output truncated at 64 KiB")).toBe(true);
  });

  it("picks main.js among several files, and refuses a submission with no code", async () => {
    const files = [
      { name: "helper.js", content: "console.log('helper')" },
      { name: "main.js", content: "console.log(input())" },
      { name: "README.md", content: "# notes" },
    ];
    expect((await grade(files, io("hi\n"))).stdout).toBe("hi");
    expect((await grade([{ name: "notes.txt", content: "x" }], io(""))).error).toBe("No JavaScript or TypeScript file to run (name it main.js, for example).");
  });
});

describe("docs/grading.md's worked example", () => {
  const tests = GraderTests.parse([
    { kind: "io", name: "adds two numbers", points: 2, stdin: "2 3\n", expected: "5" },
    { kind: "io", name: "accepts extra spaces", points: 1, stdin: "  10   -4 \n", expected: "6", ignoreWhitespace: true },
    { kind: "assert", name: "add is exported", points: 1, code: "assert.equal(typeof add, 'function', 'export a function called add')" },
    { kind: "assert", name: "negatives", points: 3, hidden: true, code: "assert.equal(add(-7123, 4), -7119)" },
  ]);
  const program = (op: string) => `export const add = (a, b) => a ${op} b;
const line = input();
if (line !== null) {
  const [a, b] = line.trim().split(/\\s+/).map(Number);
  console.log(add(a, b));
}`;
  const gradeAll = async (code: string) => {
    const results = [];
    for (const test of tests) {
      const job = test.kind === "io" ? io(test.stdin, test.args) : check(test.code);
      results.push(resultOf(test, await grade([{ name: "main.js", content: code }], job)));
    }
    return results;
  };

  it("passes the right program in full, and shows the wrong one what the page says", async () => {
    expect(totalPoints(await gradeAll(program("+")))).toBe(7);
    const wrong = await gradeAll(program("*"));
    expect({ score: totalPoints(wrong), ...forStudent(wrong) }).toEqual({
      score: 1,
      tests: [
        { name: "adds two numbers", verdict: "failed", points: 0, maxPoints: 2, message: 'Expected "5", got "6".' },
        { name: "accepts extra spaces", verdict: "failed", points: 0, maxPoints: 1, message: 'Expected "6", got "-40".' },
        { name: "add is exported", verdict: "passed", points: 1, maxPoints: 1, message: null },
      ],
      hidden: { passed: 0, total: 1, points: 0, maxPoints: 3 },
    });
  });
});
