/**
 * A course's schedule as an iCalendar feed (RFC 5545) that calendar apps
 * can subscribe to. Times are written in UTC, so no VTIMEZONE is needed.
 */

export interface FeedClass {
  id: string;
  title: string;
  startsAt: number;
  endsAt: number;
  cancelled: boolean;
}

export interface FeedCourse {
  id: string;
  title: string;
  code: string;
  description: string;
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/**
 * TEXT values escape backslash, semicolon and comma, and write every line
 * break as \n (RFC 5545 §3.3.11). A bare CR or a Unicode line separator
 * counts as a break too: calendar parsers split on them, so left raw they
 * would start a property of their own. Other control characters are not
 * allowed in TEXT at all (§3.3.11's TSAFE-CHAR), so they are dropped.
 */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, "\\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}

/** Lines longer than 75 octets are folded with CRLF + space (RFC 5545 §3.1). */
export function fold(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const out: string[] = [];
  let current = "";
  let size = 0;
  for (const ch of line) {
    const n = new TextEncoder().encode(ch).length;
    if (size + n > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = "";
      size = 0;
    }
    current += ch;
    size += n;
  }
  out.push(current);
  return out.join("\r\n ");
}

export function renderCalendar(course: FeedCourse, classes: FeedClass[], origin: string, now: number): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//ThirdSpace//Course schedule//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(`${course.code} ${course.title}`)}`,
  ];
  for (const c of classes) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${c.id}@thirdspace`,
      `DTSTAMP:${stamp(now)}`,
      `DTSTART:${stamp(c.startsAt)}`,
      `DTEND:${stamp(c.endsAt)}`,
      `SUMMARY:${escapeText(`${course.code}: ${c.title}`)}`,
      `DESCRIPTION:${escapeText(`Live class room: ${origin}/room/class-${c.id}`)}`,
      `URL:${origin}/room/class-${c.id}`,
      `STATUS:${c.cancelled ? "CANCELLED" : "CONFIRMED"}`,
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(fold).join("\r\n") + "\r\n";
}
