/** A course's files: everyone downloads; staff upload (for everyone, or staff only) and delete. */
import { For, Show, createResource, createSignal } from "solid-js";
import type { FileVisibility } from "../../../protocol";
import { problemText } from "../lib/api";
import { FormAlert } from "../ui/Field";
import { deleteCourseFile, fileUrl, listCourseFiles } from "./api";
import { FileUpload } from "./FileUpload";
import { formatBytes } from "./rate";
import { FILES_TEXT } from "./strings";

export function CourseFiles(props: { courseId: string; staff: boolean; canChange: boolean }) {
  const [files, { refetch }] = createResource(() => props.courseId, listCourseFiles);
  const [visibility, setVisibility] = createSignal<FileVisibility>("members");
  const [error, setError] = createSignal("");

  async function remove(id: string, name: string) {
    if (!confirm(`Delete ${name}? Students can no longer download it.`)) return;
    setError("");
    try {
      await deleteCourseFile(id);
      refetch();
    } catch (e) {
      setError(problemText(e, FILES_TEXT.notDeleted));
    }
  }

  return (
    <section class="card" aria-label="Course files">
      <h2>Files</h2>
      <ul class="files">
        <For each={files()} fallback={<li class="muted">{FILES_TEXT.noFiles(props.staff)}</li>}>
          {(f) => (
            <li data-testid="course-file">
              <a href={fileUrl(f.id)} target="_blank" rel="noopener">
                {f.name}
              </a>{" "}
              <span class="muted small">
                {formatBytes(f.size)}
                <Show when={f.visibility === "staff"}> · staff only</Show>
              </span>
              <Show when={props.staff && props.canChange}>
                {" "}
                <button class="link small danger" aria-label={`Delete ${f.name}`} onClick={() => remove(f.id, f.name)}>
                  Delete
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <FormAlert message={error()} />
      <Show when={props.staff && props.canChange}>
        <label class="row small">
          <input type="checkbox" checked={visibility() === "staff"} onChange={(e) => setVisibility(e.currentTarget.checked ? "staff" : "members")} /> Staff
          only (solutions, hidden test data)
        </label>
        <FileUpload courseId={props.courseId} label="Upload files" multiple visibility={visibility()} onUploaded={() => refetch()} />
      </Show>
    </section>
  );
}
