/**
 * Resumable multipart uploads of course files and lecture videos (R2
 * multipart): start, send parts in any order (again if one failed), ask
 * which parts arrived, then complete or abort. Only the user who started an upload, still on the
 * course's staff, can touch it; for anyone else it does not exist (404).
 * https://developers.cloudflare.com/r2/api/workers/workers-api-reference/#r2multipartupload-definition
 */
import { Hono } from "hono";
import * as z from "zod";
import { FILE_LIMITS } from "../../protocol";
import { Seconds } from "../../protocol/lectures";
import { fileConfig, partCount, partRule } from "../files/limits";
import { beginUpload, describeUpload } from "../files/multipart";
import { normalizeContentType } from "../files/names";
import { finishUpload, getUpload, publicFile, recordPart, reserveRecording, settleRecording, uploadParts, uploadsBy, type StoredFile, type Upload } from "../files/store";
import { getLecture, localVideoReady, publicLecture } from "../lectures/store";
import { newId } from "../lib/secrets";
import { readJson, withExactBody } from "./body";
import { requireUser, type AppContext, type AppEnv } from "./context";
import { STAFF, courseAccess, requireActive, validId } from "./course-access";
import { fail } from "./errors";
import { declaredLength, fileKey, fileName, parseVisibility, requireQuota } from "./files";

/** A lecture's video may say how long it is (a recording knows once it stops). */
export const Completion = z.strictObject({ duration: Seconds.optional() });

export const StartUpload = z.strictObject({
  name: z.string().max(1000),
  size: z.number().int().min(1, "must be at least 1"),
  contentType: z.string().max(200).optional(),
  visibility: z.enum(["members", "staff"]).optional(),
});

/** The caller's own upload in a course they still help run. */
async function ownUpload(c: AppContext, uploadId: string): Promise<{ upload: Upload; userId: string }> {
  requireUser(c);
  const upload = validId(uploadId) ? await getUpload(c.env.DB, uploadId) : null;
  if (!upload) fail(404, "No such upload.");
  const { user, course } = await courseAccess(c, upload.courseId, STAFF).catch(() => fail(404, "No such upload."));
  if (upload.userId !== user.id) fail(404, "No such upload.");
  requireActive(course);
  return { upload, userId: user.id };
}

const resume = (c: AppContext, u: Upload) => c.env.FILES.resumeMultipartUpload(u.r2Key, u.r2UploadId);

/**
 * Ends someone's unfinished uploads in a course, when they leave it or stop
 * being staff: only they could finish or cancel them, and until then they
 * would hold the course's quota.
 */
export async function abandonUploads(env: Env, courseId: string, userId: string): Promise<void> {
  for (const upload of await uploadsBy(env.DB, courseId, userId)) {
    await env.FILES.resumeMultipartUpload(upload.r2Key, upload.r2UploadId)
      .abort()
      .catch((error: unknown) => console.error("uploads: abort failed", upload.id, error));
    await finishUpload(env.DB, upload.id);
  }
}


export const courseUploadRoutes = new Hono<AppEnv>().post("/:courseId/uploads", async (c) => {
  const { course, user } = await courseAccess(c, c.req.param("courseId"), STAFF);
  requireActive(course);
  const body = await readJson(c, StartUpload);
  const name = fileName(body.name);
  const config = fileConfig(c.env);
  if (body.size > config.maxFileBytes) fail(413, `Files may be at most ${config.maxFileBytes} bytes.`);
  await requireQuota(c, course.id, body.size);
  const id = newId();
  const upload = await beginUpload(c.env, {
    id,
    courseId: course.id,
    userId: user.id,
    name,
    size: body.size,
    contentType: normalizeContentType(body.contentType),
    visibility: parseVisibility(body.visibility),
    r2Key: fileKey(course.id, id),
    lectureId: null,
  });
  return c.json(describeUpload(upload, []), 201);
});

