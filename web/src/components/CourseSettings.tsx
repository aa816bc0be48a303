/** The instructor edits a course's title, code, description and time zone. */
import { For, Show, createSignal } from "solid-js";
import { updateCourse, type Course } from "../lib/api";
import { timeZones } from "../pages/NewCourse";
import { Field, formErrors } from "./Field";

export function CourseSettings(props: { course: Course; onSaved: () => void }) {
  const [open, setOpen] = createSignal(false);
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [message, setMessage] = createSignal("");

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (k: string) => String(form.get(k) ?? "");
    setFields({});
    setMessage("");
    try {
      await updateCourse(props.course.id, {
        title: value("title"),
        code: value("code"),
        description: value("description"),
        timezone: value("timezone"),
      });
      setOpen(false);
      props.onSaved();
    } catch (e) {
      const { message: m, fields: f } = formErrors(e);
      setFields(f);
      setMessage(Object.keys(f).length ? "" : m);
    }
  }

  return (
    <Show when={open()} fallback={<button onClick={() => setOpen(true)}>Edit course</button>}>
      <form class="card" onSubmit={submit} noValidate aria-label="Edit course">
        <h3>Edit course</h3>
        <Field label="Title" name="title" value={props.course.title} error={fields().title} maxLength={120} required />
        <Field label="Course code" name="code" value={props.course.code} error={fields().code} maxLength={20} required />
        <label class="field" classList={{ invalid: Boolean(fields().description) }}>
          Description
          <textarea name="description" rows={3} maxLength={2000}>
            {props.course.description}
          </textarea>
          <Show when={fields().description}>
            <small class="error">{fields().description}</small>
          </Show>
        </label>
        <label class="field" classList={{ invalid: Boolean(fields().timezone) }}>
          Time zone
          <select name="timezone" value={props.course.timezone}>
            <For each={timeZones()}>{(tz) => <option value={tz}>{tz}</option>}</For>
          </select>
          <Show when={fields().timezone}>
            <small class="error">{fields().timezone}</small>
          </Show>
        </label>
        <Show when={message()}>
          <p class="error" role="alert">
            {message()}
          </p>
        </Show>
        <div class="row">
          <button type="submit">Save</button>
          <button type="button" class="link" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      </form>
    </Show>
  );
}
