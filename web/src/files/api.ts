/** Course files (docs/api.md § Course files), typed. Uploads go through uploader.ts. */
import type { CourseFile } from "../../../protocol";
import { call } from "../lib/api";

/** Students get the files for members; staff get every file. */
export const listCourseFiles = (courseId: string) => call<{ files: CourseFile[] }>(`/api/courses/${courseId}/files`).then((r) => r.files);
export const deleteCourseFile = (fileId: string) => call<void>(`/api/files/${fileId}`, { method: "DELETE" });
export const fileUrl = (fileId: string) => `/api/files/${fileId}`;
