/**
 * Opening a resumable R2 multipart upload and describing it to the client,
 * for course files and lecture videos alike (the routes: http/uploads.ts).
 * https://developers.cloudflare.com/r2/api/workers/workers-api-reference/#r2multipartupload-definition
 */
import { newId } from "../lib/secrets";
import { fileConfig, partCount, partSizeFor } from "./limits";
import { insertUpload, type Upload } from "./store";

/** Starts an upload of `size` bytes into `r2Key` and records it; the caller has checked size and quota. */
export async function beginUpload(env: Env, u: Omit<Upload, "id" | "r2UploadId" | "partSize" | "openEnded" | "lastPart"> & { id?: string; openEnded?: boolean }): Promise<Upload> {
  const multipart = await env.FILES.createMultipartUpload(u.r2Key, { httpMetadata: { contentType: u.contentType } });
  const upload: Upload = {
    ...u,
    id: u.id ?? newId(),
    r2UploadId: multipart.uploadId,
    partSize: partSizeFor(u.size, fileConfig(env).partBytes),
    openEnded: u.openEnded ?? false,
    lastPart: null,
  };
  await insertUpload(env.DB, upload, Date.now());
  return upload;
}

/** The upload as its owner's client sees it: what to send, and which parts have arrived. */
export function describeUpload(u: Upload, parts: number[]) {
  const described = { uploadId: u.id, name: u.name, size: u.size, partSize: u.partSize, partCount: partCount(u.size, u.partSize), parts };
  // An open-ended upload's part count is known once its last part is.
  return u.openEnded ? { ...described, partCount: u.lastPart, openEnded: true } : described;
}
