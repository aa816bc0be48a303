import { describe, expect, it } from "vitest";
import { escapeText, fold, renderCalendar } from "../../worker/courses/ics";

const octets = (s: string) => new TextEncoder().encode(s).byteLength;
const unfold = (s: string) => s.replace(/\r\n /g, "");

describe("escapeText", () => {
  it("escapes backslash, semicolon, comma and newlines (RFC 5545 TEXT)", () => {
    expect(escapeText("a;b,c")).toBe("a\\;b\\,c");
    expect(escapeText("C:\\path")).toBe("C:\\\\path");
    expect(escapeText("line 1\nline 2\r\nline 3")).toBe("line 1\\nline 2\\nline 3");
  });

  it("writes every line break as \\n, a bare CR too, so no value can start a property of its own", () => {
    expect(escapeText("a\rSTATUS:CANCELLED")).toBe("a\\nSTATUS:CANCELLED");
    expect(escapeText("a\n\rb")).toBe("a\\n\\nb");
    expect(escapeText("a\u0085b\u2028c\u2029d")).toBe("a\\nb\\nc\\nd");
  });

  it("drops the other control characters, which TEXT may not hold", () => {
    expect(escapeText("a\u0000b\u001bc\u007fd\te")).toBe("abcd\te");
  });

  it("escapes a backslash once, before the escapes it adds", () => {
    expect(escapeText("\\;")).toBe("\\\\\\;");
    expect(escapeText("\\n")).toBe("\\\\n");
  });

  it("leaves colons, quotes and plain text alone", () => {
    expect(escapeText('CS101: "Intro" — été')).toBe('CS101: "Intro" — été');
    expect(escapeText("")).toBe("");
  });
});

describe("fold", () => {
  it("leaves a line of up to 75 octets alone", () => {
    expect(fold("x".repeat(75))).toBe("x".repeat(75));
    expect(fold("SUMMARY:short")).toBe("SUMMARY:short");
  });

  it("folds a 76-octet line after 75 octets with CRLF and a space", () => {
    expect(fold("x".repeat(76))).toBe(`${"x".repeat(75)}\r\n x`);
  });

  it("keeps every physical line within 75 octets, the space included, and unfolds to the original", () => {
    const line = `DESCRIPTION:${"abcdefghij".repeat(30)}`;
    const folded = fold(line);
    const physical = folded.split("\r\n");
    expect(physical).toHaveLength(5);
    expect(physical.map(octets)).toEqual([75, 75, 75, 75, 16]);
    expect(physical.slice(1).every((l) => l.startsWith(" "))).toBe(true);
    expect(unfold(folded)).toBe(line);
  });

  it("counts octets, not characters, and never splits a multi-byte character", () => {
    const line = `SUMMARY:${"é".repeat(50)}${"😀".repeat(20)}`; // 8 + 100 + 80 octets
    const folded = fold(line);
    const physical = folded.split("\r\n");
    expect(physical.every((l) => octets(l) <= 75)).toBe(true);
    expect(physical.length).toBe(3);
    expect(unfold(folded)).toBe(line);
    // Each piece is valid text on its own: no replacement characters after a UTF-8 round trip.
    for (const l of physical) expect(new TextDecoder().decode(new TextEncoder().encode(l))).toBe(l);
    expect(physical[0]).toBe(`SUMMARY:${"é".repeat(33)}`); // 8 + 66 = 74; one more é would make 76
  });
});

describe("renderCalendar", () => {
  it("writes one VEVENT per class in UTC, escaped, with CRLF line ends", () => {
    const ics = renderCalendar(
      { id: "course1", title: "Intro, part 1", code: "CS;101", description: "" },
      [
        { id: "classA", title: "Loops\\lists", startsAt: Date.parse("2030-11-04T15:00Z"), endsAt: Date.parse("2030-11-04T16:30Z"), cancelled: false },
        { id: "classB", title: "Off", startsAt: Date.parse("2030-11-11T15:00Z"), endsAt: Date.parse("2030-11-11T16:30Z"), cancelled: true },
      ],
      "https://thirdspace.test",
      Date.parse("2030-10-01T12:34:56.789Z"),
    );
    const event = (id: string, start: string, end: string, summary: string, status: string) => [
      "BEGIN:VEVENT",
      `UID:${id}@thirdspace`,
      "DTSTAMP:20301001T123456Z",
      `DTSTART:${start}`,
      `DTEND:${end}`,
      `SUMMARY:${summary}`,
      `DESCRIPTION:Live class room: https://thirdspace.test/room/class-${id}`,
      `URL:https://thirdspace.test/room/class-${id}`,
      `STATUS:${status}`,
      "END:VEVENT",
    ];
    expect(ics).toBe(
      [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ThirdSpace//Course schedule//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:CS\\;101 Intro\\, part 1",
        ...event("classA", "20301104T150000Z", "20301104T163000Z", "CS\\;101: Loops\\\\lists", "CONFIRMED"),
        ...event("classB", "20301111T150000Z", "20301111T163000Z", "CS\\;101: Off", "CANCELLED"),
        "END:VCALENDAR",
        "",
      ].join("\r\n"),
    );
  });

  it("folds long lines, so no line of the feed is over 75 octets", () => {
    const ics = renderCalendar(
      { id: "c", title: "A very long course title ".repeat(5), code: "LONG", description: "" },
      [{ id: "k", title: "Ünïcödé session ".repeat(6), startsAt: 0, endsAt: 3_600_000, cancelled: false }],
      "https://thirdspace.test",
      0,
    );
    const lines = ics.split("\r\n");
    expect(lines.every((l) => octets(l) <= 75)).toBe(true);
    expect(unfold(ics)).toContain(`SUMMARY:LONG: ${"Ünïcödé session ".repeat(6)}`);
    expect(unfold(ics)).toContain("DTSTART:19700101T000000Z\r\nDTEND:19700101T010000Z\r\n");
  });

  it("keeps a title with a bare CR inside its SUMMARY line", () => {
    const ics = renderCalendar(
      { id: "c", title: "T", code: "C", description: "" },
      [{ id: "k", title: "Lab\rSTATUS:CANCELLED", startsAt: 0, endsAt: 3_600_000, cancelled: false }],
      "https://x.test",
      0,
    );
    expect(ics.split("\r\n")).toContain("SUMMARY:C: Lab\\nSTATUS:CANCELLED");
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("writes an empty calendar when there are no classes", () => {
    const ics = renderCalendar({ id: "c", title: "T", code: "C", description: "" }, [], "https://x.test", 0);
    expect(ics).toBe(
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ThirdSpace//Course schedule//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:C T\r\nEND:VCALENDAR\r\n",
    );
  });
});
