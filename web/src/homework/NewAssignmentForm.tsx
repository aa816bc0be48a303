/** Staff create an assignment: title, description, points, due time in the course's time zone, late policy, draft or published. */
import { For, Show, createSignal, type Accessor, type Setter } from "solid-js";
import { LIMITS, type CourseFile, type LatePolicy } from "../../../protocol";
import { FileUpload } from "../files/FileUpload";
import { navigate } from "../lib/router";
import { Field, FormAlert, createFormState } from "../ui/Field";
import { createAssignment } from "./api";

export function NewAssignmentForm(props: { courseId: string; timezone: string }) {
  const { fields, message, run } = createFormState();
  const [policy, setPolicy] = createSignal<LatePolicy["kind"]>("refuse");
  const [handouts, setHandouts] = createSignal<CourseFile[]>([]);
  const [starters, setStarters] = createSignal<CourseFile[]>([]);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (k: string) => String(form.get(k) ?? "");
    const latePolicy: LatePolicy =
      policy() === "penalty"
        ? { kind: "penalty", percentPerDay: Number(value("percentPerDay") || "10"), maxPercent: Number(value("maxPercent") || "50") }
        : { kind: policy() as "refuse" | "mark" };
    await run(async () => {
      const made = await createAssignment(props.courseId, {
        title: value("title"),
        description: value("description"),
        points: Number(value("points") || "0"),
        due: value("due"),
        latePolicy,
        status: form.get("publish") ? "published" : "draft",
        handoutFiles: handouts().map((f) => f.id),
        starterFiles: starters().map((f) => f.id),
      });
      navigate(`/assignments/${made.id}`);
    });
  }

  return (
    <form class="card" onSubmit={submit} noValidate aria-label="New assignment">
      <h3>New assignment</h3>
      <Field label="Assignment title" name="title" error={fields().title} maxLength={LIMITS.maxTitleChars} required />
      <label>
        Description (markdown)
        <textarea name="description" rows={4} maxLength={20_000} />
      </label>
      <div class="row">
        <Field label="Points" name="points" type="number" min={0} max={10000} value="10" error={fields().points} />
        <Field label={`Due (${props.timezone})`} name="due" type="datetime-local" error={fields().due} required />
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
          <Field label="% off per day" name="percentPerDay" type="number" min={0} max={100} value="10" error={fields()["latePolicy.percentPerDay"]} />
          <Field label="At most (%)" name="maxPercent" type="number" min={0} max={100} value="50" error={fields()["latePolicy.maxPercent"]} />
        </div>
      </Show>
      <Attached label="Handouts (students download them)" courseId={props.courseId} files={handouts} setFiles={setHandouts} />
      <Attached label="Starter code (staff can hand it out into every editor in a class)" courseId={props.courseId} files={starters} setFiles={setStarters} />
      <Show when={fields().files}>
        <p class="error small">{fields().files}</p>
      </Show>
      <label class="row">
        <input type="checkbox" name="publish" /> Publish now (students see it)
      </label>
      <FormAlert message={message()} />
      <button type="submit">Create assignment</button>
    </form>
  );
}

/** Files uploaded for the new assignment, each removable before it is created. */
function Attached(props: { label: string; courseId: string; files: Accessor<CourseFile[]>; setFiles: Setter<CourseFile[]> }) {
  return (
    <div>
      <FileUpload courseId={props.courseId} label={props.label} multiple onUploaded={(f) => props.setFiles((list) => [...list, f])} />
      <ul class="attached">
        <For each={props.files()}>
          {(f) => (
            <li data-testid="attached-file">
              {f.name}{" "}
              <button type="button" class="link small" onClick={() => props.setFiles((list) => list.filter((x) => x.id !== f.id))}>
                Remove
              </button>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
