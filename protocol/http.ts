/**
 * Shapes of HTTP API answers that both the worker and the web client use
 * (docs/api.md). The worker builds them; the web client reads them.
 */

export type CourseRole = "instructor" | "ta" | "student";

export interface UserInfo {
  id: string;
  email: string;
  name: string;
}

/** A course as members see it. */
export interface CourseInfo {
  id: string;
  title: string;
  code: string;
  description: string;
  timezone: string;
  archived: boolean;
  archivedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A course's invite link, as its instructor sees it. */
export interface InviteInfo {
  code: string | null;
  enabled: boolean;
  expiresAt: number | null;
  /** The link to hand out; null while there is no code. */
  url: string | null;
}

/** A course as one member sees it (reading it, and every change to it): the invite for the instructor only. */
export interface CourseView {
  course: CourseInfo;
  role: CourseRole;
  calendarUrl: string;
  invite?: InviteInfo;
}

/** A scheduled class, with its room's hours (Unix ms). */
export interface ClassInfo {
  id: string;
  title: string;
  startsAt: number;
  endsAt: number;
  opensAt: number;
  closesAt: number;
  open: boolean;
  /** Closed before its room ever opened: it never ran. */
  cancelled: boolean;
  roomId: string;
  seriesId: string | null;
}

/** What anyone holding a working invite link may see (GET /api/invites/:code): no members but the instructor's name. */
export interface InvitePreview {
  course: { title: string; code: string };
  instructor: string | null;
}

export interface MemberInfo {
  userId: string;
  name: string;
  email: string;
  role: CourseRole;
  enrolledAt: number;
}

/** Who may download a course file: every member, or staff only (hidden tests, solutions). */
export type FileVisibility = "members" | "staff";

/** A course file (docs/api.md#course-files). Its bytes: GET /api/files/:id. */
export interface CourseFile {
  id: string;
  courseId: string;
  name: string;
  size: number;
  contentType: string;
  visibility: FileVisibility;
  etag: string;
  createdAt: number;
}

/** The limits on course files, as the server applies them (from its configuration). */
export const FILE_LIMITS = {
  /** One request's body: the request-body limit of the Free and Pro Workers plans. https://developers.cloudflare.com/workers/platform/limits/#request-limits */
  maxRequestBytes: 100 * 1024 * 1024,
  /** R2 multipart: every part but the last is the same size and at least 5 MiB. https://developers.cloudflare.com/r2/objects/multipart-objects/ */
  minPartBytes: 5 * 1024 * 1024,
  /** R2 allows at most 10,000 parts. */
  maxParts: 10_000,
} as const;

/** What happens to work handed in after the due time (docs/api.md#assignments). */
export type LatePolicy =
  | { kind: "refuse" }
  | { kind: "penalty"; percentPerDay: number; maxPercent: number }
  | { kind: "mark" };

/** An assignment (docs/api.md#assignments). `due` is the course's wall clock, `dueAt` the instant. */
export interface AssignmentInfo {
  id: string;
  courseId: string;
  title: string;
  description: string;
  points: number;
  due: string;
  dueAt: number;
  latePolicy: LatePolicy;
  status: "draft" | "published";
  /** Whether students see comments and final scores (staff release them). */
  released: boolean;
  starterFiles: string[];
  handoutFiles: string[];
  createdAt: number;
  updatedAt: number;
  /** For a student with an extension: their own due time. */
  extension?: { due: string; dueAt: number };
  /** In a student's list of a course's assignments: their latest version, or null before they hand anything in. */
  mine?: OwnWork | null;
}

/** A student's latest version of an assignment, as their course page shows it. */
export interface OwnWork {
  version: number;
  submittedAt: number;
  late: boolean;
  grading: "none" | "queued" | "running" | "graded" | "failed";
  /** The autograder's score (hidden tests included, as the student sees it); null until graded. */
  score: number | null;
  maxScore: number | null;
}

export interface ExtensionInfo {
  userId: string;
  due: string;
  dueAt: number;
}

/** One file of a submission: text, as the editor holds it. */
export interface SubmittedFile {
  name: string;
  content: string;
}

/** One version of a student's work (docs/api.md#submissions). */
export interface SubmissionInfo {
  id: string;
  assignmentId: string;
  userId: string;
  version: number;
  submittedAt: number;
  /** SHA-256 of the files, hex: two versions with the same hash hold the same work. */
  contentHash: string;
  size: number;
  fileNames: string[];
  late: boolean;
  daysLate: number;
  penaltyPercent: number;
}

export const SUBMISSION_LIMITS = {
  maxFiles: 20,
  /** All files of one submission together, in UTF-8 bytes. */
  maxBytes: 2 * 1024 * 1024,
  /** Versions one student may hand in to one assignment per minute: each is stored and graded. */
  perMinute: 6,
  /** Versions one student may keep of one assignment. */
  maxVersions: 200,
} as const;

/** The file a test runs, and the one staff hand out from starter files: the only code file, else main, index or solution (.js before .ts). */
export function entryFile<F extends { name: string }>(files: readonly F[]): F | null {
  const code = files.filter((f) => /\.(js|mjs|ts)$/.test(f.name));
  if (code.length <= 1) return code[0] ?? null;
  for (const stem of ["main", "index", "solution"]) {
    for (const ext of ["js", "mjs", "ts"]) {
      const found = code.find((f) => f.name === `${stem}.${ext}`);
      if (found) return found;
    }
  }
  return code[0]!;
}
