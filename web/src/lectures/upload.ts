/**
 * Sends a new lecture's video by whichever way the server chose: the app's
 * resumable parts (local provider), or straight to Cloudflare Stream — one
 * POST up to 200 MB, tus above (docs/api.md § Lectures). Every way reports
 * progress and survives a dropped network.
 */
import type { LectureInfo, LectureUpload } from "../../../protocol/lectures";
import { partsTransport } from "../files/transport";
import { TransferError, backoff, uploadInParts, type UploadProgress } from "../files/uploader";
import { RateMeter } from "../files/rate";
import { getLecture, lectureUploaded } from "./api";

export interface LectureSend {
  lectureId: string;
  upload: LectureUpload;
  file: File;
  onProgress: (p: UploadProgress) => void;
  signal: AbortSignal;
}

/**
 * The video's length as the browser reads it, or undefined when it cannot
 * (Stream reports its own). A recording from MediaRecorder has no duration
 * in its header: seeking far past the end makes the browser find it.
 */
export function readDuration(file: File): Promise<number | undefined> {
  return new Promise((resolve) => {
    const video = document.createElement("video");
    const url = URL.createObjectURL(file);
    let settled = false;
    const done = (value: number | undefined) => {
      if (settled) return;
      settled = true;
      URL.revokeObjectURL(url);
      video.removeAttribute("src");
      resolve(value);
    };
    const known = () => Number.isFinite(video.duration) && video.duration > 0;
    video.preload = "metadata";
    video.muted = true;
    video.onloadedmetadata = () => {
      if (known()) return done(video.duration);
      video.ondurationchange = () => known() && done(video.duration);
      video.currentTime = Number.MAX_SAFE_INTEGER;
    };
    video.onerror = () => done(undefined);
    setTimeout(() => done(known() ? video.duration : undefined), 10_000);
    video.src = url;
  });
}

export async function sendLecture(s: LectureSend): Promise<LectureInfo> {
  const u = s.upload;
  if (u.kind === "parts") {
    const first = { uploadId: u.uploadId, partSize: u.partSize, parts: u.parts };
    // Resumed from what the server has: after a reload some parts may be stored already.
    return uploadInParts<LectureInfo>(s.file, { transport: partsTransport<LectureInfo>(async () => first, s.signal), resumeId: u.uploadId, onProgress: s.onProgress, signal: s.signal });
  }
  if (u.kind === "stream-basic") await postToStream(u.url, s);
  else await tusToStream(u.url, s);
  s.onProgress({ sent: s.file.size, total: s.file.size, bytesPerSecond: null, secondsLeft: null, phase: "finishing" });
  await lectureUploaded(s.lectureId);
  return getLecture(s.lectureId);
}

/** Stream's basic direct creator upload: one multipart/form-data POST, sent again from the start after a drop. */
async function postToStream(url: string, s: LectureSend): Promise<void> {
  const meter = new RateMeter();
  for (let attempt = 1; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        const form = new FormData();
        form.append("file", s.file);
        xhr.open("POST", url);
        xhr.upload.onprogress = (e) => {
          const bytesPerSecond = meter.sample(e.loaded);
          s.onProgress({ sent: e.loaded, total: s.file.size, bytesPerSecond, secondsLeft: bytesPerSecond ? (s.file.size - e.loaded) / bytesPerSecond : null, phase: "uploading" });
        };
        xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new TransferError(`Stream refused the upload (${xhr.status}).`, xhr.status >= 500)));
        xhr.onerror = xhr.ontimeout = () => reject(new TransferError("The connection dropped.", true));
        xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
        s.signal.addEventListener("abort", () => xhr.abort(), { once: true });
        xhr.send(form);
      });
      return;
    } catch (error) {
      if (!(error instanceof TransferError) || !error.retry || attempt >= 20) throw error;
      s.onProgress({ sent: 0, total: s.file.size, bytesPerSecond: null, secondsLeft: null, phase: "waiting" });
      await backoff(attempt);
      s.signal.throwIfAborted();
    }
  }
}

/** tus (https://tus.io/protocols/resumable-upload): resumes from the offset Stream has after a drop. Loaded only when needed. */
async function tusToStream(url: string, s: LectureSend): Promise<void> {
  const { Upload } = await import("tus-js-client");
  const meter = new RateMeter();
  await new Promise<void>((resolve, reject) => {
    const upload = new Upload(s.file, {
      uploadUrl: url,
      // Stream takes chunks that are multiples of 256 KiB, at least 5 MB (https://developers.cloudflare.com/stream/uploading-videos/resumable-uploads/).
      chunkSize: 50 * 1024 * 1024,
      retryDelays: [0, 1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000, 15000],
      onProgress: (sent, total) => {
        const bytesPerSecond = meter.sample(sent);
        s.onProgress({ sent, total, bytesPerSecond, secondsLeft: bytesPerSecond ? (total - sent) / bytesPerSecond : null, phase: "uploading" });
      },
      onSuccess: () => resolve(),
      onError: (error) => reject(new TransferError(error.message, false)),
    });
    s.signal.addEventListener("abort", () => void upload.abort().then(() => reject(new DOMException("The upload was cancelled.", "AbortError"))), { once: true });
    upload.start();
  });
}
