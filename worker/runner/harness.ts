/**
 * Programs the autograder runs in the sandbox, built from a student's code
 * and one test (worker/homework/test-format.ts): pure string building.
 *
 * - An input/output test runs the student's code as it is, with `input()`
 *   (the next line of stdin, or null), `readLines()` and `args` provided by
 *   the guest prelude (see ioPrelude).
 * - An assertion test turns the student's `export`s into an object (the
 *   "imports" transform of Sucrase, the same library that strips types),
 *   then runs the staff's code with each export, and `assert`, in scope.
 */
import { transform } from "sucrase";

export type HarnessResult = { ok: true; program: string } | { ok: false; error: string };

/** Guest code that gives a program its stdin and arguments. Values are embedded as JSON literals. */
export function ioPrelude(stdin: string, args: readonly string[]): string {
  return `(() => {
  const lines = ${JSON.stringify(stdin)}.split("\\n");
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  let next = 0;
  globalThis.input = () => (next < lines.length ? lines[next++] : null);
  globalThis.readLines = () => {
    const rest = lines.slice(next);
    next = lines.length;
    return rest;
  };
  globalThis.args = Object.freeze(${JSON.stringify(args)});
  globalThis.process = Object.freeze({ argv: Object.freeze(["node", "main.js", ...globalThis.args]) });
})();
`;
}

/** The assertions staff tests may use: a small subset of Node's `assert`. */
const ASSERT = `(() => {
  const show = (v) => { try { return JSON.stringify(v); } catch { return String(v); } };
  const fail = (message, fallback) => { const e = new Error(message || fallback); e.name = "AssertionError"; throw e; };
  const same = (a, b) => {
    if (Object.is(a, b)) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => same(a[k], b[k]));
  };
  const assert = (value, message) => value || fail(message, "expected a truthy value, got " + show(value));
  assert.ok = assert;
  assert.equal = (actual, expected, message) => Object.is(actual, expected) || fail(message, "expected " + show(expected) + ", got " + show(actual));
  assert.notEqual = (actual, expected, message) => !Object.is(actual, expected) || fail(message, "expected something other than " + show(expected));
  assert.deepEqual = (actual, expected, message) => same(actual, expected) || fail(message, "expected " + show(expected) + ", got " + show(actual));
  assert.throws = (fn, message) => { try { fn(); } catch { return; } fail(message, "expected the function to throw"); };
  return assert;
})()`;

/**
 * The student's code (already JavaScript) with its exports collected, then
 * `testCode` in a function whose parameters are `assert` and the exports.
 */
export function assertionProgram(studentCode: string, testCode: string): HarnessResult {
  let commonJs: string;
  try {
    commonJs = transform(studentCode, { transforms: ["imports"], disableESTransforms: true }).code;
  } catch (e) {
    return { ok: false, error: `Syntax error: ${e instanceof Error ? e.message : String(e)}` };
  }
  const program = `var exports = {}; var module = { exports: exports };
(function (exports, module) {
${commonJs}
})(exports, module);
(function () {
  const api = module.exports;
  const names = Object.keys(api).filter((n) => /^[A-Za-z_$][\\w$]*$/.test(n) && n !== "assert");
  return Function("assert", ...names, ${JSON.stringify(testCode)})(${ASSERT}, ...names.map((n) => api[n]));
})();
undefined;
`;
  return { ok: true, program };
}
