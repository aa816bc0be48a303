/**
 * Course files: upload in one request (streamed to R2), list, download with
 * ranges and ETags, delete. Multipart uploads: uploads.ts. Members of the
 * file's course only, and files marked `staff` for staff only; everyone
 * else gets 404, as if the file did not exist.
 */
import { Hono } from "hono";
import { FILE_LIMITS, type FileVisibility } from "../../protocol";
import { membership } from "../courses/store";
import { fileConfig } from "../files/limits";
import { normalizeContentType, sanitizeName } from "../files/names";
import { serveObject } from "../files/serve";
import { courseFiles, courseUsage, deleteFile, getFile, insertFile, publicFile, studentsMayRead, type StoredFile } from "../files/store";
import { newId } from "../lib/secrets";
import { withExactBody } from "./body";
import { requireUser, type AppContext, type AppEnv } from "./context";
import { EVERYONE, STAFF, courseAccess, requireActive, validId } from "./course-access";
import { fail } from "./errors";

export const fileKey = (courseId: string, fileId: string) => `courses/${courseId}/files/${fileId}`;

export function parseVisibility(raw: unknown): FileVisibility {
  if (raw === undefined || raw === null || raw === "" || raw === "members") return "members";
  if (raw === "staff") return "staff";
  fail(400, 'visibility must be "members" or "staff".');
}

export function fileName(raw: unknown): string {
  const name = typeof raw === "string" ? sanitizeName(raw) : null;
  if (!name) fail(400, "The file name must be 1-200 characters, not only dots, after path separators and control characters are removed.");
  return name;
}

/** The body's declared length: required, because R2 stores a stream only when its length is known. */
export function declaredLength(c: AppContext, max: number): number {
  const header = c.req.header("content-length");
  if (header === undefined || !/^\d+$/.test(header)) fail(411, "Send the body with a Content-Length.");
  const length = Number(header);
  if (length > max) fail(413, `The body is larger than ${max} bytes.`);
  return length;
}

/** Refuses `bytes` more when the course's files and uploads in progress would pass its quota. */
export async function requireQuota(c: AppContext, courseId: string, bytes: number): Promise<void> {
  const { courseQuotaBytes } = fileConfig(c.env);
  const used = await courseUsage(c.env.DB, courseId);
  if (used + bytes > courseQuotaBytes) {
    fail(413, `This course's files would pass its quota of ${courseQuotaBytes} bytes (${used} used).`);
  }
}

/** The file, if this user may read it; 404 otherwise (never 403: ids reveal nothing). */
async function readableFile(c: AppContext, fileId: string): Promise<{ file: StoredFile }> {
  const user = requireUser(c);
  const file = validId(fileId) ? await getFile(c.env.DB, fileId) : null;
  const role = file ? await membership(c.env.DB, file.courseId, user.id) : null;
  if (!file || !role || (role === "student" && !(await studentsMayRead(c.env.DB, file.id)))) fail(404, "No such file.");
  return { file };
}

export const courseFileRoutes = new Hono<AppEnv>()
  .get("/:courseId/files", async (c) => {
    const { course, role } = await courseAccess(c, c.req.param("courseId"), EVERYONE);
    const files = await courseFiles(c.env.DB, course.id, role !== "student");
    return c.json({ files: files.map(publicFile) });
  })
  .post("/:courseId/files", async (c) => {
    const { course, user } = await courseAccess(c, c.req.param("courseId"), STAFF);
    requireActive(course);
    const name = fileName(c.req.query("name"));
    const visibility = parseVisibility(c.req.query("visibility"));
    const contentType = normalizeContentType(c.req.header("content-type"));
    const size = declaredLength(c, Math.min(FILE_LIMITS.maxRequestBytes, fileConfig(c.env).maxFileBytes));
    await requireQuota(c, course.id, size);
    const id = newId();
    const r2Key = fileKey(course.id, id);
    // Streamed: the Worker never holds the whole file in memory.
    const stored = await withExactBody(c, size, (body) => c.env.FILES.put(r2Key, body, { httpMetadata: { contentType } }));
    const file: StoredFile = { id, courseId: course.id, name, size, contentType, visibility, etag: stored.httpEtag, createdAt: Date.now(), r2Key };
    await insertFile(c.env.DB, file, user.id);
    return c.json(publicFile(file), 201);
  });

export const fileRoutes = new Hono<AppEnv>()
  .get("/:fileId", async (c) => {
    const { file } = await readableFile(c, c.req.param("fileId"));
    return serveObject(c, c.env.FILES, file, "No such file.");
  })
  .delete("/:fileId", async (c) => {
    const { file } = await readableFile(c, c.req.param("fileId"));
    const { course } = await courseAccess(c, file.courseId, STAFF);
    requireActive(course);
    await deleteFile(c.env.DB, file.id);
    await c.env.FILES.delete(file.r2Key);
    return c.body(null, 204);
  });
