/**
 * Lectures of a course (docs/api.md § Lectures): staff add one with its
 * video's size and type and get back how to send the bytes (to R2 in parts,
 * or straight to Stream); members list the ready ones, play them, and keep
 * their place; staff rename, set chapters and delete. Who is not a member
 * gets 404, and so does a student asking for a lecture that is not ready.
 * Videos and captions: lecture-media.ts.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { CodeTimelinePage, CreatedLecture, LectureDetail } from "../../protocol/lectures";
import { LecturePatch, NewLecture, Position } from "../../protocol/requests";
import { fileConfig } from "../files/limits";
import { normalizeContentType, sanitizeName } from "../files/names";
import {
  captionTracks,
  courseLectures,
  deleteLecture,
  getLecture,
  position,
  publicLecture,
  savePosition,
  setStreamState,
  updateLecture,
  type Lecture,
} from "../lectures/store";
import { videoProvider } from "../lectures/videos";
import { newId } from "../lib/secrets";
import { readJson } from "./body";
import { requireUser, type AppContext, type AppEnv } from "./context";
import { EVERYONE, STAFF, courseAccess, requireActive, requireRole, validId, type CourseAccess } from "./course-access";
import { fail } from "./errors";
import { requireQuota } from "./files";
import { removeCaptions } from "./lecture-media";

/**
 * The lecture and the caller's access to its course. Students reach only
 * ready lectures; for anyone else, and for every lecture of a course they
 * are not in, it does not exist.
 */
export async function lectureAccess(c: AppContext, lectureId: string, allowed = EVERYONE): Promise<{ lecture: Lecture; access: CourseAccess }> {
  requireUser(c);
  const lecture = validId(lectureId) ? await getLecture(c.env.DB, lectureId) : null;
  if (!lecture) fail(404, "No such lecture.");
  // Not a member: the lecture does not exist for them (any other failure is the server's, and stays a 500).
  const access = await courseAccess(c, lecture.courseId, EVERYONE).catch((error: unknown) => {
    if (error instanceof HTTPException) fail(404, "No such lecture.");
    throw error;
  });
  if (access.role === "student" && lecture.state !== "ready") fail(404, "No such lecture.");
  requireRole(access, allowed);
  return { lecture, access };
}

/** Asks the provider about a lecture still processing: Stream's webhook may be late, or never come. */
async function refreshed(c: AppContext, lecture: Lecture): Promise<Lecture> {
  if (lecture.state !== "processing") return lecture;
  const report = await videoProvider(c.env, lecture.provider)
    .refresh(lecture)
    .catch((error: unknown) => {
      console.error("lectures: refresh failed", lecture.id, error);
      return null;
    });
  if (!report || report.state === "processing") return lecture;
  await setStreamState(c.env.DB, lecture.id, report, Date.now());
  return (await getLecture(c.env.DB, lecture.id)) ?? lecture;
}

async function detail(c: AppContext, lecture: Lecture, userId: string): Promise<LectureDetail> {
  const tracks = await captionTracks(c.env.DB, lecture.id);
  return {
    ...publicLecture(lecture),
    chapters: lecture.chapters,
    captions: tracks.map((t) => ({ lang: t.lang, label: t.label, src: `/api/lectures/${lecture.id}/captions/${t.lang}` })),
    position: await position(c.env.DB, lecture.id, userId),
    playback: lecture.state === "ready" ? await videoProvider(c.env, lecture.provider).playback(lecture) : null,
  };
}

