/** Staff give one student more time on an assignment (a due time of their own, on the course's clock), and take it back. */
import { For, Show, createResource, createSignal } from "solid-js";
import { getRoster, problemText } from "../lib/api";
import { FormAlert } from "../ui/Field";
import { grantExtension, listExtensions, removeExtension } from "./api";
import { HOMEWORK_TEXT } from "./strings";

export function Extensions(props: { assignmentId: string; courseId: string; timezone: string; canChange: boolean }) {
  const [granted, { refetch }] = createResource(() => props.assignmentId, listExtensions);
  const [members] = createResource(() => props.courseId, getRoster);
  const students = () => (members() ?? []).filter((m) => m.role === "student");
  const nameOf = (userId: string) => members()?.find((m) => m.userId === userId)?.name ?? "A former student";
  const [who, setWho] = createSignal("");
  const [due, setDue] = createSignal("");
  const [error, setError] = createSignal("");

  async function act(what: () => Promise<unknown>) {
    setError("");
    try {
      await what();
      refetch();
    } catch (e) {
      setError(problemText(e, HOMEWORK_TEXT.failed.generic));
    }
  }

  return (
    <section class="card" aria-label="Extensions">
      <h2>Extensions</h2>
      <ul class="files">
        <For each={granted()} fallback={<li class="muted">No one has an extension.</li>}>
          {(e) => (
            <li data-testid="extension">
              {nameOf(e.userId)}: due {e.due.replace("T", " ")} ({props.timezone}){" "}
              <Show when={props.canChange}>
                <button class="link small danger" onClick={() => act(() => removeExtension(props.assignmentId, e.userId))}>
                  Remove
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={props.canChange}>
        <form
          class="row"
          aria-label="Give an extension"
          onSubmit={(event) => {
            event.preventDefault();
            void act(() => grantExtension(props.assignmentId, who() || students()[0]!.userId, due()));
          }}
        >
          <label>
            Student
            <select value={who() || students()[0]?.userId || ""} onChange={(e) => setWho(e.currentTarget.value)}>
              <For each={students()}>{(m) => <option value={m.userId}>{m.name}</option>}</For>
            </select>
          </label>
          <label>
            New due time ({props.timezone})
            <input type="datetime-local" value={due()} onInput={(e) => setDue(e.currentTarget.value)} required />
          </label>
          <button type="submit" disabled={!students().length || !due()}>
            Give extension
          </button>
        </form>
      </Show>
      <FormAlert message={error()} />
    </section>
  );
}
