/** The homework part of the HTTP API (docs/api.md § Assignments), typed. */
import type * as z from "zod";
import type { AssignmentInfo, ExtensionInfo, SubmissionInfo, SubmittedFile } from "../../../protocol";
import type { AssignmentBody, AssignmentPatch, CommentBody, ExtensionBody, OverrideBody, ReleaseBody, SubmitBody } from "../../../protocol/requests";
import { call } from "../lib/api";

export interface TestResultView {
  name: string;
  verdict: "passed" | "failed" | "error" | "timedOut";
  points: number;
  maxPoints: number;
  message: string | null;
}

export interface Grading {
  status: "none" | "queued" | "running" | "graded" | "failed";
  score: number | null;
  maxScore: number | null;
  tests?: TestResultView[] | null;
  hidden?: { passed: number; total: number; points: number; maxPoints: number };
}

export interface Feedback {
  released: boolean;
  finalScore: number | null;
  comments: { id: string; file: string; line: number; body: string; author: string }[];
  /** Staff only. */
  override?: { score: number | null; reason: string | null };
}

export const listAssignments = (courseId: string) =>
  call<{ assignments: AssignmentInfo[] }>(`/api/courses/${courseId}/assignments`).then((r) => r.assignments);
export const getAssignment = (id: string) => call<{ assignment: AssignmentInfo }>(`/api/assignments/${id}`).then((r) => r.assignment);
/** A student's own versions, newest first; for staff, every student's latest. */
export const listSubmissions = (id: string) => call<{ submissions: SubmissionInfo[] }>(`/api/assignments/${id}/submissions`).then((r) => r.submissions);
/** Staff: one student's versions, newest first. */
export const listStudentVersions = (id: string, userId: string) =>
  call<{ submissions: SubmissionInfo[] }>(`/api/assignments/${id}/submissions?userId=${encodeURIComponent(userId)}`).then((r) => r.submissions);
export const submitWork = (id: string, files: SubmittedFile[]) =>
  call<{ submission: SubmissionInfo; grading: Grading }>(`/api/assignments/${id}/submissions`, { method: "POST", json: { files } satisfies z.input<typeof SubmitBody> });
export const getSubmission = (id: string) => call<{ submission: SubmissionInfo; files: SubmittedFile[]; grading: Grading }>(`/api/submissions/${id}`);
export const getFeedback = (id: string) => call<Feedback>(`/api/submissions/${id}/feedback`);

export type AssignmentFields = z.input<typeof AssignmentBody>;

export const createAssignment = (courseId: string, body: AssignmentFields) =>
  call<{ assignment: AssignmentInfo }>(`/api/courses/${courseId}/assignments`, { method: "POST", json: body }).then((r) => r.assignment);
export const updateAssignment = (id: string, body: z.input<typeof AssignmentPatch>) =>
  call<{ assignment: AssignmentInfo }>(`/api/assignments/${id}`, { method: "PATCH", json: body }).then((r) => r.assignment);

export type Extension = ExtensionInfo;
export const listExtensions = (id: string) => call<{ extensions: Extension[] }>(`/api/assignments/${id}/extensions`).then((r) => r.extensions);
export const grantExtension = (id: string, userId: string, due: string) =>
  call<{ extension: Extension }>(`/api/assignments/${id}/extensions/${userId}`, { method: "PUT", json: { due } satisfies z.input<typeof ExtensionBody> }).then((r) => r.extension);
export const removeExtension = (id: string, userId: string) => call<void>(`/api/assignments/${id}/extensions/${userId}`, { method: "DELETE" });
export const getTests = (id: string) => call<{ tests: unknown[]; version: number }>(`/api/assignments/${id}/tests`);
export const putTests = (id: string, tests: unknown) => call<{ tests: unknown[]; version: number }>(`/api/assignments/${id}/tests`, { method: "PUT", json: { tests } });
export const regrade = (id: string) => call<{ queued: number }>(`/api/assignments/${id}/regrade`, { method: "POST" });
export const release = (id: string, released: boolean) => call<{ released: boolean }>(`/api/assignments/${id}/release`, { method: "POST", json: { released } satisfies z.input<typeof ReleaseBody> });

export const addComment = (submissionId: string, body: z.input<typeof CommentBody>) =>
  call<{ comment: Feedback["comments"][number] }>(`/api/submissions/${submissionId}/comments`, { method: "POST", json: body });
export const overrideScore = (submissionId: string, score: number | null, reason: string) =>
  call<{ override: { score: number | null; reason: string | null } }>(`/api/submissions/${submissionId}/override`, { method: "PUT", json: { score, reason } satisfies z.input<typeof OverrideBody> });