export const uploadRoutes = new Hono<AppEnv>()
  .get("/:uploadId", async (c) => {
    const { upload } = await ownUpload(c, c.req.param("uploadId"));
    const parts = await uploadParts(c.env.DB, upload.id);
    return c.json(describeUpload(upload, parts.map((p) => p.partNumber)));
  })
  .put("/:uploadId/parts/:n", async (c) => {
    const { upload } = await ownUpload(c, c.req.param("uploadId"));
    const n = Number(c.req.param("n"));
    const last = c.req.query("last") === "1";
    const rule = partRule(upload, n, last, fileConfig(c.env).maxLectureBytes);
    if (!rule.ok) fail(400, rule.error);
    const length = declaredLength(c, FILE_LIMITS.maxRequestBytes);
    if (length < rule.min || length > rule.max) {
      fail(400, rule.min === rule.max ? `Part ${n} must be exactly ${rule.min} bytes; this one is ${length}.` : `Part ${n} must be ${rule.min} to ${rule.max} bytes; this one is ${length}.`);
    }
    // A recording grows as it goes: each part reserves its room in the course's quota first.
    if (upload.openEnded && !(await reserveRecording(c.env.DB, upload, length, fileConfig(c.env).courseQuotaBytes))) {
      await requireQuota(c, upload.courseId, length); // says how full the course is
      fail(413, "This course's files would pass its quota.");
    }
    // Streamed to R2; recorded only once R2 has confirmed it.
    let part: R2UploadedPart;
    try {
      part = await withExactBody(c, length, (body) => resume(c, upload).uploadPart(n, body));
    } catch (error) {
      if (upload.openEnded) await settleRecording(c.env.DB, upload.id);
      throw error;
    }
    await recordPart(c.env.DB, upload, n, part.etag, length, last);
    return c.json({ partNumber: n, size: length });
  })
  .post("/:uploadId/complete", async (c) => {
    const { upload, userId } = await ownUpload(c, c.req.param("uploadId"));
    const { duration } = await readJson(c, Completion);
    if (upload.openEnded && upload.lastPart === null) fail(409, "Send the last part (with ?last=1) before completing.");
    // A recording's length bounds its code timeline (the teacher's editor shown to students), so it is required,
    // and never longer than the time since the recording began.
    let recordingLength: number | undefined;
    if (upload.openEnded && upload.lectureId) {
      if (duration === undefined) fail(400, "Some fields are invalid.", { duration: "a recording needs its length in seconds" });
      const recordedAt = (await getLecture(c.env.DB, upload.lectureId))?.recordedAt ?? null;
      recordingLength = recordedAt === null ? duration : Math.min(duration, Math.max(0, (Date.now() - recordedAt) / 1000));
    }
    const parts = await uploadParts(c.env.DB, upload.id);
    const have = new Set(parts.map((p) => p.partNumber));
    const count = upload.openEnded ? upload.lastPart! : partCount(upload.size, upload.partSize);
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((n) => !have.has(n));
    if (missing.length) fail(409, `Some parts have not arrived: ${missing.slice(0, 20).join(", ")}${missing.length > 20 ? ", …" : ""}.`);
    const object = await resume(c, upload).complete(parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })));
    if (upload.lectureId) {
      await finishUpload(c.env.DB, upload.id, localVideoReady(c.env.DB, upload.lectureId, upload.size, object.httpEtag, recordingLength ?? duration ?? null, Date.now()));
      const lecture = await getLecture(c.env.DB, upload.lectureId);
      if (!lecture) fail(404, "No such upload.");
      return c.json(publicLecture(lecture), 201);
    }
    const file: StoredFile = {
      id: upload.id,
      courseId: upload.courseId,
      name: upload.name,
      size: upload.size,
      contentType: upload.contentType,
      visibility: upload.visibility,
      etag: object.httpEtag,
      createdAt: Date.now(),
      r2Key: upload.r2Key,
    };
    await finishUpload(c.env.DB, upload.id, { row: file, uploadedBy: userId });
    return c.json(publicFile(file), 201);
  })
  .delete("/:uploadId", async (c) => {
    const { upload } = await ownUpload(c, c.req.param("uploadId"));
    await resume(c, upload).abort();
    await finishUpload(c.env.DB, upload.id);
    return c.body(null, 204);
  });
