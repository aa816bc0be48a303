/** The form to create a course; the creator becomes its instructor. */
import { Show, createSignal } from "solid-js";
import { CourseFields, readCourseFields } from "../components/CourseFields";
import { formErrors } from "../components/Field";
import { createCourse } from "../lib/api";
import { navigate } from "../lib/router";

export function NewCourse() {
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [message, setMessage] = createSignal("");

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setFields({});
    setMessage("");
    try {
      const { course } = await createCourse(readCourseFields(event.currentTarget as HTMLFormElement));
      navigate(`/courses/${course.id}`);
    } catch (e) {
      const { message: m, fields: f } = formErrors(e);
      setFields(f);
      setMessage(m);
    }
  }

  return (
    <main class="narrow wide">
      <form class="card" onSubmit={submit} noValidate>
        <h1>New course</h1>
        <CourseFields errors={fields()} />
        <Show when={message()}>
          <p class="error" role="alert">
            {message()}
          </p>
        </Show>
        <button type="submit">Create course</button>
      </form>
    </main>
  );
}
