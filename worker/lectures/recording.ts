/**
 * A class's recording: a lecture of the course, filled as the class goes by
 * an open-ended upload the teacher's browser sends its MediaRecorder output
 * to, part by part. Stream records RTMPS and SRT inputs only, never WebRTC
 * (https://developers.cloudflare.com/stream/webrtc-beta/), so the recording
 * is the browser's on both providers, and is kept in R2.
 */
import { beginUpload } from "../files/multipart";
import { fileConfig } from "../files/limits";
import { courseUsage } from "../files/store";
import { getCourse } from "../courses/store";
import { newId } from "../lib/secrets";
import { deleteLecture, getLecture, lectureInsert } from "./store";
import { lectureKey, videoProvider } from "./videos";

export interface RecordingStart {
  courseId: string;
  classId: string;
  roomId: string;
  title: string;
  userId: string;
  /** Unix ms at the recording's first frame: the code timeline's zero. */
  recordedAt: number;
}

export type Recording = { lectureId: string; uploadId: string; partSize: number; recordedAt: number };

/** Opens the recording's lecture and upload; null, with why, when the course has no room left for even one part. */
export async function startRecording(env: Env, r: RecordingStart): Promise<{ recording: Recording } | { recording: null; problem: string }> {
  const course = await getCourse(env.DB, r.courseId);
  if (!course || course.archivedAt !== null) return { recording: null, problem: "Not recording: this course is archived, so nothing new can be added to it." };
  const config = fileConfig(env);
  const used = await courseUsage(env.DB, r.courseId);
  if (used + config.partBytes > config.courseQuotaBytes) {
    return { recording: null, problem: "Not recording: this course's files have reached its storage quota. Delete some files or lectures to record." };
  }
  const id = newId();
  const r2Key = lectureKey(r.courseId, id);
  await lectureInsert(
    env.DB,
    {
      id,
      courseId: r.courseId,
      title: r.title,
      provider: "local",
      streamUid: null,
      r2Key,
      contentType: "video/webm",
      size: 0,
      state: "uploading",
      duration: null,
      classId: r.classId,
      roomId: r.roomId,
      recordedAt: r.recordedAt,
      createdBy: r.userId,
    },
    Date.now(),
  ).run();
  const upload = await beginUpload(env, {
    courseId: r.courseId,
    userId: r.userId,
    name: `${r.title}.webm`,
    size: 0,
    contentType: "video/webm",
    visibility: "members",
    r2Key,
    lectureId: id,
    openEnded: true,
  });
  return { recording: { lectureId: id, uploadId: upload.id, partSize: upload.partSize, recordedAt: r.recordedAt } };
}

/**
 * Drops a recording nobody will finish: its broadcaster went live again
 * (a reload loses the recorder in the page), so the new broadcast records
 * afresh. The lecture goes, and R2 drops the parts.
 */
export async function abandonRecording(env: Env, recording: Recording): Promise<void> {
  const lecture = await getLecture(env.DB, recording.lectureId);
  if (!lecture || lecture.state !== "uploading") return;
  await videoProvider(env, "local").removeVideo(lecture);
  await deleteLecture(env.DB, lecture.id);
}
