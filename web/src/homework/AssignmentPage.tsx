/**
 * One assignment: what to do and its files; for a student, handing in work
 * (HandIn.tsx) and every version with its grading, which updates by itself
 * while the autograder works, the feedback once grades are released, and
 * what changed between any two versions; for staff, their panels.
 */
import { For, Show, createResource, createSignal, onCleanup, lazy } from "solid-js";
import type { SubmissionInfo } from "../../../protocol";
import { fileUrl, listCourseFiles } from "../files/api";
import { getCourse } from "../lib/api";
import { Link } from "../ui/Link";
import { Markdown } from "../ui/Markdown";
import { getAssignment, getFeedback, getSubmission, listSubmissions, type Grading } from "./api";
import { AssignmentForm } from "./AssignmentForm";
import { Extensions } from "./Extensions";
import { GradingResult } from "./GradingResult";
import { HandIn } from "./HandIn";
import { StaffPanel } from "./StaffPanel";
import { SubmissionsTable } from "./SubmissionsTable";
import { HOMEWORK_TEXT } from "./strings";

const VersionDiff = lazy(() => import("./VersionDiff"));

const POLL_MS = 1000;

export function AssignmentPage(props: { assignmentId: string }) {
  const [assignment, { mutate: setAssignment }] = createResource(() => props.assignmentId, getAssignment);
  const [versions, { refetch }] = createResource(() => props.assignmentId, listSubmissions);
  const [course] = createResource(() => assignment()?.courseId, getCourse);
  // Names only label the links: a file missing from the list still downloads by its id.
  const [courseFiles] = createResource(() => assignment()?.courseId, listCourseFiles);
  const fileName = (id: string) => (courseFiles.error ? undefined : courseFiles()?.find((f) => f.id === id)?.name);
  const staff = () => course() !== undefined && course()!.role !== "student";
  const student = () => course()?.role === "student";
  return (
    <main class="page">
      <Show when={assignment()} fallback={<p class="muted">{assignment.error ? "This assignment does not exist, or it is not yours." : "Loading…"}</p>}>
        {(a) => (
          <>
            <p class="small">
              <Link href={`/courses/${a().courseId}`}>← {course()?.course.title ?? "Course"}</Link>
            </p>
            <h1>{a().title}</h1>
            <p class="muted" data-testid="due">
              Due{" "}
              {new Date(a().extension?.dueAt ?? a().dueAt).toLocaleString(undefined, {
                dateStyle: "medium",
                timeStyle: "short",
                ...(course() ? { timeZone: course()!.course.timezone } : {}),
              })}
              <Show when={course()}> ({course()!.course.timezone})</Show>
              <Show when={a().extension}> (your extension)</Show> · {HOMEWORK_TEXT.points(a().points)} ·{" "}
              {a().latePolicy.kind === "refuse"
                ? "late work is not accepted"
                : a().latePolicy.kind === "mark"
                  ? "late work is accepted and marked late"
                  : `late work loses ${(a().latePolicy as { percentPerDay: number }).percentPerDay}% a day, at most ${(a().latePolicy as { maxPercent: number }).maxPercent}%`}
            </p>
            <Markdown text={a().description} />
            <Show when={a().handoutFiles.length + a().starterFiles.length > 0}>
              <h2>Files</h2>
              <ul>
                <For each={[...a().handoutFiles.map((id) => ({ id, kind: "handout" })), ...a().starterFiles.map((id) => ({ id, kind: "starter code" }))]}>
                  {(f) => (
                    <li>
                      <a href={fileUrl(f.id)} target="_blank" rel="noopener">
                        Download {f.kind}
                        <Show when={fileName(f.id)}>: {fileName(f.id)}</Show>
                      </a>
                    </li>
                  )}
                </For>
              </ul>
            </Show>

            <Show when={staff()}>
              <Show when={a().status === "draft"}>
                <p class="notice" data-testid="draft-notice">
                  A draft: students do not see it until you publish it (Edit assignment, below).
                </p>
              </Show>
              <StaffPanel assignmentId={a().id} courseId={a().courseId} released={a().released} onReleased={(released) => setAssignment({ ...a(), released })} />
              <SubmissionsTable assignmentId={a().id} courseId={a().courseId} />
              <details class="card">
                <summary>Edit assignment</summary>
                <AssignmentForm editing={a()} courseId={a().courseId} timezone={course()!.course.timezone} onSaved={setAssignment} />
              </details>
              <Extensions assignmentId={a().id} courseId={a().courseId} timezone={course()!.course.timezone} canChange={!course()!.course.archived} />
            </Show>
            <Show when={student()}>
              <HandIn assignment={a()} onHandedIn={refetch} />
            </Show>
            <Show when={student()}>
            <section aria-label="Your versions">
              <h2>Your versions</h2>
              <ol class="versions" reversed>
                <For each={versions()} fallback={<li class="muted">Nothing handed in yet.</li>}>
                  {(v) => (
                    <li data-testid="version">
                      <strong>Version {v.version}</strong> <span class="muted">{new Date(v.submittedAt).toLocaleString()}</span>
                      <Show when={v.late}> <span class="badge">late {HOMEWORK_TEXT.daysLate(v.daysLate, v.penaltyPercent)}</span></Show>
                      <VersionResult submissionId={v.id} />
                    </li>
                  )}
                </For>
              </ol>
              <Show when={(versions()?.length ?? 0) >= 2}>
                <CompareVersions versions={versions()!} />
              </Show>
            </section>
            </Show>
          </>
        )}
      </Show>
    </main>
  );
}

