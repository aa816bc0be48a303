/**
 * Staff: every student's latest submission to an assignment, with its
 * autograder score and lateness; open one to read its files line by line
 * and comment on a line (students see comments once grades are released),
 * beside what changed since one of the student's earlier versions.
 */
import { For, Show, createResource, createSignal, lazy } from "solid-js";
import type { SubmissionInfo, SubmittedFile } from "../../../protocol";
import { getRoster, problemText } from "../lib/api";
import { FormAlert } from "../ui/Field";
import { Markdown } from "../ui/Markdown";
import { addComment, getFeedback, getSubmission, listStudentVersions, listSubmissions } from "./api";
import { GradingResult } from "./GradingResult";
import { ScoreOverride } from "./ScoreOverride";
import { HOMEWORK_TEXT } from "./strings";

const VersionDiff = lazy(() => import("./VersionDiff"));

export function SubmissionsTable(props: { assignmentId: string; courseId: string }) {
  const [latest] = createResource(() => props.assignmentId, listSubmissions);
  const [members] = createResource(() => props.courseId, getRoster);
  const [open, setOpen] = createSignal<string | null>(null);
  const nameOf = (userId: string) => members()?.find((m) => m.userId === userId)?.name ?? userId;
  const opened = () => latest()?.find((s) => s.id === open());

  return (
    <section class="card" aria-label="Submissions">
      <h2>Submissions</h2>
      <table>
        <thead>
          <tr>
            <th>Student</th>
            <th>Version</th>
            <th>Handed in</th>
            <th>Late</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <For each={latest()} fallback={<tr><td colSpan={5} class="muted">No submissions yet.</td></tr>}>
            {(s) => (
              <tr data-testid="submission-row">
                <td>{nameOf(s.userId)}</td>
                <td>{s.version}</td>
                <td>{new Date(s.submittedAt).toLocaleString()}</td>
                <td>{s.late ? HOMEWORK_TEXT.daysLate(s.daysLate, s.penaltyPercent) : "on time"}</td>
                <td>
                  <button onClick={() => setOpen(open() === s.id ? null : s.id)}>{open() === s.id ? "Close" : "Open"}</button>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={opened()} keyed>
        {(s) => <SubmissionReview submission={s} />}
      </Show>
    </section>
  );
}

/** One submission's files, numbered, where a line's button opens a comment box under it; beside them, its changes. */
function SubmissionReview(props: { submission: SubmissionInfo }) {
  const submissionId = () => props.submission.id;
  const [data] = createResource(submissionId, getSubmission);
  const [feedback, { refetch }] = createResource(submissionId, getFeedback);
  const [at, setAt] = createSignal<{ file: string; line: number } | null>(null);
  const [text, setText] = createSignal("");
  const [error, setError] = createSignal("");

  async function send() {
    const where = at();
    if (!where || !text().trim()) return;
    setError("");
    try {
      await addComment(submissionId(), { ...where, body: text() });
      setText("");
      setAt(null);
      refetch();
    } catch (e) {
      setError(problemText(e, HOMEWORK_TEXT.failed.comment));
    }
  }

  return (
    <div class="review" aria-label="Submission review">
      <Show when={data()}>
        {(d) => (
          <>
            <GradingResult grading={d().grading} />
            <ScoreOverride submissionId={submissionId()} feedback={feedback()} penaltyPercent={d().submission.penaltyPercent} onChange={refetch} />
            <div class="review-grid">
              <div class="review-files">
                <For each={d().files}>
                  {(f) => (
                    <div>
                      <h3>{f.name}</h3>
                      <ol class="code-lines">
                        <For each={f.content.split("\n")}>
                          {(line, i) => (
                            <li>
                              <button class="link small" aria-label={`Comment on ${f.name} line ${i() + 1}`} onClick={() => setAt({ file: f.name, line: i() + 1 })}>
                                💬
                              </button>{" "}
                              <code>{line}</code>
                              <For each={feedback()?.comments.filter((c) => c.file === f.name && c.line === i() + 1)}>
                                {(c) => (
                                  <div class="comment small" data-testid="review-comment">
                                    <span class="muted">{c.author}:</span> <Markdown text={c.body} />
                                  </div>
                                )}
                              </For>
                              <Show when={at()?.file === f.name && at()?.line === i() + 1}>
                                <div class="row">
                                  <textarea aria-label="Comment" rows={2} value={text()} onInput={(e) => setText(e.currentTarget.value)} maxLength={4000} />
                                  <button onClick={send}>Add comment</button>
                                </div>
                              </Show>
                            </li>
                          )}
                        </For>
                      </ol>
                    </div>
                  )}
                </For>
              </div>
              <ChangesSince submission={props.submission} files={d().files} />
            </div>
            <FormAlert message={error()} />
          </>
        )}
      </Show>
    </div>
  );
}

/**
 * The opened submission against one of the same student's earlier versions:
 * by default the one just before it, the change the student made last.
 */
function ChangesSince(props: { submission: SubmissionInfo; files: SubmittedFile[] }) {
  const [earlier] = createResource(
    () => (props.submission.version > 1 ? props.submission : false),
    (s) => listStudentVersions(s.assignmentId, s.userId).then((list) => list.filter((v) => v.version < s.version)),
  );
  // A resource in error throws when read: each read below checks for the error first.
  const versions = () => (earlier.error ? [] : (earlier() ?? []));
  const [pick, setPick] = createSignal<string>();
  const baseId = () => pick() ?? versions()[0]?.id;
  const [base] = createResource(baseId, async (id) => {
    const { submission, files } = await getSubmission(id);
    return { files, label: `Version ${submission.version}` };
  });
  const failed = () => Boolean(earlier.error || base.error);
  const first = () => props.submission.version === 1 || (earlier.state === "ready" && versions().length === 0);

  return (
    <section class="changes" aria-label="Changes from an earlier version">
      <Show
        when={!first()}
        fallback={<p class="muted" data-testid="no-earlier-version">Version {props.submission.version} is this student's first: there is no earlier version to compare it with.</p>}
      >
        <h3>Changes</h3>
        <label class="inline">
          Compare with
          <select onChange={(e) => setPick(e.currentTarget.value)}>
            <For each={versions()}>
              {(v) => (
                <option value={v.id} selected={v.id === baseId()}>
                  Version {v.version}
                </option>
              )}
            </For>
          </select>
        </label>
        <Show when={!base.error && base()} fallback={<p class={failed() ? "error" : "muted"}>{failed() ? "Could not load the earlier version; try again." : "Loading…"}</p>}>
          {(b) => <VersionDiff before={b().files} after={props.files} beforeLabel={b().label} afterLabel={`Version ${props.submission.version}`} />}
        </Show>
      </Show>
    </section>
  );
}
