/**
 * The HTTP side of a resumable upload (docs/api.md § Multipart, resumable),
 * and where a started upload's id is kept so a reload resumes it. Parts go
 * by XMLHttpRequest because fetch still reports no upload progress.
 */
import type { CourseFile, FileVisibility } from "../../../protocol";
import { userKey } from "../lib/identity";
import { user } from "../lib/session";
import { TransferError, type UploadState, type UploadTransport } from "./uploader";
import { FILES_TEXT } from "./strings";
import { statusText } from "../lib/error-text";

interface Described {
  uploadId: string;
  partSize: number;
  parts: number[];
}

/** A failed answer: retried when it is the network or the server's trouble, final when it is about the request. */
async function failure(res: Response): Promise<TransferError> {
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  return new TransferError(body.error ?? `The upload failed. ${statusText(res.status)}`, retryable(res.status));
}

const retryable = (status: number) => status === 0 || status === 408 || status === 429 || status >= 500;

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { "content-type": "application/json", ...init.headers } });
  } catch {
    throw new TransferError(FILES_TEXT.connectionDropped, true);
  }
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

export const uploadState = (d: Described): UploadState => ({ uploadId: d.uploadId, partSize: d.partSize, parts: d.parts });

/** A course file's upload. */
export function httpTransport(courseId: string, file: File, visibility: FileVisibility, signal?: AbortSignal): UploadTransport {
  return partsTransport<CourseFile>(
    async () =>
      uploadState(
        await request<Described>(`/api/courses/${courseId}/uploads`, {
          method: "POST",
          body: JSON.stringify({ name: file.name, size: file.size, contentType: file.type || undefined, visibility }),
        }),
      ),
    signal,
  );
}

/** Any resumable upload (a course file, a lecture's video): `start` opens it, the rest is the same for all. */
export function partsTransport<T>(start: () => Promise<UploadState>, signal?: AbortSignal): UploadTransport<T> {
  return {
    start,
    async status(uploadId) {
      try {
        return uploadState(await request<Described>(`/api/uploads/${uploadId}`));
      } catch (error) {
        if (error instanceof TransferError && !error.retry) return null;
        throw error;
      }
    },
    sendPart: (uploadId, n, body, onBytes) =>
      new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open("PUT", `/api/uploads/${uploadId}/parts/${n}`);
        xhr.upload.onprogress = (e) => onBytes(e.loaded);
        xhr.onload = () => {
          if (xhr.status >= 200 && xhr.status < 300) return resolve();
          let message = `The upload failed. ${statusText(xhr.status)}`;
          try {
            message = (JSON.parse(xhr.responseText) as { error?: string }).error ?? message;
          } catch {
            // Not our JSON (a proxy's page): the status's sentence stands.
          }
          reject(new TransferError(message, retryable(xhr.status)));
        };
        xhr.onerror = xhr.ontimeout = () => reject(new TransferError(FILES_TEXT.connectionDropped, true));
        xhr.onabort = () => reject(new DOMException(FILES_TEXT.cancelled, "AbortError"));
        signal?.addEventListener("abort", () => xhr.abort(), { once: true });
        xhr.send(body);
      }),
    complete: (uploadId) => request<T>(`/api/uploads/${uploadId}/complete`, { method: "POST" }),
  };
}

/** Gives up an upload: R2 drops its parts and the course's quota gets their room back. */
export async function abortUpload(uploadId: string): Promise<void> {
  await fetch(`/api/uploads/${uploadId}`, { method: "DELETE" }).catch(() => undefined);
}

/** The same file chosen again in the same course, by the same person, picks up its unfinished upload. */
const resumeKey = (courseId: string, file: File) => userKey(user()!.id, "upload", courseId, file.size, file.lastModified, file.name);

export const pendingUpload = {
  get: (courseId: string, file: File) => localStorage.getItem(resumeKey(courseId, file)),
  set: (courseId: string, file: File, uploadId: string) => localStorage.setItem(resumeKey(courseId, file), uploadId),
  clear: (courseId: string, file: File) => localStorage.removeItem(resumeKey(courseId, file)),
};
