/**
 * Homework from inside a class room. Students hand in the code in their
 * editor to an open assignment; staff hand an assignment's starter code out
 * into every student's editor (a teacher share, so each student can undo it).
 */
import { For, Show, createResource, createSignal } from "solid-js";
import { entryFile, type AssignmentInfo } from "../../../protocol";
import { fileUrl, listCourseFiles } from "../files/api";
import { ApiError, problemText } from "../lib/api";
import { FormAlert } from "../ui/Field";
import { Link } from "../ui/Link";
import { listAssignments, submitWork } from "./api";
import { HOMEWORK_TEXT } from "./strings";

/** Still taking work: published, and before the (own) due time unless late work is accepted. */
export function takesWork(a: AssignmentInfo, now: number): boolean {
  return a.status === "published" && (a.latePolicy.kind !== "refuse" || now <= (a.extension?.dueAt ?? a.dueAt));
}

/** The course's assignments that `keep` accepts, the one picked (the first until someone picks), and the picker. */
function createAssignmentChoice(courseId: () => string, keep: (a: AssignmentInfo) => boolean) {
  const [assignments] = createResource(courseId, listAssignments);
  // Work still on time first, soonest due first: the default is the likeliest one.
  const dueOf = (a: AssignmentInfo) => a.extension?.dueAt ?? a.dueAt;
  const choices = () =>
    (assignments() ?? []).filter(keep).sort((x, y) => Number(dueOf(x) < Date.now()) - Number(dueOf(y) < Date.now()) || dueOf(x) - dueOf(y));
  const label = (a: AssignmentInfo) =>
    `${a.title} (${dueOf(a) < Date.now() ? "past due" : `due ${new Date(dueOf(a)).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}`})`;
  const [chosen, setChosen] = createSignal("");
  const target = () => choices().find((a) => a.id === chosen()) ?? choices()[0];
  const Picker = () => (
    <label>
      Assignment
      <select value={target()?.id ?? ""} onChange={(e) => setChosen(e.currentTarget.value)}>
        <For each={choices()}>{(a) => <option value={a.id}>{label(a)}</option>}</For>
      </select>
    </label>
  );
  return { loading: () => assignments.loading, choices, target, Picker };
}

export function StudentHandIn(props: { courseId: string; code: () => string }) {
  const { loading, choices: open, target, Picker } = createAssignmentChoice(() => props.courseId, (a) => takesWork(a, Date.now()));
  const [name, setName] = createSignal("main.js");
  const [busy, setBusy] = createSignal(false);
  const [done, setDone] = createSignal<{ id: string; version: number; at: number } | null>(null);
  const [error, setError] = createSignal("");

  async function hand() {
    const a = target();
    if (!a) return;
    setDone(null);
    if (!props.code().trim()) return setError("Your editor is empty: write your solution first.");
    setBusy(true);
    setError("");
    try {
      const { submission } = await submitWork(a.id, [{ name: name(), content: props.code() }]);
      setDone({ id: a.id, version: submission.version, at: submission.submittedAt });
    } catch (e) {
      setError(problemText(e, HOMEWORK_TEXT.failed.handIn));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="room-homework" aria-label="Hand in from the editor">
      <Show when={open().length} fallback={<p class="muted">{loading() ? "Loading…" : "No assignment is taking work right now."}</p>}>
        <Picker />
        <label>
          As file
          <input value={name()} onInput={(e) => setName(e.currentTarget.value)} maxLength={200} />
        </label>
        <button disabled={busy()} onClick={hand}>
          Submit my code
        </button>
        <Show when={done()}>
          {(d) => (
            <p role="status" data-testid="hand-in-status">
              Handed in as version {d().version} at {new Date(d().at).toLocaleTimeString()}.{" "}
              <Link href={`/assignments/${d().id}`}>See the result</Link>
            </p>
          )}
        </Show>
        <FormAlert message={error()} />
      </Show>
    </div>
  );
}

export function StaffHandOut(props: { courseId: string; handOut: (code: string, title: string) => void }) {
  const { loading, choices: withStarter, target, Picker } = createAssignmentChoice(() => props.courseId, (a) => a.starterFiles.length > 0);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal("");

  async function handOut() {
    const a = target();
    if (!a) return;
    setBusy(true);
    setError("");
    try {
      const files = (await listCourseFiles(props.courseId)).filter((f) => a.starterFiles.includes(f.id));
      const entry = entryFile(files) ?? files[0];
      if (!entry) throw new ApiError(404, HOMEWORK_TEXT.failed.starterGone);
      const res = await fetch(fileUrl(entry.id));
      if (!res.ok) throw new ApiError(res.status, HOMEWORK_TEXT.failed.starter);
      props.handOut(await res.text(), a.title);
    } catch (e) {
      setError(problemText(e, HOMEWORK_TEXT.failed.starter));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="room-homework" aria-label="Hand out starter code">
      <Show when={withStarter().length} fallback={<p class="muted">{loading() ? "Loading…" : "No assignment has starter code. Add it when you create one on the course page."}</p>}>
        <Picker />
        <p class="muted small">Its starter code replaces what is in every student's editor; each student can undo it.</p>
        <button disabled={busy()} onClick={handOut}>
          Hand out starter code
        </button>
        <FormAlert message={error()} />
      </Show>
    </div>
  );
}
