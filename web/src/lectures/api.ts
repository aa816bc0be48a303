/** Lectures (docs/api.md § Lectures), typed. Video bytes go through upload.ts. */
import type * as z from "zod";
import type { Language, RunOutput } from "../../../protocol";
import type { CaptionTrack, CodeTimelinePage, CreatedLecture, LectureDetail, LectureInfo } from "../../../protocol/lectures";
import type { LecturePatch, NewLecture, Position, Program } from "../../../protocol/requests";
import { call } from "../lib/api";

/** Staff get every lecture (uploading, processing, failed too); students the ready ones. */
export const listLectures = (courseId: string) => call<{ lectures: LectureInfo[] }>(`/api/courses/${courseId}/lectures`).then((r) => r.lectures);
export const getLecture = (id: string) => call<LectureDetail>(`/api/lectures/${id}`);
export const createLecture = (courseId: string, body: z.input<typeof NewLecture>) =>
  call<CreatedLecture>(`/api/courses/${courseId}/lectures`, { method: "POST", json: body });
export const updateLecture = (id: string, body: z.input<typeof LecturePatch>) => call<LectureDetail>(`/api/lectures/${id}`, { method: "PATCH", json: body });
export const deleteLecture = (id: string) => call<void>(`/api/lectures/${id}`, { method: "DELETE" });
/** Stream: the browser has sent the last byte. */
export const lectureUploaded = (id: string) => call<LectureDetail>(`/api/lectures/${id}/uploaded`, { method: "POST" });
export const savePosition = (id: string, position: number) => call<void>(`/api/lectures/${id}/position`, { method: "PUT", json: { position } satisfies z.input<typeof Position> });

export async function putCaptions(id: string, lang: string, label: string, file: File): Promise<CaptionTrack> {
  return call<CaptionTrack>(`/api/lectures/${id}/captions/${encodeURIComponent(lang)}?label=${encodeURIComponent(label)}`, {
    method: "PUT",
    body: file,
    headers: { "content-type": "text/vtt" },
  });
}
export const deleteCaptions = (id: string, lang: string) => call<void>(`/api/lectures/${id}/captions/${encodeURIComponent(lang)}`, { method: "DELETE" });

/** "1:02:03" or "2:03", as players show times. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (n: number) => String(n).padStart(2, "0");
  return h ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}
export const codePage = (id: string, after: number) => call<CodeTimelinePage>(`/api/lectures/${id}/code?after=${after}`);
/** Runs code outside a room (the practice editor), within the user's run quota. */
export const runCode = (code: string, language: Language) => call<RunOutput>("/api/run", { method: "POST", json: { code, language } satisfies z.input<typeof Program> });
