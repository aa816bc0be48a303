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
