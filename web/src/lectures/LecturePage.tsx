/**
 * One lecture: its player for members, and for staff the tools to rename
 * it, set chapters, add captions and delete it. A lecture recorded in a
 * class also shows the teacher's code as it was at each moment.
 */
import { Show, createResource, createSignal } from "solid-js";
import { Link } from "../ui/Link";
import { getLecture } from "./api";
import { CodeBeside } from "./CodeBeside";
import { LectureTools } from "./LectureTools";
import { Player } from "./Player";

export function LecturePage(props: { lectureId: string; staff?: boolean }) {
  const [lecture, { refetch }] = createResource(() => props.lectureId, getLecture);
  const [video, setVideo] = createSignal<HTMLVideoElement>();
  const [time, setTime] = createSignal(0);
  return (
    <main class="lecture">
      <Show when={lecture.error}>
        <p class="error banner" role="alert">
          This lecture does not exist, or you are not in its course.
        </p>
      </Show>
      <Show when={!lecture.error && lecture()}>
        {(l) => (
          <>
            <header class="course-head">
              <p class="muted">
                <Link href={`/courses/${l().courseId}`}>Back to the course</Link>
              </p>
              <h1>{l().title}</h1>
            </header>
            <div classList={{ "lecture-body": true, "with-code": l().hasCode }}>
              <Show when={l().playback} fallback={<p class="muted">This lecture is not ready to play yet ({l().state}).</p>}>
                <Player lecture={l()} onVideo={setVideo} onTime={setTime} />
              </Show>
              <Show when={l().hasCode && l().playback}>
                <CodeBeside lectureId={l().id} time={time()} onCopy={() => video()?.pause()} />
              </Show>
            </div>
            <LectureTools lecture={l()} video={video()} onChange={refetch} />
          </>
        )}
      </Show>
    </main>
  );
}
