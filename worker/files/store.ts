/** The index of course files and uploads in progress, in D1 (migrations/0002_course_files.sql). */
import type { CourseFile, FileVisibility } from "../../protocol";

export interface StoredFile extends CourseFile {
  r2Key: string;
}

export interface Upload {
  id: string;
  courseId: string;
  userId: string;
  name: string;
  size: number;
  contentType: string;
  visibility: FileVisibility;
  r2Key: string;
  r2UploadId: string;
  partSize: number;
  /** Set when the upload fills a lecture's video (worker/lectures/) instead of a course file. */
  lectureId: string | null;
  /** A recording: its size is what has arrived so far, and `lastPart` is set once the client sends the final part. */
  openEnded: boolean;
  lastPart: number | null;
}

const toFile = (r: Record<string, unknown>): StoredFile => ({
  id: r.id as string,
  courseId: r.course_id as string,
  name: r.name as string,
  size: r.size as number,
  contentType: r.content_type as string,
  visibility: r.visibility as FileVisibility,
  etag: r.etag as string,
  createdAt: r.created_at as number,
  r2Key: r.r2_key as string,
});

const toUpload = (r: Record<string, unknown>): Upload => ({
  id: r.id as string,
  courseId: r.course_id as string,
  userId: r.user_id as string,
  name: r.name as string,
  size: r.size as number,
  contentType: r.content_type as string,
  visibility: r.visibility as FileVisibility,
  r2Key: r.r2_key as string,
  r2UploadId: r.r2_upload_id as string,
  partSize: r.part_size as number,
  lectureId: (r.lecture_id as string | null) ?? null,
  openEnded: r.open_ended === 1,
  lastPart: (r.last_part as number | null) ?? null,
});

/** The file object every route answers with: never the R2 key. */
export const publicFile = ({ r2Key: _key, ...file }: StoredFile): CourseFile => file;

