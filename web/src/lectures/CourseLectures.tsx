/**
 * A course's lectures on its page: everyone opens the ready ones; staff see
 * uploads and processing too, and upload a new one (title and video file)
 * with a progress bar that survives a dropped network.
 */
import { For, Show, createResource, createSignal, onCleanup } from "solid-js";
import type { CreatedLecture, LectureInfo, LectureUpload } from "../../../protocol/lectures";
import { UploadRow, type UploadEntry } from "../files/FileUpload";
import type { UploadProgress } from "../files/uploader";
import { problemText } from "../lib/api";
import { userKey } from "../lib/identity";
import { user } from "../lib/session";
import { Link } from "../ui/Link";
import { FormAlert } from "../ui/Field";
import { clock, createLecture, deleteLecture, getLecture, listLectures } from "./api";
import { readDuration, sendLecture } from "./upload";

const STATE_TEXT: Record<LectureInfo["state"], string> = {
  uploading: "Uploading",
  processing: "Processing",
  ready: "Ready",
  failed: "Failed",
};

/** A lecture's unfinished upload, kept per uploader, course and file so a reload resumes it. */
const pendingLecture = {
  key: (courseId: string, file: File) => userKey(user()!.id, "lecture-upload", courseId, file.size, file.lastModified, file.name),
  get(courseId: string, file: File): { lectureId: string; upload: Extract<LectureUpload, { kind: "parts" }> } | null {
    try {
      return JSON.parse(localStorage.getItem(this.key(courseId, file)) ?? "null");
    } catch {
      return null;
    }
  },
  set(courseId: string, file: File, value: { lectureId: string; upload: LectureUpload }) {
    localStorage.setItem(this.key(courseId, file), JSON.stringify(value));
  },
  clear(courseId: string, file: File) {
    localStorage.removeItem(this.key(courseId, file));
  },
};

/** The lecture and upload to carry on with, if this file's upload is unfinished and still on the server. */
async function resumable(courseId: string, file: File): Promise<CreatedLecture | null> {
  const pending = pendingLecture.get(courseId, file);
  if (!pending) return null;
  const lecture = await getLecture(pending.lectureId).catch(() => null);
  if (lecture?.state !== "uploading") {
    pendingLecture.clear(courseId, file);
    return null;
  }
  // The parts already stored are asked for again by the uploader, which sends only the rest.
  return { lecture, upload: pending.upload };
}

/** While a lecture is still processing on Stream, look again this often. */
const REFRESH_MS = 15_000;

export function CourseLectures(props: { courseId: string; staff: boolean; canChange: boolean }) {
  const [lectures, { refetch }] = createResource(() => props.courseId, listLectures);
  const timer = setInterval(() => {
    if (lectures()?.some((l) => l.state === "processing")) refetch();
  }, REFRESH_MS);
  onCleanup(() => clearInterval(timer));

  return (
    <section class="card" aria-label="Lectures">
      <h2>Lectures</h2>
      <ul class="files">
        <For each={lectures()} fallback={<li class="muted">{props.staff ? "No lectures yet. Upload a video below, or record a class by going live." : "No lectures yet."}</li>}>
          {(l) => (
            <li data-testid="lecture">
              <Show when={l.state === "ready" || props.staff} fallback={<span>{l.title}</span>}>
                <Link href={`/lectures/${l.id}`}>{l.title}</Link>
              </Show>{" "}
              <span class="muted small">
                {[
                  new Date(l.createdAt).toLocaleDateString(undefined, { dateStyle: "medium" }),
                  l.duration !== null ? clock(l.duration) : null,
                  l.hasCode ? "with the teacher's code" : null,
                  props.staff || l.state !== "ready" ? STATE_TEXT[l.state] : null,
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </span>
            </li>
          )}
        </For>
      </ul>
      <Show when={props.staff && props.canChange}>
        <LectureUploadForm courseId={props.courseId} onChange={refetch} />
      </Show>
    </section>
  );
}

function LectureUploadForm(props: { courseId: string; onChange: () => void }) {
  const [title, setTitle] = createSignal("");
  const [error, setError] = createSignal("");
  const [entries, setEntries] = createSignal<UploadEntry[]>([]);
  let fileInput!: HTMLInputElement;

  async function start(e: SubmitEvent) {
    e.preventDefault();
    const file = fileInput.files?.[0];
    if (!file) return setError("Choose a video file.");
    setError("");
    const [progress, setProgress] = createSignal<UploadProgress | null>(null);
    const [failure, setFailure] = createSignal("");
    const [done, setDone] = createSignal(false);
    const stop = new AbortController();
    try {
      // The same file chosen again after a reload picks up its unfinished upload.
      const created = (await resumable(props.courseId, file)) ??
        (await createLecture(props.courseId, {
          title: title().trim() || file.name.replace(/\.[^.]+$/, ""),
          name: file.name,
          size: file.size,
          contentType: file.type || "video/mp4",
          duration: await readDuration(file),
        }));
      if (created.upload.kind === "parts") pendingLecture.set(props.courseId, file, { lectureId: created.lecture.id, upload: created.upload });
      setTitle("");
      fileInput.value = "";
      props.onChange();
      const cancel = () => {
        stop.abort();
        setDone(true);
        pendingLecture.clear(props.courseId, file);
        // Nothing is left behind: the lecture goes, and R2 drops the parts.
        void deleteLecture(created.lecture.id).catch(() => undefined).then(props.onChange);
      };
      setEntries((list) => [...list, { key: Date.now(), name: file.name, progress, error: failure, done, cancel }]);
      sendLecture({ lectureId: created.lecture.id, upload: created.upload, file, onProgress: setProgress, signal: stop.signal }).then(
        () => {
          pendingLecture.clear(props.courseId, file);
          setDone(true);
          props.onChange();
        },
        (e: unknown) => {
          if (!stop.signal.aborted) setFailure(e instanceof Error ? e.message : "The upload failed.");
        },
      );
    } catch (e) {
      setError(problemText(e, "The lecture was not created; try again."));
    }
  }

  return (
    <form class="stack" onSubmit={start} aria-label="Upload a lecture">
      <label>
        Lecture title
        <input value={title()} maxLength={200} placeholder="Week 3: recursion" onInput={(e) => setTitle(e.currentTarget.value)} />
      </label>
      <label>
        Video file (MP4 or WebM)
        <input type="file" accept="video/*" ref={fileInput} />
      </label>
      <FormAlert message={error()} />
      <button type="submit">Upload lecture</button>
      <ul class="uploads">
        <For each={entries().filter((x) => !x.done())}>{(entry) => <UploadRow entry={entry} />}</For>
      </ul>
    </form>
  );
}
