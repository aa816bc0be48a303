/**
 * Lectures (docs/api.md § Lectures): recorded videos of a course, on
 * Cloudflare Stream when it is configured and on R2 otherwise. The shapes the
 * HTTP API answers with, and the limits both sides apply.
 */
import * as z from "zod";
import type { DocUpdate } from "./docs";
import { PlainLine } from "./text";

/** Where a lecture's video lives: Cloudflare Stream, or the app's own R2 bucket. */
export type LectureProvider = "local" | "stream";

/**
 * uploading: bytes still arriving; processing: Stream is encoding it (the
 * local provider skips this); ready: playable; failed: Stream could not
 * encode it, or the upload was given up.
 */
export type LectureState = "uploading" | "processing" | "ready" | "failed";

export const LECTURE_LIMITS = {
  maxTitleChars: 200,
  maxChapterTitleChars: 120,
  maxChapters: 100,
  maxCaptionTracks: 10,
  /** A WebVTT file: an hour of dense captions is about 100 KB. */
  maxCaptionBytes: 1024 * 1024,
  /** Stream's basic (one POST) direct creator upload takes at most 200 MB; bigger files go by tus. https://developers.cloudflare.com/stream/uploading-videos/direct-creator-uploads/ */
  streamBasicMaxBytes: 200 * 1000 * 1000,
  /** Longest video a creator upload may hold: Stream needs a bound, and a long class is 4 h. */
  maxDurationSeconds: 6 * 3600,
  /** Saving the playback position more often than this is wasted writes; the player saves every 15 s and on pause. */
  positionEveryMs: 5_000,
} as const;

export const LectureTitle = PlainLine(LECTURE_LIMITS.maxTitleChars);
/** A BCP 47 language tag, as `<track srclang>` takes it: "en", "pt-BR". */
export const CaptionLanguage = z
  .string()
  .max(35, "must be a language tag of at most 35 characters")
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "en" or "pt-BR"');
export const Seconds = z.number().finite().min(0).max(LECTURE_LIMITS.maxDurationSeconds);

export const Chapter = z.strictObject({
  at: Seconds,
  title: PlainLine(LECTURE_LIMITS.maxChapterTitleChars),
});
export type Chapter = z.infer<typeof Chapter>;

export interface CaptionTrack {
  lang: string;
  label: string;
  /** GET this for the WebVTT text (members only). */
  src: string;
}

/** How the browser plays a ready lecture. */
export type Playback =
  /** The local provider: the file itself, with Range requests. */
  | { kind: "file"; src: string; contentType: string }
  /** Stream: an HLS manifest behind a signed token (hls.js where the browser has no native HLS). */
  | { kind: "hls"; src: string };

export interface LectureInfo {
  id: string;
  courseId: string;
  title: string;
  provider: LectureProvider;
  state: LectureState;
  /** Seconds; null until known. */
  duration: number | null;
  /** The class this is the recording of, if any. */
  classId: string | null;
  /** Whether the teacher's code was kept over the recording (the code timeline). */
  hasCode: boolean;
  createdAt: number;
}

/** One lecture with what its player needs. */
export interface LectureDetail extends LectureInfo {
  chapters: Chapter[];
  captions: CaptionTrack[];
  /** Where this user stopped watching, in seconds; 0 if never. */
  position: number;
  /** Null until the lecture is ready. */
  playback: Playback | null;
}

/** How the browser sends a new lecture's bytes, by provider. */
export type LectureUpload =
  /** The app's resumable R2 upload (docs/api.md § Multipart, resumable). */
  | { kind: "parts"; uploadId: string; name: string; size: number; partSize: number; partCount: number; parts: number[] }
  /** Stream's basic direct creator upload: one multipart/form-data POST of `file` to the URL. */
  | { kind: "stream-basic"; url: string }
  /** Stream's direct creator upload by tus: the URL is the tus upload to PATCH (and HEAD to resume). */
  | { kind: "stream-tus"; url: string };

export interface CreatedLecture {
  lecture: LectureInfo;
  upload: LectureUpload;
}

/**
 * A page of a class recording's code timeline: the teacher's editor as it
 * was when the recording began (`start`, on the first page only), then its
 * changes (`@codemirror/collab` change sets as JSON) from version `after`,
 * each with the time it was made (Unix ms). The code at video time t is
 * `start` with the changes made up to `recordedAt + t` applied.
 */
export interface CodeTimelinePage {
  recordedAt: number;
  after: number;
  start: { version: number; text: string } | null;
  updates: { changes: DocUpdate["changes"]; at: number }[];
  hasMore: boolean;
}