/**
 * Any two of the student's versions, compared. Until the student picks, it is
 * the one before the latest against the latest, so handing in again moves
 * the comparison along with it.
 */
function CompareVersions(props: { versions: SubmissionInfo[] }) {
  const [fromPick, setFromPick] = createSignal<string>();
  const [toPick, setToPick] = createSignal<string>();
  const listed = (id: string | undefined) => (id !== undefined && props.versions.some((v) => v.id === id) ? id : undefined);
  const fromId = () => listed(fromPick()) ?? props.versions[1]!.id;
  const toId = () => listed(toPick()) ?? props.versions[0]!.id;
  const label = (id: string) => `Version ${props.versions.find((v) => v.id === id)?.version ?? "?"}`;
  // The labels travel with the files: while another pair loads, the old diff stays consistent with its own labels.
  const [pair] = createResource(
    () => (fromId() === toId() ? false : { from: fromId(), to: toId() }),
    async ({ from, to }) => {
      const [a, b] = await Promise.all([getSubmission(from), getSubmission(to)]);
      return { before: a.files, after: b.files, beforeLabel: label(from), afterLabel: label(to) };
    },
  );
  const picker = (name: string, value: () => string, set: (id: string) => void) => (
    <label class="inline">
      {name}
      <select onChange={(e) => set(e.currentTarget.value)}>
        <For each={props.versions}>
          {(v) => (
            <option value={v.id} selected={v.id === value()}>
              Version {v.version}
            </option>
          )}
        </For>
      </select>
    </label>
  );
  return (
    <section class="compare" aria-label="Compare versions">
      <h3>Compare versions</h3>
      <div class="row">
        {picker("From", fromId, setFromPick)}
        {picker("To", toId, setToPick)}
      </div>
      <Show when={fromId() !== toId()} fallback={<p class="muted">Pick two different versions to see what changed.</p>}>
        <Show when={!pair.error && pair()} fallback={<p class={pair.error ? "error" : "muted"}>{pair.error ? "Could not load these versions; try again." : "Loading…"}</p>}>
          {(p) => <VersionDiff before={p().before} after={p().after} beforeLabel={p().beforeLabel} afterLabel={p().afterLabel} />}
        </Show>
      </Show>
    </section>
  );
}

/** One version's grading, polled until the autograder is done; then its feedback, once released. */
function VersionResult(props: { submissionId: string }) {
  const [grading, setGrading] = createSignal<Grading | null>(null);
  const [feedback] = createResource(() => props.submissionId, getFeedback);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    const { grading: g } = await getSubmission(props.submissionId).catch(() => ({ grading: null }));
    setGrading(g);
    if (g && (g.status === "queued" || g.status === "running")) timer = setTimeout(poll, POLL_MS);
  };
  void poll();
  onCleanup(() => clearTimeout(timer));
  return (
    <div class="result">
      <Show when={grading()}>{(g) => <GradingResult grading={g()} />}</Show>
      <Show when={feedback()?.released}>
        <p data-testid="final-score">Final score: {feedback()!.finalScore ?? "–"}</p>
        <Show when={feedback()!.override?.score != null}>
          <p class="small" data-testid="override-reason">
            Set by staff: {feedback()!.override!.reason}
          </p>
        </Show>
        <For each={feedback()!.comments}>
          {(c) => (
            <blockquote data-testid="comment">
              <span class="muted small">
                {c.file}, line {c.line} · {c.author}
              </span>
              <Markdown text={c.body} />
            </blockquote>
          )}
        </For>
      </Show>
    </div>
  );
}
