/**
 * What staff do on an assignment's page: its autograder tests (JSON, in the
 * format of docs/grading.md), regrading, releasing grades, and the course's
 * gradebook as CSV.
 */
import { Show, createResource, createSignal } from "solid-js";
import { problemText } from "../lib/api";
import { FormAlert } from "../ui/Field";
import { getTests, putTests, regrade, release } from "./api";
import { HOMEWORK_TEXT } from "./strings";

export function StaffPanel(props: { assignmentId: string; courseId: string; released: boolean; onReleased: (released: boolean) => void }) {
  const [stored] = createResource(() => props.assignmentId, getTests);
  const [text, setText] = createSignal<string | null>(null);
  const [status, setStatus] = createSignal("");
  const [error, setError] = createSignal("");

  async function act(what: () => Promise<string>) {
    setError("");
    setStatus("");
    try {
      setStatus(await what());
    } catch (e) {
      setError(problemText(e, HOMEWORK_TEXT.failed.generic));
    }
  }

  async function save() {
    let tests: unknown;
    try {
      tests = JSON.parse(text() ?? JSON.stringify(stored()?.tests ?? []));
    } catch {
      return setError("The tests are not valid JSON.");
    }
    await act(async () => `Saved: version ${(await putTests(props.assignmentId, tests)).version}. Regrade everyone to apply them to work already handed in.`);
  }

  return (
    <section class="card" aria-label="Staff">
      <p data-testid="release-state">
        {props.released ? "Grades are released: students see comments and final scores." : "Grades are not released: students see only the autograder's results."}
      </p>
      <h2>Autograder tests</h2>
      <p class="muted small">
        A JSON list in the format of <code>docs/grading.md</code>: input/output and assertion tests, each with points and a hidden flag.
      </p>
      <Show when={stored()}>
        <textarea
          aria-label="Tests (JSON)"
          rows={12}
          spellcheck={false}
          value={text() ?? JSON.stringify(stored()!.tests, null, 2)}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </Show>
      <div class="row">
        <button onClick={save}>Save tests</button>
        <button onClick={() => act(async () => HOMEWORK_TEXT.regrading((await regrade(props.assignmentId)).queued))}>Regrade everyone</button>
        <button
          onClick={() =>
            act(async () => {
              const { released } = await release(props.assignmentId, !props.released);
              props.onReleased(released);
              return released ? "Grades released: students see comments and final scores." : "Grades hidden again: students no longer see comments and final scores.";
            })
          }
        >
          {props.released ? "Hide grades from students" : "Release grades"}
        </button>
        <a class="button" href={`/api/courses/${props.courseId}/gradebook.csv`} download="gradebook.csv">
          Gradebook (CSV)
        </a>
      </div>
      <Show when={status()}>
        <p class="ok" role="status">{status()}</p>
      </Show>
      <FormAlert message={error()} />
    </section>
  );
}
