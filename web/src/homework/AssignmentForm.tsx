/**
 * Staff create or edit an assignment: title, description, points, due time
 * in the course's time zone, late policy, handouts and starter code, draft
 * or published.
 */
import { For, Show, createResource, createSignal, type Accessor, type Setter } from "solid-js";
import { LIMITS, type AssignmentInfo, type CourseFile, type LatePolicy } from "../../../protocol";
import { listCourseFiles } from "../files/api";
import { FileUpload } from "../files/FileUpload";
import { navigate } from "../lib/router";
import { Field, FormAlert, createFormState } from "../ui/Field";
import { createAssignment, updateAssignment, type AssignmentFields } from "./api";

export function AssignmentForm(props: { courseId: string; timezone: string; editing?: AssignmentInfo; onSaved?: (a: AssignmentInfo) => void }) {
  const { fields, message, busy, run } = createFormState();
  const a = props.editing;
  const [policy, setPolicy] = createSignal<LatePolicy["kind"]>(a?.latePolicy.kind ?? "refuse");
  const [handouts, setHandouts] = createSignal<CourseFile[]>([]);
  const [starters, setStarters] = createSignal<CourseFile[]>([]);
  const [saved, setSaved] = createSignal("");
  // Editing: the attached files by name, from the course's list.
  createResource(
    () => (a ? props.courseId : undefined),
    async (courseId) => {
      const files = await listCourseFiles(courseId);
      const pick = (ids: string[]) => ids.map((id) => files.find((f) => f.id === id)).filter((f): f is CourseFile => f !== undefined);
      setHandouts(pick(a!.handoutFiles));
      setStarters(pick(a!.starterFiles));
    },
  );
  const penalty = a?.latePolicy.kind === "penalty" ? a.latePolicy : { percentPerDay: 10, maxPercent: 50 };
  const prefix = a ? `edit-${a.id}-` : "";

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setSaved("");
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (k: string) => String(form.get(prefix + k) ?? "");
    const latePolicy: LatePolicy =
      policy() === "penalty"
        ? { kind: "penalty", percentPerDay: Number(value("percentPerDay") || "10"), maxPercent: Number(value("maxPercent") || "50") }
        : { kind: policy() as "refuse" | "mark" };
    const body: AssignmentFields = {
      title: value("title"),
      description: value("description"),
      points: Number(value("points") || "0"),
      due: value("due"),
      latePolicy,
      status: form.get(prefix + "publish") ? "published" : "draft",
      handoutFiles: handouts().map((f) => f.id),
      starterFiles: starters().map((f) => f.id),
    };
    await run(async () => {
      if (!a) {
        const made = await createAssignment(props.courseId, body);
        navigate(`/assignments/${made.id}`);
        return;
      }
      const changed = await updateAssignment(a.id, body);
      setSaved(changed.status === "published" ? "Saved. Students see it." : "Saved as a draft: students do not see it.");
      props.onSaved?.(changed);
    });
  }

  return (
    <form class="card" onSubmit={submit} noValidate aria-label={a ? "Edit assignment" : "New assignment"}>
      {/* Editing sits under its own "Edit assignment" summary. */}
      <Show when={!a}>
        <h3>New assignment</h3>
      </Show>
      <Field label="Assignment title" name={`${prefix}title`} error={fields().title} maxLength={LIMITS.maxTitleChars} value={a?.title ?? ""} required />
      <label>
        Description (markdown)
        <textarea name={`${prefix}description`} rows={4} maxLength={20_000} value={a?.description ?? ""} />
      </label>
      <div class="row">
        <Field label="Points" name={`${prefix}points`} type="number" min={0} max={10000} value={String(a?.points ?? 10)} error={fields().points} />
        <Field label={`Due (${props.timezone})`} name={`${prefix}due`} type="datetime-local" value={a?.due ?? ""} error={fields().due} required />
      </div>
      <label>
        Late work
        <select value={policy()} onChange={(e) => setPolicy(e.currentTarget.value as LatePolicy["kind"])}>
          <option value="refuse">Not accepted after the due time</option>
          <option value="penalty">Accepted with a penalty per day</option>
          <option value="mark">Accepted and marked late</option>
        </select>
      </label>
      <Show when={policy() === "penalty"}>
        <div class="row">
          <Field label="% off per day" name={`${prefix}percentPerDay`} type="number" min={0} max={100} value={String(penalty.percentPerDay)} error={fields()["latePolicy.percentPerDay"]} />
          <Field label="At most (%)" name={`${prefix}maxPercent`} type="number" min={0} max={100} value={String(penalty.maxPercent)} error={fields()["latePolicy.maxPercent"]} />
        </div>
      </Show>
      <Attached label="Handouts (students download them)" courseId={props.courseId} files={handouts} setFiles={setHandouts} />
      <Attached label="Starter code (staff can hand it out into every editor in a class)" courseId={props.courseId} files={starters} setFiles={setStarters} />
      <Show when={fields().files}>
        <p class="error small">{fields().files}</p>
      </Show>
      <label class="row">
        <input type="checkbox" name={`${prefix}publish`} checked={a?.status === "published"} /> {a ? "Published (students see it)" : "Publish now (students see it)"}
      </label>
      <FormAlert message={message()} />
      <Show when={saved()}>
        <p class="ok" role="status">{saved()}</p>
      </Show>
      <button type="submit" disabled={busy()}>
        {a ? "Save changes" : "Create assignment"}
      </button>
    </form>
  );
}

/** Files uploaded for the assignment, each removable before it is saved. */
function Attached(props: { label: string; courseId: string; files: Accessor<CourseFile[]>; setFiles: Setter<CourseFile[]> }) {
  return (
    <div>
      <FileUpload courseId={props.courseId} label={props.label} multiple onUploaded={(f) => props.setFiles((list) => [...list, f])} />
      <ul class="attached" aria-label={`${props.label}: attached`}>
        <For each={props.files()}>
          {(f) => (
            <li data-testid="attached-file">
              {f.name}{" "}
              <button type="button" class="link small" aria-label={`Remove ${f.name}`} onClick={() => props.setFiles((list) => list.filter((x) => x.id !== f.id))}>
                Remove
              </button>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
