/**
 * Rules for text that people write and read: one line (names, titles),
 * several lines (descriptions), and well-formed Unicode everywhere. Part of
 * the wire protocol (index.ts); the HTTP API uses the same rules.
 */
import * as z from "zod";

/**
 * One line of text that people read (a name, a title): trimmed, non-empty,
 * bounded. Control and format characters (bidi overrides, zero-width) and
 * line or paragraph separators are refused: they would let one name pass
 * for another in a roster, or start a new line in a calendar feed.
 */
export const PlainLine = (maxChars: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(maxChars, `must be at most ${maxChars} characters`)
    .regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u, "must not contain control characters");

/**
 * Text of several lines that people read (a course or assignment
 * description): line breaks and tabs are fine; other control characters
 * (NUL, escape) and bidi overrides, which can make text read other than it
 * is stored, are refused. Joiners stay allowed: emoji need them.
 */
export const PlainText = (maxChars: number) =>
  z
    .string()
    .max(maxChars, `must be at most ${maxChars} characters`)
    .regex(/^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$/, "must not contain control characters");

/** A `\uD800`–`\uDFFF` escape: the only way JSON text can carry an unpaired surrogate (UTF-8 cannot). */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** With the `u` flag a paired surrogate is one code point, so only an unpaired one is in category Cs. */
const UNPAIRED = /\p{Cs}/u;

/**
 * Whether any string (or key) in parsed JSON is not well-formed Unicode: an
 * unpaired surrogate, which SQLite and UTF-8 can only keep as replacement
 * characters, so it would be stored other than as sent. Walked with a stack,
 * not recursion: JSON.parse accepts nesting far deeper than the call stack.
 * Cheap for ordinary text: only JSON that escapes a surrogate is walked.
 */
export function hasUnpairedSurrogate(json: string, data: unknown): boolean {
  if (!SURROGATE_ESCAPE.test(json)) return false;
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") {
      if (UNPAIRED.test(value)) return true;
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        if (UNPAIRED.test(key)) return true;
        stack.push(item);
      }
    }
  }
  return false;
}

export const UNPAIRED_SURROGATE = "Text must be well-formed Unicode: a string has an unpaired surrogate (such as \\ud83d alone).";
