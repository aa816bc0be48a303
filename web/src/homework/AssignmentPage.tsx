/**
 * One assignment, for a student: what to do, the handouts, handing in work
 * (files from disk, or typed here), and every version with its grading,
 * which updates by itself while the autograder works, the feedback once
 * grades are released, and what changed between any two versions.
 */
import { For, Show, createResource, createSignal, onCleanup, lazy } from "solid-js";
import { SUBMISSION_LIMITS, type SubmissionInfo, type SubmittedFile } from "../../../protocol";
import { getCourse, problemText } from "../lib/api";
import { FormAlert } from "../ui/Field";
import { fileUrl, listCourseFiles } from "../files/api";
import { Markdown } from "../ui/Markdown";
import { getAssignment, getFeedback, getSubmission, listSubmissions, submitWork, type Grading } from "./api";
import { AssignmentForm } from "./AssignmentForm";
import { Extensions } from "./Extensions";
import { StaffPanel } from "./StaffPanel";
import { SubmissionsTable } from "./SubmissionsTable";

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
  const [name, setName] = createSignal("main.js");
  const [code, setCode] = createSignal("");
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);

  async function hand(files: SubmittedFile[]) {
    setError("");
    setBusy(true);
    try {
      await submitWork(props.assignmentId, files);
      refetch();
    } catch (e) {
      setError(problemText(e, "Could not hand in your work; try again."));
    } finally {
      setBusy(false);
    }
  }

  async function fromDisk(list: FileList | null) {
    if (!list?.length) return;
    const files = await Promise.all([...list].map(async (f) => ({ name: f.name, content: await f.text() })));
    await hand(files);
  }

  return (
    <main class="page">
      <Show when={assignment()} fallback={<p class="muted">{assignment.error ? "This assignment does not exist, or it is not yours." : "Loading…"}</p>}>
        {(a) => (
          <>
            <h1>{a().title}</h1>
            <p class="muted" data-testid="due">
              Due{" "}
              {new Date(a().extension?.dueAt ?? a().dueAt).toLocaleString(undefined, {
                dateStyle: "medium",
                timeStyle: "short",
                ...(course() ? { timeZone: course()!.course.timezone } : {}),
              })}
              <Show when={course()}> ({course()!.course.timezone})</Show>
              <Show when={a().extension}> (your extension)</Show> · {a().points} points ·{" "}
              {a().latePolicy.kind === "refuse"
                ? "late work is not accepted"
                : a().latePolicy.kind === "mark"
                  ? "late work is accepted and marked late"
                  : `late work loses ${(a().latePolicy as { percentPerDay: number }).percentPerDay}% a day`}
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
              <StaffPanel assignmentId={a().id} courseId={a().courseId} />
              <SubmissionsTable assignmentId={a().id} courseId={a().courseId} />
              <details class="card">
                <summary>Edit assignment</summary>
                <AssignmentForm editing={a()} courseId={a().courseId} timezone={course()!.course.timezone} onSaved={setAssignment} />
              </details>
              <Extensions assignmentId={a().id} courseId={a().courseId} timezone={course()!.course.timezone} canChange={!course()!.course.archived} />
            </Show>
            <Show when={student()}>
            <section class="card" aria-label="Hand in">
              <h2>Hand in</h2>
              <label>
                Files from your computer
                <input type="file" multiple onChange={(e) => fromDisk(e.currentTarget.files)} disabled={busy()} />
              </label>
              <p class="muted small">or type it here:</p>
              <label>
                File name
                <input value={name()} onInput={(e) => setName(e.currentTarget.value)} maxLength={200} />
              </label>
              <label>
                Code
                <textarea rows={10} value={code()} onInput={(e) => setCode(e.currentTarget.value)} maxLength={SUBMISSION_LIMITS.maxBytes} spellcheck={false} />
              </label>
              <button class="primary" disabled={busy() || !code().trim()} onClick={() => hand([{ name: name(), content: code() }])}>
                Hand in
              </button>
              <FormAlert message={error()} />
            </section>

            </Show>
            <Show when={student()}>
            <section aria-label="Your versions">
              <h2>Your versions</h2>
              <ol class="versions" reversed>
                <For each={versions()} fallback={<li class="muted">Nothing handed in yet.</li>}>
                  {(v) => (
                    <li data-testid="version">
                      <strong>Version {v.version}</strong> <span class="muted">{new Date(v.submittedAt).toLocaleString()}</span>
                      <Show when={v.late}> <span class="badge">late {v.daysLate} day(s), −{v.penaltyPercent}%</span></Show>
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
  const label = { none: "Not graded automatically.", queued: "Queued for grading…", running: "Grading…", failed: "Grading failed; staff will look at it." };
  return (
    <div class="result">
      <Show when={grading()}>
        {(g) => (
          <Show when={g().status === "graded"} fallback={<p class="muted" data-testid="grading-status">{label[g().status as keyof typeof label]}</p>}>
            <p data-testid="score">
              Autograder: {g().score} / {g().maxScore} points
            </p>
            <ul>
              <For each={g().tests ?? []}>
                {(t) => (
                  <li data-testid="test-result">
                    {t.verdict === "passed" ? "✓" : "✗"} {t.name}: {t.verdict} ({t.points}/{t.maxPoints})
                    <Show when={t.message}>
                      <div class="muted small">{t.message}</div>
                    </Show>
                  </li>
                )}
              </For>
              <Show when={g().hidden?.total}>
                <li data-testid="hidden-result">
                  Hidden tests: {g().hidden!.passed} of {g().hidden!.total} passed ({g().hidden!.points}/{g().hidden!.maxPoints})
                </li>
              </Show>
            </ul>
          </Show>
        )}
      </Show>
      <Show when={feedback()?.released}>
        <p data-testid="final-score">Final score: {feedback()!.finalScore ?? "–"}</p>
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
