/**
 * Guest-side code evaluated before the user's program: a `console` that
 * formats values inside the sandbox (so the host never walks guest objects)
 * and hands plain strings to the host's `__emit`.
 */
export const GUEST_PRELUDE = String.raw`
(() => {
  const emit = globalThis.__emit;
  delete globalThis.__emit;
  const MAX_ITEMS = 50;
  function format(value, depth, seen) {
    if (typeof value === "string") return depth === 0 ? value : JSON.stringify(value);
    if (typeof value === "function") return "[Function " + (value.name || "anonymous") + "]";
    if (typeof value === "bigint") return value + "n";
    if (typeof value === "symbol") return value.toString();
    if (value === null || typeof value !== "object") return String(value);
    if (value instanceof Error) return value.name + ": " + value.message;
    if (seen.includes(value)) return "[Circular]";
    if (depth > 3) return Array.isArray(value) ? "[Array]" : "[Object]";
    const next = seen.concat([value]);
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ITEMS).map((v) => format(v, depth + 1, next));
      if (value.length > MAX_ITEMS) items.push("… " + (value.length - MAX_ITEMS) + " more");
      return "[ " + items.join(", ") + " ]";
    }
    if (value instanceof Map) return "Map(" + value.size + ") " + format(Object.fromEntries(value), depth + 1, next);
    if (value instanceof Set) return "Set(" + value.size + ") " + format(Array.from(value), depth + 1, next);
    if (typeof value.then === "function") return "Promise { … }";
    const keys = Object.keys(value);
    const items = keys.slice(0, MAX_ITEMS).map((k) => k + ": " + format(value[k], depth + 1, next));
    if (keys.length > MAX_ITEMS) items.push("… " + (keys.length - MAX_ITEMS) + " more");
    return items.length ? "{ " + items.join(", ") + " }" : "{}";
  }
  // Results read like a REPL's: strings quoted, so "1" and 1 differ.
  const top = (v) => format(v, 1, []);
  const writer = (stream) => (...args) => emit(stream, args.map((a) => (typeof a === "string" ? a : format(a, 1, []))).join(" "));
  Object.defineProperty(globalThis, "__format", { value: top, enumerable: false });
  globalThis.console = {
    log: writer("stdout"),
    info: writer("stdout"),
    debug: writer("stdout"),
    warn: writer("stderr"),
    error: writer("stderr"),
  };
})();
`;
