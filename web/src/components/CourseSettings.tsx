/** The instructor edits a course's title, code, description and time zone. */
import { Show, createSignal } from "solid-js";
import { updateCourse, type Course } from "../lib/api";
import { CourseFields, readCourseFields } from "./CourseFields";
import { formErrors } from "./Field";

export function CourseSettings(props: { course: Course; onSaved: () => void }) {
  const [open, setOpen] = createSignal(false);
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [message, setMessage] = createSignal("");

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setFields({});
    setMessage("");
    try {
      await updateCourse(props.course.id, readCourseFields(event.currentTarget as HTMLFormElement));
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
        <CourseFields errors={fields()} initial={props.course} />
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
