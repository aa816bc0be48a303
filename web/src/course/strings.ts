/** What the course pages say to people after an action: in one place so the wording can be translated. */
import { plural } from "../lib/plural";

export const COURSE_TEXT = {
  scheduled: (n: number) => `Scheduled ${plural(n, { one: "class", other: "classes" })}.`,
  joined: (n: number) => `${plural(n, { one: "student has", other: "students have" })} joined.`,
} as const;