export const courseLectureRoutes = new Hono<AppEnv>()
  .get("/:courseId/lectures", async (c) => {
    const { course, role } = await courseAccess(c, c.req.param("courseId"), EVERYONE);
    const lectures = await courseLectures(c.env.DB, course.id, role !== "student");
    return c.json({ lectures: lectures.map(publicLecture) });
  })
  .post("/:courseId/lectures", async (c) => {
    const { course, user } = await courseAccess(c, c.req.param("courseId"), STAFF);
    requireActive(course);
    const body = await readJson(c, NewLecture);
    const name = sanitizeName(body.name);
    if (!name) fail(400, "Some fields are invalid.", { name: "must be a file name" });
    const contentType = normalizeContentType(body.contentType);
    if (!contentType.startsWith("video/")) fail(415, "A lecture must be a video file (MP4 or WebM plays everywhere).");
    const provider = videoProvider(c.env);
    const { maxLectureBytes } = fileConfig(c.env);
    if (body.size > maxLectureBytes) fail(413, `Lecture videos may be at most ${maxLectureBytes} bytes.`);
    // Stream bills its own storage; R2's bytes count against the course's quota.
    if (provider.kind === "local") await requireQuota(c, course.id, body.size);
    const id = newId();
    const upload = await provider.createUpload(
      { id, courseId: course.id, title: body.title, duration: body.duration ?? null, classId: null, roomId: null, recordedAt: null, createdBy: user.id },
      { name, size: body.size, contentType },
    );
    const lecture = await getLecture(c.env.DB, id);
    if (!lecture) fail(500, "The lecture was not stored.");
    return c.json({ lecture: publicLecture(lecture), upload } satisfies CreatedLecture, 201);
  });

export const lectureRoutes = new Hono<AppEnv>()
  .get("/:lectureId", async (c) => {
    const { lecture, access } = await lectureAccess(c, c.req.param("lectureId"));
    return c.json(await detail(c, access.role === "student" ? lecture : await refreshed(c, lecture), access.user.id));
  })
  .patch("/:lectureId", async (c) => {
    const { lecture, access } = await lectureAccess(c, c.req.param("lectureId"), STAFF);
    requireActive(access.course);
    const body = await readJson(c, LecturePatch, 64 * 1024);
    const chapters = body.chapters?.toSorted((a, b) => a.at - b.at);
    await updateLecture(c.env.DB, lecture.id, { title: body.title, chapters }, Date.now());
    return c.json(await detail(c, (await getLecture(c.env.DB, lecture.id))!, access.user.id));
  })
  .post("/:lectureId/uploaded", async (c) => {
    // Stream: the browser has sent the last byte; Stream now encodes it.
    const { lecture, access } = await lectureAccess(c, c.req.param("lectureId"), STAFF);
    requireActive(access.course);
    if (lecture.provider !== "stream") fail(409, "This lecture's upload completes through its upload (POST /api/uploads/:id/complete).");
    if (lecture.state === "uploading") {
      const report = await videoProvider(c.env, lecture.provider).refresh(lecture);
      if (!report) fail(409, "Stream has not received the whole video yet.");
      await setStreamState(c.env.DB, lecture.id, report, Date.now());
    }
    return c.json(await detail(c, (await getLecture(c.env.DB, lecture.id))!, access.user.id));
  })
  .put("/:lectureId/position", async (c) => {
    const { lecture, access } = await lectureAccess(c, c.req.param("lectureId"));
    const { position: seconds } = await readJson(c, Position, 1024);
    await savePosition(c.env.DB, lecture.id, access.user.id, lecture.duration === null ? seconds : Math.min(seconds, lecture.duration), Date.now());
    return c.body(null, 204);
  })
  .get("/:lectureId/code", async (c) => {
    // The teacher's editor over a class recording: its log, from the start, up to the video's end.
    const { lecture } = await lectureAccess(c, c.req.param("lectureId"));
    if (!lecture.roomId || lecture.recordedAt === null) fail(404, "This lecture has no code timeline.");
    const after = Number(c.req.query("after") ?? "0");
    if (!Number.isSafeInteger(after) || after < 0) fail(400, "after must be a version: a whole number, 0 or more.");
    // A recording is ready only with its length (uploads.ts requires it), so the timeline ends with the video.
    const until = lecture.recordedAt + (lecture.duration ?? 0) * 1000;
    const page = await c.env.ROOM.getByName(lecture.roomId).codeLog("teacher", after, lecture.recordedAt, until);
    return c.json({ recordedAt: lecture.recordedAt, ...page } satisfies CodeTimelinePage);
  })
  .delete("/:lectureId", async (c) => {
    const { lecture, access } = await lectureAccess(c, c.req.param("lectureId"), STAFF);
    requireActive(access.course);
    await videoProvider(c.env, lecture.provider).removeVideo(lecture);
    await removeCaptions(c.env, lecture);
    await deleteLecture(c.env.DB, lecture.id);
    return c.body(null, 204);
  });
