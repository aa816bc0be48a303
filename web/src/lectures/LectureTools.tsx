/**
 * Staff tools on a lecture's page: rename, chapters (added at the video's
 * current time), caption tracks (WebVTT) and deleting. The server refuses
 * all of these to students; the page shows them only to staff.
 */
import { For, Show, createResource, createSignal } from "solid-js";
import type { Chapter, LectureDetail } from "../../../protocol/lectures";
import { getCourse, problemText } from "../lib/api";
import { navigate } from "../lib/router";
import { FormAlert } from "../ui/Field";
import { clock, deleteCaptions, deleteLecture, putCaptions, updateLecture } from "./api";

export function LectureTools(props: { lecture: LectureDetail; video: HTMLVideoElement | undefined; onChange: () => void }) {
  const [course] = createResource(() => props.lecture.courseId, getCourse);
  const staff = () => course() && course()!.role !== "student" && !course()!.course.archived;
  const [error, setError] = createSignal("");
  const [chapterTitle, setChapterTitle] = createSignal("");
  const [lang, setLang] = createSignal("en");
  const [label, setLabel] = createSignal("English");
  let captionFile!: HTMLInputElement;

  const act = async (what: string, fn: () => Promise<unknown>) => {
    setError("");
    try {
      await fn();
      props.onChange();
    } catch (e) {
      setError(problemText(e, `${what} did not work; try again.`));
    }
  };
  const saveChapters = (chapters: Chapter[]) => act("Saving the chapters", () => updateLecture(props.lecture.id, { chapters }));

  return (
    <Show when={staff()}>
      <section class="card stack" aria-label="Lecture settings">
        <h2>For staff</h2>
        <FormAlert message={error()} />
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            const title = new FormData(e.currentTarget).get("title");
            void act("Renaming", () => updateLecture(props.lecture.id, { title: String(title) }));
          }}
        >
          <label class="row">
            Title <input name="title" value={props.lecture.title} maxLength={200} />
          </label>
          <button type="submit">Rename</button>
        </form>

        <h3>Chapters</h3>
        <Show when={props.lecture.chapters.length === 0}>
          <p class="muted">No chapters yet: pause where one starts, name it, and add it.</p>
        </Show>
        <ol class="chapters">
          <For each={props.lecture.chapters}>
            {(c) => (
              <li>
                <span class="muted">{clock(c.at)}</span> {c.title}{" "}
                <button type="button" class="link small danger" aria-label={`Remove chapter ${c.title}`} onClick={() => saveChapters(props.lecture.chapters.filter((x) => x !== c))}>
                  Remove
                </button>
              </li>
            )}
          </For>
        </ol>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            const at = Math.floor(props.video?.currentTime ?? 0);
            const title = chapterTitle().trim();
            if (!title) return setError("Name the chapter first.");
            // A browser recording's length is found by reading to its end: until then the time is not known.
            if (!Number.isFinite(at) || (props.lecture.duration !== null && at > props.lecture.duration)) return setError("The video is still loading: wait a moment, then add the chapter.");
            const same = props.lecture.chapters.find((c) => c.at === at);
            if (same && !confirm(`Replace the chapter "${same.title}" at ${clock(at)}?`)) return;
            void saveChapters([...props.lecture.chapters.filter((c) => c.at !== at), { at, title }]).then(() => setChapterTitle(""));
          }}
        >
          <label class="row">
            Chapter title <input value={chapterTitle()} maxLength={120} onInput={(e) => setChapterTitle(e.currentTarget.value)} />
          </label>
          <button type="submit">Add chapter at the current time</button>
        </form>

        <h3>Captions</h3>
        <ul>
          <For each={props.lecture.captions} fallback={<li class="muted">No captions yet.</li>}>
            {(t) => (
              <li>
                {t.label} ({t.lang}){" "}
                <button type="button" class="link small danger" aria-label={`Remove ${t.label} captions`} onClick={() => act("Removing the captions", () => deleteCaptions(props.lecture.id, t.lang))}>
                  Remove
                </button>
              </li>
            )}
          </For>
        </ul>
        <form
          class="row wrap"
          onSubmit={(e) => {
            e.preventDefault();
            const file = captionFile.files?.[0];
            if (!file) return setError("Choose a WebVTT (.vtt) file.");
            void act("Adding the captions", () => putCaptions(props.lecture.id, lang().trim(), label().trim() || lang().trim(), file)).then(() => (captionFile.value = ""));
          }}
        >
          <label class="row">
            Language <input value={lang()} size={6} onInput={(e) => setLang(e.currentTarget.value)} />
          </label>
          <label class="row">
            Label <input value={label()} maxLength={60} onInput={(e) => setLabel(e.currentTarget.value)} />
          </label>
          <label class="row">
            WebVTT file <input type="file" accept=".vtt,text/vtt" ref={captionFile} />
          </label>
          <button type="submit">Add captions</button>
        </form>

        <button
          type="button"
          class="link danger"
          onClick={() => {
            if (!confirm(`Delete "${props.lecture.title}"? Students can no longer watch it.`)) return;
            void deleteLecture(props.lecture.id).then(
              () => navigate(`/courses/${props.lecture.courseId}`),
              (e: unknown) => setError(problemText(e, "The lecture was not deleted; try again.")),
            );
          }}
        >
          Delete lecture
        </button>
      </section>
    </Show>
  );
}
