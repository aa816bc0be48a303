/**
 * Choose files and upload them to a course, each with a progress bar
 * (bytes, speed, time left). A dropped network pauses an upload and it
 * resumes by itself; a reload, then choosing the same file again, resumes
 * it from the parts the server already has.
 */
import { For, Show, createSignal } from "solid-js";
import type { CourseFile, FileVisibility } from "../../../protocol";
import { formatBytes, formatDuration } from "./rate";
import { abortUpload, httpTransport, pendingUpload } from "./transport";
import { uploadInParts, type UploadProgress } from "./uploader";
import { FILES_TEXT } from "./strings";

export interface UploadEntry {
  key: number;
  name: string;
  progress: () => UploadProgress | null;
  error: () => string;
  done: () => boolean;
  cancel: () => void;
}

let nextKey = 0;

export function FileUpload(props: {
  courseId: string;
  label: string;
  visibility?: FileVisibility;
  multiple?: boolean;
  onUploaded: (file: CourseFile) => void;
}) {
  const [entries, setEntries] = createSignal<UploadEntry[]>([]);

  function upload(file: File) {
    const [progress, setProgress] = createSignal<UploadProgress | null>(null);
    const [error, setError] = createSignal("");
    const [done, setDone] = createSignal(false);
    const stop = new AbortController();
    let uploadId: string | null = null;
    const cancel = () => {
      stop.abort();
      pendingUpload.clear(props.courseId, file);
      if (uploadId) void abortUpload(uploadId);
      setDone(true);
    };
    setEntries((list) => [...list, { key: nextKey++, name: file.name, progress, error, done, cancel }]);
    uploadInParts(file, {
      transport: httpTransport(props.courseId, file, props.visibility ?? "members", stop.signal),
      resumeId: pendingUpload.get(props.courseId, file),
      onStarted: (id) => {
        uploadId = id;
        pendingUpload.set(props.courseId, file, id);
      },
      onProgress: setProgress,
      signal: stop.signal,
    }).then(
      (stored) => {
        pendingUpload.clear(props.courseId, file);
        setDone(true);
        props.onUploaded(stored);
      },
      (e: unknown) => {
        if (!stop.signal.aborted) setError(e instanceof Error ? e.message : FILES_TEXT.uploadFailed);
      },
    );
  }

  return (
    <div class="upload">
      <label>
        {props.label}
        <input
          type="file"
          multiple={props.multiple ?? false}
          onChange={(e) => {
            for (const file of e.currentTarget.files ?? []) upload(file);
            e.currentTarget.value = "";
          }}
        />
      </label>
      <ul class="uploads">
        <For each={entries().filter((e) => !e.done())}>{(entry) => <UploadRow entry={entry} />}</For>
      </ul>
    </div>
  );
}

export function UploadRow(props: { entry: UploadEntry }) {
  const p = () => props.entry.progress();
  const text = () => {
    const now = p();
    if (!now) return "Starting…";
    const amount = `${formatBytes(now.sent)} of ${formatBytes(now.total)}`;
    if (now.phase === "waiting") return `${amount} · connection lost, resuming by itself…`;
    if (now.phase === "finishing") return `${amount} · finishing…`;
    const speed = now.bytesPerSecond ? ` · ${formatBytes(now.bytesPerSecond)}/s` : "";
    const left = now.secondsLeft !== null ? ` · ${formatDuration(now.secondsLeft)} left` : "";
    return amount + speed + left;
  };
  return (
    <li data-testid="upload">
      <span>{props.entry.name}</span>
      <progress max={p()?.total ?? 1} value={p()?.sent ?? 0} aria-label={`Uploading ${props.entry.name}`} />
      <button type="button" class="link small" aria-label={`Cancel uploading ${props.entry.name}`} onClick={() => props.entry.cancel()}>
        {props.entry.error() ? "Dismiss" : "Cancel"}
      </button>
      <Show when={props.entry.error()} fallback={<span class="muted small" data-testid="upload-status" role="status">{text()}</span>}>
        <span class="error small" role="alert">
          {props.entry.name} was not uploaded: {props.entry.error()}
        </span>
      </Show>
    </li>
  );
}
