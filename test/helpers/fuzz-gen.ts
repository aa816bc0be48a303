/**
 * The fuzzers' randomness: a small seeded PRNG (so a failure names a seed that
 * replays it exactly) and generators of hostile values and structural
 * mutations, shared by the room and the HTTP fuzzer.
 */

/** The seed: VITE_FUZZ_SEED from the environment (Vite passes only VITE_ variables to tests), else a fixed one. */
export function fuzzSeed(fallback = 20261101): number {
  const raw = (import.meta as { env?: Record<string, string | undefined> }).env?.VITE_FUZZ_SEED;
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isSafeInteger(n) ? n : fallback;
}

/** sfc32: fast, good enough for fuzzing, and the same sequence in every runtime. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  next(): number {
    this.a |= 0;
    this.b |= 0;
    this.c |= 0;
    this.d |= 0;
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** A fresh id for clientIds and the like, from the same stream (so it replays). */
  word(length: number): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

/** Characters that break naive code: NUL, controls, lone surrogates, bidi overrides, zero-width, separators, BOM, emoji, combining marks. */
export const ODD_CHARS = [
  "\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\ud800", "\udfff", "\ud83d", "\u202e", "\u202d", "\u2066", "\u200b", "\u200d",
  "\u2028", "\u2029", "\ufeff", "\u00a0", "\u3000", "😀", "👩‍💻", "e\u0301", "ﷺ", "\t", "\n", "\r", "\\", '"', "'", "<", ">", "&",
  "%00", "${", "`", "ǅ", "İ", "ß",
];

/** A string that is usually hostile: odd characters, padding, markup, numbers in disguise. */
export function oddString(rng: Rng): string {
  switch (rng.int(10)) {
    case 0:
      return "";
    case 1:
      return " ".repeat(1 + rng.int(5));
    case 2:
      return rng.pick(["NaN", "Infinity", "-0", "1e309", "0x10", "null", "undefined", "true", "[]", "{}", "__proto__", "constructor", "toString"]);
    case 3:
      return rng.pick(["<script>alert(1)</script>", "'; DROP TABLE chat; --", "../../etc/passwd", "%s%s%n", "\u202egnp.exe", "a\u0000b"]);
    case 4:
      return rng.pick(ODD_CHARS).repeat(1 + rng.int(3));
    default: {
      let s = "";
      const n = 1 + rng.int(12);
      for (let i = 0; i < n; i++) s += rng.chance(0.4) ? rng.pick(ODD_CHARS) : rng.word(1 + rng.int(4));
      return s;
    }
  }
}

/** A number that is usually at an edge: zero, negative, fractional, huge, past the safe integers. */
export function oddNumber(rng: Rng): number {
  return rng.pick([0, -0, -1, 1, 0.5, -7.25, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e21, 1e308, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 100, 101, 1_000_000, 1_000_001]);
}

/** Nesting as deep as asked: [[[…]]] or {"a":{"a":…}}. */
export function deep(depth: number, asArray: boolean): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

/** Any JSON value of the wrong kind for most fields. */
export function oddValue(rng: Rng): unknown {
  switch (rng.int(9)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return oddNumber(rng);
    case 3:
      return oddString(rng);
    case 4:
      return [];
    case 5:
      return [oddString(rng), oddNumber(rng)];
    case 6:
      return {};
    case 7:
      return deep(1 + rng.int(rng.chance(0.1) ? 400 : 20), rng.chance(0.5));
    default:
      // JSON.parse makes "__proto__" an own key, as a server reading the frame sees it.
      return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{}}}') as unknown;
  }
}

/** Text just past, at, or under a length limit, sometimes padded with odd characters. */
export function sized(rng: Rng, limit: number): string {
  const n = rng.pick([limit - 1, limit, limit + 1, limit * 2]);
  const unit = rng.pick(["x", " ", "é", "😀", "\u200b"]);
  // An emoji is two UTF-16 units: repeat by units, so the limit (in units) is what is probed.
  return unit.repeat(Math.max(0, Math.ceil(n / unit.length))).slice(0, Math.max(0, n)) || "x";
}

/** Text-level mutations of a serialised frame or body: what a broken client or proxy sends. */
export function mutateText(rng: Rng, text: string): string {
  switch (rng.int(8)) {
    case 0:
      return text.slice(0, rng.int(text.length));
    case 1:
      return text + rng.pick(["}", "]", ",", " ", "\u0000", "garbage"]);
    case 2: {
      const at = rng.int(text.length + 1);
      return text.slice(0, at) + rng.pick(ODD_CHARS) + text.slice(at);
    }
    case 3:
      return text.replace(/:/, "::");
    case 4:
      return text.replace(/"/g, "'");
    case 5:
      return text.replace(/\{/, '{"username":1,');
    case 6:
      return rng.pick(["", " ", "null", "true", "0", "[]", '"x"', "ping ", "PING", "{}", "[{}]", "\ufeff{}", "NaN", "1e999", "{".repeat(10_000)]);
    default:
      return text.replace(/,/, ",,");
  }
}

/** Any key or string in parsed JSON with an unpaired surrogate (walked with a stack: nesting may be deep). */
export function hasLoneSurrogate(data: unknown): boolean {
  const stack = [data];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === "string" && /\p{Cs}/u.test(v)) return true;
    if (v !== null && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) {
        if (/\p{Cs}/u.test(k)) return true;
        stack.push(item);
      }
    }
  }
  return false;
}
