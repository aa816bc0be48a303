/** A course's assignments, on its page: title, due time (the student's own, with an extension), a student's own status, and a link. */
import { For, Show, createResource } from "solid-js";
import type { OwnWork } from "../../../protocol";
import { Link } from "../ui/Link";
import { listAssignments } from "./api";
import { HOMEWORK_TEXT } from "./strings";

export function AssignmentList(props: { courseId: string; timezone: string; staff?: boolean }) {
  const [assignments] = createResource(() => props.courseId, listAssignments);
  const due = (at: number) => new Date(at).toLocaleString(undefined, { timeZone: props.timezone, dateStyle: "medium", timeStyle: "short" });
  return (
    <section class="card" aria-label="Assignments">
      <h2>Assignments</h2>
      <ul class="classes">
        <For each={assignments()} fallback={<li class="muted">{props.staff ? "No assignments yet. Create one under New assignment." : "No assignments yet. They appear here when your teacher sets one."}</li>}>
          {(a) => (
            <li class="class-item" data-testid="assignment-item">
              <div>
                <Link href={`/assignments/${a.id}`}>{a.title}</Link>
                <div class="muted">
                  Due {due(a.extension?.dueAt ?? a.dueAt)}
                  <Show when={a.extension}> (your extension)</Show> · {HOMEWORK_TEXT.points(a.points)}
                  <Show when={a.status === "draft"}> · draft</Show>
                </div>
                <Show when={a.mine !== undefined}>
                  <div class="small" data-testid="own-status">
                    {ownStatus(a.mine ?? null)}
                  </div>
                </Show>
              </div>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}

function ownStatus(mine: OwnWork | null): string {
  if (!mine) return "Not handed in yet";
  const when = new Date(mine.submittedAt).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  const late = mine.late ? " (late)" : "";
  const graded =
    mine.grading === "graded"
      ? ` · autograder ${mine.score} / ${mine.maxScore}`
      : mine.grading === "queued" || mine.grading === "running"
        ? " · grading…"
        : "";
  return `Handed in: version ${mine.version}, ${when}${late}${graded}`;
}
