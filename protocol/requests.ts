/**
 * The JSON request bodies of the HTTP API (docs/api.md): the very schemas
 * the worker validates with (worker/http/body.ts `readJson`), the shapes the
 * web client sends (`z.input<typeof …>`), and what /api/openapi.json
 * describes. Bodies only the worker reads stay beside their routes.
 */
import * as z from "zod";
import { Code, LIMITS, Language, Username } from "./index";
import { Chapter, LECTURE_LIMITS, LectureTitle, Seconds } from "./lectures";
import { SUBMISSION_LIMITS } from "./http";
import { PlainLine, PlainText } from "./text";
import { isTimeZone, parseLocal } from "./time";

// Accounts.

const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "must be at most 254 characters")
  .pipe(z.email("must be an email address"));
// The upper bound keeps PBKDF2's input (and the request) small.
const Password = z.string().min(8, "must be at least 8 characters").max(200, "must be at most 200 characters");

export const SignUp = z.strictObject({ email: Email, password: Password, name: Username });
export const SignIn = z.strictObject({ email: Email, password: z.string().min(1, "must not be empty").max(200) });

// Courses, enrolment and members.

const Title = PlainLine(LIMITS.maxTitleChars);
const CourseCode = PlainLine(20);
const Description = PlainText(2000).transform((d) => d.trim());
const TimeZone = z.string().max(64, "must be at most 64 characters").refine(isTimeZone, "must be an IANA time zone, such as Europe/Paris");

export const CreateCourse = z.strictObject({ title: Title, code: CourseCode, description: Description.default(""), timezone: TimeZone });
export const UpdateCourse = z
  .strictObject({ title: Title.optional(), code: CourseCode.optional(), description: Description.optional(), timezone: TimeZone.optional() })
  .refine((p) => Object.keys(p).length > 0, "must change at least one field");
export const InviteChange = z.strictObject({
  enabled: z.boolean().optional(),
  rotate: z.boolean().optional(),
  expiresInDays: z.number().int().min(1, "must be at least 1").max(365, "must be at most 365").nullable().optional(),
});
export const Enrol = z.strictObject({ code: z.string().trim().min(1, "must not be empty").max(32, "must be at most 32 characters") });
export const MemberRole = z.strictObject({ role: z.enum(["ta", "student"], "must be \"ta\" or \"student\"") });

// Classes.

const MINUTE = 60_000;
const MAX_CLASS_MINUTES = 12 * 60;

const ClassTime = z.string().max(16).refine((s) => parseLocal(s) !== null, "must be a real date and time as YYYY-MM-DDTHH:MM");
export const CreateClass = z
  .strictObject({
    title: PlainLine(LIMITS.maxTitleChars),
    start: ClassTime,
    end: ClassTime,
    repeatWeeks: z.number().int().min(1, "must be at least 1").max(52, "must be at most 52").default(1),
  })
  .superRefine((v, ctx) => {
    const start = parseLocal(v.start);
    const end = parseLocal(v.end);
    if (!start || !end) return;
    // Wall-clock difference; the instants are checked again after the timezone is applied.
    const minutes = (Date.UTC(end.year, end.month - 1, end.day, end.hour, end.minute) - Date.UTC(start.year, start.month - 1, start.day, start.hour, start.minute)) / MINUTE;
    if (minutes <= 0) ctx.addIssue({ code: "custom", path: ["end"], message: "must be after the start" });
    else if (minutes > MAX_CLASS_MINUTES) ctx.addIssue({ code: "custom", path: ["end"], message: "must be at most 12 hours after the start" });
  });
export const Extend = z.strictObject({ minutes: z.number().int().min(5, "must be at least 5").max(240, "must be at most 240") });

// Rooms and running code.

// Shown in every participant's page and title bar: no control or bidi-override characters, as for class titles.
export const CreateRoom = z.strictObject({ title: PlainLine(LIMITS.maxTitleChars).optional() });
export const Program = z.strictObject({ code: Code, language: Language.optional() });

// Assignments.

const DueTime = z.string().refine((t) => parseLocal(t) !== null, "must be a date and time as YYYY-MM-DDTHH:MM");
const Percent = z.number().int().min(0, "must be at least 0").max(100, "must be at most 100");
const LatePolicy = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("refuse") }),
  z.strictObject({ kind: z.literal("penalty"), percentPerDay: Percent, maxPercent: Percent }),
  z.strictObject({ kind: z.literal("mark") }),
]);
const FileIds = z
  .array(z.string().regex(/^[A-Za-z0-9]{6,32}$/, "must be file ids"))
  .max(20, "at most 20 files")
  .refine((ids) => new Set(ids).size === ids.length, "must not list a file twice");

const AssignmentFields = {
  title: PlainLine(LIMITS.maxTitleChars),
  description: PlainText(20_000),
  points: z.number().int().min(0, "must be at least 0").max(10_000, "must be at most 10000"),
  /** The course's wall clock, as a datetime-local input gives it. */
  due: DueTime,
  latePolicy: LatePolicy,
  status: z.enum(["draft", "published"]),
  starterFiles: FileIds,
  handoutFiles: FileIds,
};
export const AssignmentBody = z.strictObject({
  ...AssignmentFields,
  description: AssignmentFields.description.default(""),
  latePolicy: AssignmentFields.latePolicy.default({ kind: "refuse" }),
  status: AssignmentFields.status.default("draft"),
  starterFiles: AssignmentFields.starterFiles.default([]),
  handoutFiles: AssignmentFields.handoutFiles.default([]),
});
// No defaults here: a field left out of a PATCH keeps its value.
export const AssignmentPatch = z
  .strictObject(AssignmentFields)
  .partial()
  .refine((p) => Object.keys(p).length > 0, "must change at least one field");
export const ExtensionBody = z.strictObject({ due: DueTime });

// Submissions and feedback.

export const SubmitBody = z.strictObject({
  files: z
    .array(z.strictObject({ name: z.string().max(1000), content: z.string() }))
    .min(1, "must hold at least one file")
    .max(SUBMISSION_LIMITS.maxFiles, `must hold at most ${SUBMISSION_LIMITS.maxFiles} files`),
});
export const CommentBody = z.strictObject({
  file: z.string().min(1).max(200),
  line: z.number().int().min(1, "must be at least 1").max(1_000_000),
  body: z.string().trim().min(1, "must not be empty").max(4000, "must be at most 4000 characters"),
});
export const OverrideBody = z.strictObject({
  /** null removes the override. */
  score: z.number().min(0, "must be at least 0").max(100_000).nullable(),
  reason: z.string().trim().min(1, "must say why").max(1000, "must be at most 1000 characters"),
});
export const ReleaseBody = z.strictObject({ released: z.boolean() });

// Lectures.

export const NewLecture = z.strictObject({
  title: LectureTitle,
  /** The file's name, kept with the upload. */
  name: z.string().max(1000),
  size: z.number().int().min(1, "must be at least 1"),
  contentType: z.string().max(200),
  /** What the uploader's browser read from the file; Stream reports its own. */
  duration: Seconds.optional(),
});
export const LecturePatch = z.strictObject({
  title: LectureTitle.optional(),
  chapters: z
    .array(Chapter)
    .max(LECTURE_LIMITS.maxChapters, `at most ${LECTURE_LIMITS.maxChapters} chapters`)
    .refine((list) => new Set(list.map((c) => c.at)).size === list.length, "must not have two chapters at the same time")
    .optional(),
});
export const Position = z.strictObject({ position: Seconds });
