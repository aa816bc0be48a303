/** The instructor edits a course's title, code, description and time zone. */
import { Show, createSignal } from "solid-js";
import { updateCourse, type Course } from "../lib/api";
import { CourseFields, readCourseFields } from "./CourseFields";
import { FormAlert, createFormState } from "../ui/Field";

export function CourseSettings(props: { course: Course; onSaved: () => void }) {
  const [open, setOpen] = createSignal(false);
  const { fields, message, run } = createFormState();

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    await run(async () => {
      await updateCourse(props.course.id, readCourseFields(form));
      setOpen(false);
      props.onSaved();
    });
  }

  return (
    <Show when={open()} fallback={<button onClick={() => setOpen(true)}>Edit course</button>}>
      <form class="card" onSubmit={submit} noValidate aria-label="Edit course">
        <h3>Edit course</h3>
        <CourseFields errors={fields()} initial={props.course} />
        <FormAlert message={message()} />
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
