/**
 * One interface for a lecture's video, two providers: Cloudflare Stream when
 * its credentials are configured (docs/api.md § Lectures says which), and
 * the app's own R2 bucket otherwise — every local run and test.
 */
import { LECTURE_LIMITS, type LectureProvider, type LectureUpload, type Playback } from "../../protocol/lectures";
import { fail } from "../http/errors";
import { beginUpload, describeUpload } from "../files/multipart";
import { partCount } from "../files/limits";
import { uploadsBy } from "../files/store";
import { deleteLecture, lectureInsert, type Lecture, type NewLecture } from "./store";
import { StreamApi, StreamError, streamConfig } from "./stream-api";

export interface NewVideo {
  name: string;
  size: number;
  contentType: string;
}

export interface VideoProvider {
  readonly kind: Lecture["provider"];
  /** Stores the new lecture (state uploading) and opens the way for its bytes. */
  createUpload(lecture: Omit<NewLecture, "provider" | "streamUid" | "r2Key" | "state" | "size" | "contentType">, video: NewVideo): Promise<LectureUpload>;
  /** How a member's browser plays a ready lecture. */
  playback(lecture: Lecture): Promise<Playback>;
  /** The provider's state for a lecture still processing, when it can tell (Stream's webhook may be late or lost). */
  refresh(lecture: Lecture): Promise<{ state: "processing" | "ready" | "failed"; duration: number | null; errorReason: string | null } | null>;
  /** Removes the video's bytes (the caller removes the row and the captions). */
  removeVideo(lecture: Lecture): Promise<void>;
}

export const lectureKey = (courseId: string, lectureId: string) => `courses/${courseId}/lectures/${lectureId}/video`;
export const captionKey = (courseId: string, lectureId: string, lang: string) => `courses/${courseId}/lectures/${lectureId}/captions/${lang}.vtt`;

/** Stream's signed playback tokens outlive the longest lecture, so a paused tab still plays. */
const TOKEN_SECONDS = LECTURE_LIMITS.maxDurationSeconds + 3600;
/** How long a direct creator upload URL stays usable (a resumed tus upload needs it to): 6 h, the most the docs have promised. */
const UPLOAD_URL_MS = 6 * 3600_000;

/**
 * The provider for a lecture of `kind`, or for a new lecture: Stream when it
 * is configured. A lecture stays with the provider that holds its bytes.
 */
export function videoProvider(env: Env, kind?: LectureProvider): VideoProvider {
  const stream = streamConfig(env as unknown as Record<string, unknown>);
  if ((kind ?? (stream ? "stream" : "local")) === "local") return localProvider(env);
  if (!stream) fail(503, "This lecture is on Cloudflare Stream, which is not configured on this server.");
  return streamProvider(env, new StreamApi(stream));
}

export function localProvider(env: Env): VideoProvider {
  return {
    kind: "local",
    async createUpload(lecture, video) {
      const r2Key = lectureKey(lecture.courseId, lecture.id);
      await lectureInsert(env.DB, { ...lecture, provider: "local", streamUid: null, r2Key, state: "uploading", size: video.size, contentType: video.contentType }, Date.now()).run();
      try {
        const upload = await beginUpload(env, {
          courseId: lecture.courseId,
          userId: lecture.createdBy,
          name: video.name,
          size: video.size,
          contentType: video.contentType,
          visibility: "members",
          r2Key,
          lectureId: lecture.id,
        });
        return { kind: "parts", ...describeUpload(upload, []), partCount: partCount(upload.size, upload.partSize) };
      } catch (error) {
        await deleteLecture(env.DB, lecture.id);
        throw error;
      }
    },
    async playback(lecture) {
      return { kind: "file", src: `/api/lectures/${lecture.id}/video`, contentType: lecture.contentType };
    },
    async refresh() {
      return null;
    },
    async removeVideo(lecture) {
      for (const upload of await uploadsBy(env.DB, lecture.courseId, lecture.createdBy)) {
        if (upload.lectureId === lecture.id) await env.FILES.resumeMultipartUpload(upload.r2Key, upload.r2UploadId).abort().catch(() => {});
      }
      if (lecture.r2Key) await env.FILES.delete(lecture.r2Key);
    },
  };
}

/** Stream's refusals as a 502 that says what Stream said (its messages never carry the token). */
async function viaStream<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof StreamError) {
      console.error("stream:", error.status, error.message);
      fail(502, `Cloudflare Stream refused the request: ${error.message}`);
    }
    throw error;
  }
}

export function streamProvider(env: Env, api: StreamApi): VideoProvider {
  return {
    kind: "stream",
    async createUpload(lecture, video) {
      const options = { name: video.name, maxDurationSeconds: LECTURE_LIMITS.maxDurationSeconds, expiresAt: new Date(Date.now() + UPLOAD_URL_MS) };
      // Stream takes one POST up to 200 MB; past that only tus, which also resumes.
      const tus = video.size > LECTURE_LIMITS.streamBasicMaxBytes;
      const created = await viaStream(() => (tus ? api.createTusUpload({ ...options, size: video.size }) : api.createDirectUpload(options)));
      await lectureInsert(env.DB, { ...lecture, provider: "stream", streamUid: created.uid, r2Key: null, state: "uploading", size: video.size, contentType: video.contentType }, Date.now()).run();
      return { kind: tus ? "stream-tus" : "stream-basic", url: created.url };
    },
    async playback(lecture) {
      const token = await viaStream(() => api.playbackToken(lecture.streamUid!, TOKEN_SECONDS));
      return { kind: "hls", src: api.manifestUrl(token) };
    },
    async refresh(lecture) {
      const video = await viaStream(() => api.video(lecture.streamUid!));
      return video.state === "uploading" ? null : { state: video.state, duration: video.duration, errorReason: video.errorReason };
    },
    async removeVideo(lecture) {
      if (lecture.streamUid) await viaStream(() => api.deleteVideo(lecture.streamUid!));
    },
  };
}

/**
 * A Stream live input per broadcast, when Stream is configured: the teacher
 * publishes to its WebRTC URL (WHIP) and viewers play its WebRTC playback
 * URL (WHEP). Null on the local provider, where the room relays signalling.
 */
export function liveInputs(env: Env): { open(name: string): Promise<{ uid: string; whipUrl: string; whepUrl: string }>; close(uid: string): Promise<void> } | null {
  const stream = streamConfig(env as unknown as Record<string, unknown>);
  if (!stream) return null;
  const api = new StreamApi(stream);
  return { open: (name) => api.createLiveInput({ name }), close: (uid) => api.deleteLiveInput(uid) };
}
