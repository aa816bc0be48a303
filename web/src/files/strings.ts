/** What course files and uploads say to people: in one place so the wording can be translated. */
import { plural } from "../lib/plural";

export const FILES_TEXT = {
  bytes: (n: number) => plural(n, { one: "byte", other: "bytes" }),
  noFiles: (staff: boolean) => (staff ? "No files yet. Upload handouts, slides or data below." : "No files yet."),
  notDeleted: "The file was not deleted. Try again.",
  uploadFailed: "The upload failed.",
  connectionDropped: "The connection dropped.",
  cancelled: "The upload was cancelled.",
  expired: "The upload was cancelled or has expired. Start it again.",
} as const;
