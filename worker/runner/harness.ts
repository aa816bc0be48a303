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

/**
 * The assertions staff tests may use: a small subset of Node's `assert`.
 * Built before the student's code runs, from built-ins taken then, and
 * frozen: the student's code shares the realm and could otherwise replace
 * `Object.is` or `assert.equal` and pass every test.
 */
const ASSERT = `(() => {
  const is = Object.is, isArray = Array.isArray, keys = Object.keys, stringify = JSON.stringify, text = String, freeze = Object.freeze, Err = Error;
  const show = (v) => { try { return stringify(v); } catch { return text(v); } };
  const fail = (message, fallback) => { const e = new Err(message || fallback); e.name = "AssertionError"; throw e; };
  const same = (a, b) => {
    if (is(a, b)) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (isArray(a) !== isArray(b)) return false;
    const ka = keys(a), kb = keys(b);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) if (!same(a[ka[i]], b[ka[i]])) return false;
    return true;
  };
  const assert = (value, message) => value || fail(message, "expected a truthy value, got " + show(value));
  assert.ok = assert;
  assert.equal = (actual, expected, message) => is(actual, expected) || fail(message, "expected " + show(expected) + ", got " + show(actual));
  assert.notEqual = (actual, expected, message) => !is(actual, expected) || fail(message, "expected something other than " + show(expected));
  assert.deepEqual = (actual, expected, message) => same(actual, expected) || fail(message, "expected " + show(expected) + ", got " + show(actual));
  assert.throws = (fn, message) => { try { fn(); } catch { return; } fail(message, "expected the function to throw"); };
  return freeze(assert);
})()`;

/**
 * The student's code (already JavaScript) with its exports collected, then
 * `testCode` in a function that sees `assert` and, by name, the exports.
 *
 * Everything the harness itself uses once the student's code has run is
 * taken before it, into constants that code can read but not replace, and
 * nothing after it goes through a prototype the student could have changed:
 * no spread (Array iterators), no regular expressions (RegExp exec), no
 * property sets that could land on a setter. The exports are copied onto a
 * null-prototype object that the test reads through `with`, so a name that is
 * not an identifier simply cannot be used, and `assert` cannot be shadowed.
 */
export function assertionProgram(studentCode: string, testCode: string): HarnessResult {
  let commonJs: string;
  try {
    commonJs = transform(studentCode, { transforms: ["imports"], disableESTransforms: true }).code;
  } catch (e) {
    return { ok: false, error: `Syntax error: ${e instanceof Error ? e.message : String(e)}` };
  }
  const program = `(function () {
  const assert = ${ASSERT};
  const MakeFunction = Function, keysOf = Object.keys, define = Object.defineProperty, create = Object.create, apply = Reflect.apply;
  const module = { exports: {} };
  (function (exports, module) {
${commonJs}
  })(module.exports, module);
  const api = module.exports;
  const scope = create(null);
  const names = keysOf(api);
  for (let i = 0; i < names.length; i++) {
    if (names[i] !== "assert") define(scope, names[i], { __proto__: null, value: api[names[i]], enumerable: true });
  }
  const test = MakeFunction("assert", "scope", "with (scope) {\\n" + ${JSON.stringify(testCode)} + "\\n}");
  return apply(test, undefined, [assert, scope]);
})();
undefined;
`;
  return { ok: true, program };
}
