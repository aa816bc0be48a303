/**
 * Final scores and the gradebook: pure functions. A final score is the
 * override if staff gave one, else the autograder's share of the
 * assignment's points, after the late penalty.
 */
import { afterPenalty } from "./late-policy";

export interface ScoreParts {
  /** The autograder's points, out of `maxScore` (the tests' points). */
  score: number | null;
  maxScore: number | null;
  overrideScore: number | null;
  penaltyPercent: number;
}

/**
 * Tests need not add up to the assignment's points (staff change either at
 * any time), so the autograder's score counts as a share of them: 3 of 6
 * test points on a 10-point assignment is 5. An override is in the
 * assignment's points already.
 */
export function finalScore(s: ScoreParts, points: number): number | null {
  const raw = s.overrideScore ?? (s.score === null ? null : s.maxScore ? (s.score / s.maxScore) * points : 0);
  return raw === null ? null : afterPenalty(raw, s.penaltyPercent);
}

/**
 * One CSV cell (RFC 4180), safe to open in a spreadsheet: a cell that starts
 * with =, +, -, @ (or a tab or carriage return) would be read as a formula,
 * so it gets a leading apostrophe. Numbers are written as they are.
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csv(rows: readonly (readonly (string | number | null)[])[]): string {
  // CRLF line ends and a byte-order mark: what spreadsheet programs expect of UTF-8 CSV.
  return `\ufeff${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
