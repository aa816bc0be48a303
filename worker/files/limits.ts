/**
 * How big course files may be, from the Worker's configuration ([vars] in
 * wrangler.toml, documented in docs/api.md#course-files), and how a
 * multipart upload is cut into parts. Pure apart from reading `env`.
 */
import { FILE_LIMITS } from "../../protocol";

export interface FileConfig {
  /** The largest file, whatever the way it is uploaded. */
  maxFileBytes: number;
  /** All of a course's files together, uploads in progress included. */
  courseQuotaBytes: number;
  /** The part size a multipart upload starts with (never below R2's minimum). */
  partBytes: number;
  /** The largest lecture video: a long class in HD is a few GB. */
  maxLectureBytes: number;
}

const GiB = 1024 * 1024 * 1024;

function positive(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

export function fileConfig(env: { MAX_FILE_BYTES?: string; COURSE_QUOTA_BYTES?: string; UPLOAD_PART_BYTES?: string; MAX_LECTURE_BYTES?: string }): FileConfig {
  return {
    maxLectureBytes: positive(env.MAX_LECTURE_BYTES, 8 * GiB),
    maxFileBytes: positive(env.MAX_FILE_BYTES, GiB),
    courseQuotaBytes: positive(env.COURSE_QUOTA_BYTES, 10 * GiB),
    partBytes: Math.max(FILE_LIMITS.minPartBytes, positive(env.UPLOAD_PART_BYTES, 8 * 1024 * 1024)),
  };
}

/** The part size for a file: the configured one, or bigger when the file would need more than R2's 10,000 parts. */
export function partSizeFor(size: number, partBytes: number): number {
  return Math.max(partBytes, Math.ceil(size / FILE_LIMITS.maxParts));
}

export function partCount(size: number, partSize: number): number {
  return Math.max(1, Math.ceil(size / partSize));
}

/** The exact byte count part `n` (1-based) must have: full parts, then whatever is left. */
export function expectedPartBytes(n: number, size: number, partSize: number): number {
  return n < partCount(size, partSize) ? partSize : size - partSize * (partCount(size, partSize) - 1);
}

export interface PartPlan {
  size: number;
  partSize: number;
  openEnded: boolean;
  lastPart: number | null;
}

/**
 * The exact length part `n` must have, or why it cannot be sent. A fixed
 * upload knows every part's size. An open-ended one (a recording) takes full
 * parts until the client sends one marked `last`, which may be shorter, as
 * R2 allows only the last part to be.
 */
export function partRule(u: PartPlan, n: number, last: boolean, maxBytes: number): { ok: true; min: number; max: number } | { ok: false; error: string } {
  if (!u.openEnded) {
    const count = partCount(u.size, u.partSize);
    if (!Number.isInteger(n) || n < 1 || n > count) return { ok: false, error: `Part numbers run from 1 to ${count}.` };
    const exact = expectedPartBytes(n, u.size, u.partSize);
    return { ok: true, min: exact, max: exact };
  }
  const most = Math.min(FILE_LIMITS.maxParts, Math.ceil(maxBytes / u.partSize));
  if (!Number.isInteger(n) || n < 1 || n > most) return { ok: false, error: `Part numbers run from 1 to ${most}.` };
  if (u.lastPart !== null && (n > u.lastPart || (last && n !== u.lastPart))) return { ok: false, error: `The upload already ended with part ${u.lastPart}.` };
  if (last || n === u.lastPart) return { ok: true, min: 1, max: Math.min(u.partSize, maxBytes - (n - 1) * u.partSize) };
  return { ok: true, min: u.partSize, max: u.partSize };
}
