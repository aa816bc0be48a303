/** Lectures, their caption tracks and each viewer's position, in D1 (migrations/0009_lectures.sql). */
import type { Chapter, LectureInfo, LectureProvider, LectureState } from "../../protocol/lectures";

export interface Lecture extends LectureInfo {
  streamUid: string | null;
  r2Key: string | null;
  contentType: string;
  size: number;
  etag: string | null;
  error: string | null;
  chapters: Chapter[];
  roomId: string | null;
  /** Unix ms at the video's first frame: the code timeline's zero. */
  recordedAt: number | null;
  createdBy: string;
  updatedAt: number;
}

export interface CaptionRow {
  lang: string;
  label: string;
  r2Key: string;
  size: number;
}

function toLecture(r: Record<string, unknown>): Lecture {
  return {
    id: r.id as string,
    courseId: r.course_id as string,
    title: r.title as string,
    provider: r.provider as LectureProvider,
    state: r.state as LectureState,
    duration: (r.duration as number | null) ?? null,
    classId: (r.class_id as string | null) ?? null,
    hasCode: r.room_id !== null && r.recorded_at !== null,
    createdAt: r.created_at as number,
    streamUid: (r.stream_uid as string | null) ?? null,
    r2Key: (r.r2_key as string | null) ?? null,
    contentType: r.content_type as string,
    size: r.size as number,
    etag: (r.etag as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    chapters: JSON.parse(r.chapters as string) as Chapter[],
    roomId: (r.room_id as string | null) ?? null,
    recordedAt: (r.recorded_at as number | null) ?? null,
    createdBy: r.created_by as string,
    updatedAt: r.updated_at as number,
  };
}

/** What every route answers with: never the storage keys or Stream's uid. */
export const publicLecture = (l: Lecture): LectureInfo => ({
  id: l.id,
  courseId: l.courseId,
  title: l.title,
  provider: l.provider,
  state: l.state,
  duration: l.duration,
  classId: l.classId,
  hasCode: l.hasCode,
  createdAt: l.createdAt,
});

export type NewLecture = Pick<Lecture, "id" | "courseId" | "title" | "provider" | "streamUid" | "r2Key" | "contentType" | "size" | "state" | "duration" | "classId" | "roomId" | "recordedAt" | "createdBy">;

export function lectureInsert(db: D1Database, l: NewLecture, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO lectures (id, course_id, title, provider, stream_uid, r2_key, content_type, size, state, duration, class_id, room_id, recorded_at, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(l.id, l.courseId, l.title, l.provider, l.streamUid, l.r2Key, l.contentType, l.size, l.state, l.duration, l.classId, l.roomId, l.recordedAt, l.createdBy, now, now);
}

export async function getLecture(db: D1Database, id: string): Promise<Lecture | null> {
  const row = await db.prepare("SELECT * FROM lectures WHERE id = ?").bind(id).first();
  return row ? toLecture(row) : null;
}

export async function lectureByStreamUid(db: D1Database, uid: string): Promise<Lecture | null> {
  const row = await db.prepare("SELECT * FROM lectures WHERE stream_uid = ?").bind(uid).first();
  return row ? toLecture(row) : null;
}

/** A course's lectures, newest first; students see only the ready ones. */
export async function courseLectures(db: D1Database, courseId: string, staff: boolean): Promise<Lecture[]> {
  const { results } = await db
    .prepare(`SELECT * FROM lectures WHERE course_id = ? ${staff ? "" : "AND state = 'ready'"} ORDER BY created_at DESC, id`)
    .bind(courseId)
    .all();
  return results.map(toLecture);
}

/** The statement that makes an uploaded local video ready (run in the upload's own batch). */
export function localVideoReady(db: D1Database, id: string, size: number, etag: string, duration: number | null, now: number): D1PreparedStatement {
  return db
    .prepare("UPDATE lectures SET state = 'ready', size = ?, etag = ?, duration = COALESCE(?, duration), error = NULL, updated_at = ? WHERE id = ? AND state = 'uploading'")
    .bind(size, etag, duration, now, id);
}

/**
 * What Stream reported about a video. A report never takes a lecture back
 * from ready (webhooks may arrive late or twice, in any order).
 */
export async function setStreamState(
  db: D1Database,
  id: string,
  report: { state: "processing" | "ready" | "failed"; duration: number | null; errorReason: string | null },
  now: number,
): Promise<boolean> {
  const { meta } = await db
    .prepare(
      `UPDATE lectures SET state = ?, duration = COALESCE(?, duration), error = ?, updated_at = ?
       WHERE id = ? AND state <> 'ready'`,
    )
    .bind(report.state, report.duration, report.state === "failed" ? (report.errorReason ?? "Stream could not process the video.") : null, now, id)
    .run();
  return meta.changes > 0;
}

export async function updateLecture(db: D1Database, id: string, patch: { title?: string; chapters?: Chapter[]; duration?: number }, now: number): Promise<void> {
  await db
    .prepare("UPDATE lectures SET title = COALESCE(?, title), chapters = COALESCE(?, chapters), duration = COALESCE(?, duration), updated_at = ? WHERE id = ?")
    .bind(patch.title ?? null, patch.chapters ? JSON.stringify(patch.chapters) : null, patch.duration ?? null, now, id)
    .run();
}

export async function deleteLecture(db: D1Database, id: string): Promise<void> {
  await db.prepare("DELETE FROM lectures WHERE id = ?").bind(id).run();
}

export async function captionTracks(db: D1Database, lectureId: string): Promise<CaptionRow[]> {
  const { results } = await db
    .prepare("SELECT lang, label, r2_key, size FROM lecture_captions WHERE lecture_id = ? ORDER BY lang")
    .bind(lectureId)
    .all<{ lang: string; label: string; r2_key: string; size: number }>();
  return results.map((r) => ({ lang: r.lang, label: r.label, r2Key: r.r2_key, size: r.size }));
}

export async function putCaptionTrack(db: D1Database, lectureId: string, track: CaptionRow, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO lecture_captions (lecture_id, lang, label, r2_key, size, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (lecture_id, lang) DO UPDATE SET label = excluded.label, size = excluded.size, created_at = excluded.created_at`,
    )
    .bind(lectureId, track.lang, track.label, track.r2Key, track.size, now)
    .run();
}

export async function deleteCaptionTrack(db: D1Database, lectureId: string, lang: string): Promise<void> {
  await db.prepare("DELETE FROM lecture_captions WHERE lecture_id = ? AND lang = ?").bind(lectureId, lang).run();
}

export async function position(db: D1Database, lectureId: string, userId: string): Promise<number> {
  const row = await db.prepare("SELECT position FROM lecture_positions WHERE lecture_id = ? AND user_id = ?").bind(lectureId, userId).first<{ position: number }>();
  return row?.position ?? 0;
}

export async function savePosition(db: D1Database, lectureId: string, userId: string, seconds: number, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO lecture_positions (lecture_id, user_id, position, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (lecture_id, user_id) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    )
    .bind(lectureId, userId, seconds, now)
    .run();
}
