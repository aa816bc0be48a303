/**
 * Staff: every student's latest submission to an assignment, with its
 * autograder score and lateness; open one to read its files line by line
 * and comment on a line (students see comments once grades are released).
 */
import { For, Show, createResource, createSignal } from "solid-js";
import { ApiError, getRoster } from "../lib/api";
import { addComment, getFeedback, getSubmission, listSubmissions } from "./api";

export function SubmissionsTable(props: { assignmentId: string; courseId: string }) {
  const [latest] = createResource(() => props.assignmentId, listSubmissions);
  const [members] = createResource(() => props.courseId, getRoster);
  const [open, setOpen] = createSignal<string | null>(null);
  const nameOf = (userId: string) => members()?.find((m) => m.userId === userId)?.name ?? userId;

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
                <td>{s.late ? `${s.daysLate} day(s), −${s.penaltyPercent}%` : "on time"}</td>
                <td>
                  <button onClick={() => setOpen(open() === s.id ? null : s.id)}>{open() === s.id ? "Close" : "Open"}</button>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={open()} keyed>
        {(id) => <SubmissionReview submissionId={id} />}
      </Show>
    </section>
  );
}

/** One submission's files, numbered; a line's button opens a comment box under it. */
function SubmissionReview(props: { submissionId: string }) {
  const [data] = createResource(() => props.submissionId, getSubmission);
  const [feedback, { refetch }] = createResource(() => props.submissionId, getFeedback);
  const [at, setAt] = createSignal<{ file: string; line: number } | null>(null);
  const [text, setText] = createSignal("");
  const [error, setError] = createSignal("");

  async function send() {
    const where = at();
    if (!where || !text().trim()) return;
    setError("");
    try {
      await addComment(props.submissionId, { ...where, body: text() });
      setText("");
      setAt(null);
      refetch();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The comment was not saved; try again.");
    }
  }

  return (
    <div class="review" aria-label="Submission review">
      <Show when={data()}>
        {(d) => (
          <>
            <p data-testid="review-score">
              Autograder: {d().grading.score ?? "–"} / {d().grading.maxScore ?? "–"}
            </p>
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
                              <div class="comment muted small" data-testid="review-comment">
                                {c.author}: {c.body}
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
            <Show when={error()}>
              <p class="error" role="alert">{error()}</p>
            </Show>
          </>
        )}
      </Show>
    </div>
  );
}
