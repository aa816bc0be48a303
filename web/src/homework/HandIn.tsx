/**
 * A student hands in work: files chosen from their computer (listed first,
 * sent only by "Hand in"), or code typed here. Once the due time has passed
 * under a policy that refuses late work, it says so instead of taking input
 * that would be refused.
 */
import { For, Show, createSignal } from "solid-js";
import { SUBMISSION_LIMITS, type AssignmentInfo, type SubmittedFile } from "../../../protocol";
import { formatBytes } from "../files/rate";
import { problemText } from "../lib/api";
import { FormAlert } from "../ui/Field";
import { submitWork } from "./api";
import { takesWork } from "./RoomHomework";
import { HOMEWORK_TEXT } from "./strings";

export function HandIn(props: { assignment: AssignmentInfo; onHandedIn: () => void }) {
  const [chosen, setChosen] = createSignal<File[]>([]);
  const [name, setName] = createSignal("main.js");
  const [code, setCode] = createSignal("");
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  let picker: HTMLInputElement | undefined;

  async function hand(files: () => Promise<SubmittedFile[]>, done: () => void) {
    setError("");
    setBusy(true);
    try {
      await submitWork(props.assignment.id, await files());
      done();
      props.onHandedIn();
    } catch (e) {
      setError(problemText(e, HOMEWORK_TEXT.failed.handIn));
    } finally {
      setBusy(false);
    }
  }

  const handFiles = () =>
    hand(
      () => Promise.all(chosen().map(async (f) => ({ name: f.name, content: await f.text() }))),
      () => {
        setChosen([]);
        if (picker) picker.value = "";
      },
    );

  return (
    <section class="card" aria-label="Hand in">
      <h2>Hand in</h2>
      <Show
        when={takesWork(props.assignment, Date.now())}
        fallback={<p data-testid="hand-in-closed">The due time has passed and this assignment does not take late work.</p>}
      >
        <label>
          Files from your computer
          <input ref={picker} type="file" multiple onChange={(e) => setChosen([...(e.currentTarget.files ?? [])])} disabled={busy()} />
        </label>
        <Show when={chosen().length}>
          <ul class="attached" aria-label="Chosen files">
            <For each={chosen()}>
              {(f) => (
                <li>
                  {f.name} <span class="muted small">{formatBytes(f.size)}</span>
                </li>
              )}
            </For>
          </ul>
          <button class="primary" disabled={busy()} onClick={handFiles}>
            {HOMEWORK_TEXT.handInFiles(chosen().length)}
          </button>
        </Show>
        <p class="muted small">or type it here:</p>
        <label>
          File name
          <input value={name()} onInput={(e) => setName(e.currentTarget.value)} maxLength={200} />
        </label>
        <label>
          Code
          <textarea rows={10} value={code()} onInput={(e) => setCode(e.currentTarget.value)} maxLength={SUBMISSION_LIMITS.maxBytes} spellcheck={false} />
        </label>
        <button class="primary" disabled={busy() || !code().trim()} onClick={() => hand(async () => [{ name: name(), content: code() }], () => {})}>
          Hand in
        </button>
      </Show>
      <FormAlert message={error()} />
    </section>
  );
}