function fileInsert(db: D1Database, f: StoredFile, uploadedBy: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO files (id, course_id, name, size, content_type, visibility, r2_key, etag, uploaded_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(f.id, f.courseId, f.name, f.size, f.contentType, f.visibility, f.r2Key, f.etag, uploadedBy, f.createdAt);
}

export async function insertFile(db: D1Database, f: StoredFile, uploadedBy: string): Promise<void> {
  await fileInsert(db, f, uploadedBy).run();
}

export async function getFile(db: D1Database, id: string): Promise<StoredFile | null> {
  const row = await db.prepare("SELECT * FROM files WHERE id = ?").bind(id).first();
  return row ? toFile(row) : null;
}

/**
 * What students may download: files for members, except those only draft
 * assignments use (a handout is not out before its assignment is).
 */
const FOR_STUDENTS = `visibility = 'members'
  AND (NOT EXISTS (SELECT 1 FROM assignment_files af WHERE af.file_id = files.id)
       OR EXISTS (SELECT 1 FROM assignment_files af JOIN assignments a ON a.id = af.assignment_id
                  WHERE af.file_id = files.id AND a.status = 'published'))`;

export async function courseFiles(db: D1Database, courseId: string, staff: boolean): Promise<StoredFile[]> {
  const { results } = await db
    .prepare(`SELECT * FROM files WHERE course_id = ? ${staff ? "" : `AND ${FOR_STUDENTS}`} ORDER BY created_at, id`)
    .bind(courseId)
    .all();
  return results.map(toFile);
}

export async function studentsMayRead(db: D1Database, fileId: string): Promise<boolean> {
  return (await db.prepare(`SELECT 1 FROM files WHERE id = ? AND ${FOR_STUDENTS}`).bind(fileId).first()) !== null;
}

export async function deleteFile(db: D1Database, id: string): Promise<void> {
  await db.prepare("DELETE FROM files WHERE id = ?").bind(id).run();
}

/**
 * How long an unfinished upload lives: it can be resumed (and holds its room
 * in the course's quota) for a week, then it is gone.
 */
export const UPLOAD_LIFETIME_MS = 7 * 86_400_000;

/**
 * Bytes a course holds in R2: stored files, lecture videos and captions,
 * plus the size of uploads in progress (declared, or received so far for a
 * recording). `?1` is the course, `?2` the oldest upload still alive.
 */
const USAGE_SQL = `(SELECT COALESCE(SUM(size), 0) FROM files WHERE course_id = ?1)
  + (SELECT COALESCE(SUM(size), 0) FROM lectures WHERE course_id = ?1 AND r2_key IS NOT NULL AND state = 'ready')
  + (SELECT COALESCE(SUM(c.size), 0) FROM lecture_captions c JOIN lectures l ON l.id = c.lecture_id WHERE l.course_id = ?1)
  + (SELECT COALESCE(SUM(size), 0) FROM uploads WHERE course_id = ?1 AND created_at > ?2)`;

export async function courseUsage(db: D1Database, courseId: string, now = Date.now()): Promise<number> {
  const row = await db
    .prepare(`SELECT ${USAGE_SQL} AS used`)
    .bind(courseId, now - UPLOAD_LIFETIME_MS)
    .first<{ used: number }>();
  return row?.used ?? 0;
}

/**
 * Reserves `bytes` more for a recording's upload if the course has room:
 * the check and the reservation are one statement, and D1 runs one at a
 * time, so parts sent in parallel cannot all pass the same check. The part
 * then settles the upload's size to what R2 holds (recordPart).
 */
export async function reserveRecording(db: D1Database, upload: Upload, bytes: number, quota: number, now = Date.now()): Promise<boolean> {
  const { meta } = await db
    .prepare(`UPDATE uploads SET size = size + ?3 WHERE id = ?4 AND ${USAGE_SQL} + ?3 <= ?5`)
    .bind(upload.courseId, now - UPLOAD_LIFETIME_MS, bytes, upload.id, quota)
    .run();
  return meta.changes === 1;
}

/** A recording's size back to the bytes its stored parts hold (after a part failed, or was sent again). */
export async function settleRecording(db: D1Database, uploadId: string): Promise<void> {
  await db.prepare("UPDATE uploads SET size = (SELECT COALESCE(SUM(size), 0) FROM upload_parts WHERE upload_id = ?1) WHERE id = ?1").bind(uploadId).run();
}

/** One person's unfinished uploads in a course. */
export async function uploadsBy(db: D1Database, courseId: string, userId: string): Promise<Upload[]> {
  const { results } = await db.prepare("SELECT * FROM uploads WHERE course_id = ? AND user_id = ?").bind(courseId, userId).all();
  return results.map(toUpload);
}

export async function insertUpload(db: D1Database, u: Upload, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO uploads (id, course_id, user_id, name, size, content_type, visibility, r2_key, r2_upload_id, part_size, lecture_id, open_ended, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(u.id, u.courseId, u.userId, u.name, u.size, u.contentType, u.visibility, u.r2Key, u.r2UploadId, u.partSize, u.lectureId, u.openEnded ? 1 : 0, now)
    .run();
}

/** Uploads past their lifetime, oldest first, at most `limit`. */
export async function expiredUploads(db: D1Database, now: number, limit: number): Promise<Upload[]> {
  const { results } = await db
    .prepare("SELECT * FROM uploads WHERE created_at <= ? ORDER BY created_at LIMIT ?")
    .bind(now - UPLOAD_LIFETIME_MS, limit)
    .all();
  return results.map(toUpload);
}

/** An upload still in its lifetime. */
export async function getUpload(db: D1Database, id: string, now = Date.now()): Promise<Upload | null> {
  const row = await db.prepare("SELECT * FROM uploads WHERE id = ? AND created_at > ?").bind(id, now - UPLOAD_LIFETIME_MS).first();
  return row ? toUpload(row) : null;
}

/**
 * Records a part R2 has confirmed. For an open-ended upload it also moves
 * the upload's size to the bytes now held (so the course's quota counts
 * them) and, for the final part, notes which part that is.
 */
export async function recordPart(db: D1Database, upload: Upload, n: number, etag: string, size: number, last = false): Promise<void> {
  const statements = [
    db
      .prepare(
        `INSERT INTO upload_parts (upload_id, part_number, etag, size) VALUES (?, ?, ?, ?)
         ON CONFLICT (upload_id, part_number) DO UPDATE SET etag = excluded.etag, size = excluded.size`,
      )
      .bind(upload.id, n, etag, size),
  ];
  if (upload.openEnded) {
    statements.push(
      db
        .prepare(
          `UPDATE uploads SET size = (SELECT COALESCE(SUM(size), 0) FROM upload_parts WHERE upload_id = ?1),
                              last_part = CASE WHEN ?2 THEN ?3 ELSE last_part END
           WHERE id = ?1`,
        )
        .bind(upload.id, last ? 1 : 0, n),
    );
  }
  await db.batch(statements);
}

export async function uploadParts(db: D1Database, uploadId: string): Promise<{ partNumber: number; etag: string; size: number }[]> {
  const { results } = await db
    .prepare("SELECT part_number, etag, size FROM upload_parts WHERE upload_id = ? ORDER BY part_number")
    .bind(uploadId)
    .all<{ part_number: number; etag: string; size: number }>();
  return results.map((r) => ({ partNumber: r.part_number, etag: r.etag, size: r.size }));
}

/**
 * Removes an upload and its parts, in one batch with what it completed into
 * (`done`: a file's row, or a lecture's update). Without `done` it was
 * aborted or expired, and a lecture it was filling has failed.
 */
export async function finishUpload(db: D1Database, uploadId: string, done?: { row: StoredFile; uploadedBy: string } | D1PreparedStatement): Promise<void> {
  const statements = [
    db.prepare("DELETE FROM upload_parts WHERE upload_id = ?").bind(uploadId),
    db.prepare("DELETE FROM uploads WHERE id = ?").bind(uploadId),
  ];
  if (!done) {
    statements.unshift(
      db
        .prepare(
          `UPDATE lectures SET state = 'failed', error = 'The upload was cancelled or expired.', updated_at = ?
           WHERE id = (SELECT lecture_id FROM uploads WHERE id = ?) AND state = 'uploading'`,
        )
        .bind(Date.now(), uploadId),
    );
  } else {
    statements.unshift("row" in done ? fileInsert(db, done.row, done.uploadedBy) : done);
  }
  await db.batch(statements);
}
