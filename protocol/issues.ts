/**
 * zod's own words for a refused value ("Invalid input: expected string,
 * received undefined", "Too big: expected int to be <=9007199254740991") in
 * the plain phrases the schemas' own messages use ("is required", "must be
 * at most 20"), so a field error reads the same whichever rule caught it.
 * Messages a schema words itself are kept as they are.
 */
import type * as z from "zod";

/** zod's default messages begin so; the schemas' own ("must …", "is …") never do. */
const ZOD_WORDING = /^(Invalid|Too big|Too small|Unrecognized)/;

const KINDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  bigint: "a whole number",
};

/** How a size is counted for each kind of value. */
const UNITS: Record<string, string> = { string: " characters", array: " items", set: " items", file: " bytes" };

/** A client's own text, repeated only when it is a short plain word (a field name someone mistyped), never markup or a megabyte. */
export function quoted(value: unknown): string {
  return typeof value === "string" && /^[A-Za-z0-9_.-]{1,40}$/.test(value) ? JSON.stringify(value) : value == null ? "null" : "(not shown)";
}

export function plainIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.slice(0, 3).map(quoted).join(", ");
    return issue.keys.length === 1 ? `has a field it does not take: ${keys}` : `has fields it does not take: ${keys}`;
  }
  if (!ZOD_WORDING.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return / received undefined$/.test(issue.message) ? "is required" : `must be ${KINDS[issue.expected] ?? issue.expected}`;
    case "too_big": {
      const unit = UNITS[issue.origin] ?? "";
      return issue.inclusive === false ? `must be less than ${String(issue.maximum)}${unit}` : `must be at most ${String(issue.maximum)}${unit}`;
    }
    case "too_small": {
      const unit = UNITS[issue.origin] ?? "";
      if (issue.origin === "string" && Number(issue.minimum) === 1) return "must not be empty";
      return issue.inclusive === false ? `must be more than ${String(issue.minimum)}${unit}` : `must be at least ${String(issue.minimum)}${unit}`;
    }
    case "invalid_value":
      return issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}` : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_format":
      return issue.format === "email" ? "must be an email address" : "is not in the expected format";
    case "invalid_union":
      return "is not any of the forms this field takes";
    default:
      return "is not valid";
  }
}
