/** The form to create a course; the creator becomes its instructor. */
import { CourseFields, readCourseFields } from "./CourseFields";
import { FormAlert, createFormState } from "../ui/Field";
import { createCourse } from "../lib/api";
import { navigate } from "../lib/router";

export function NewCourse() {
  const { fields, message, busy, run } = createFormState();

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    await run(async () => {
      const { course } = await createCourse(readCourseFields(form));
      navigate(`/courses/${course.id}`);
    });
  }

  return (
    <main class="narrow wide">
      <form class="card" onSubmit={submit} noValidate>
        <h1>New course</h1>
        <CourseFields errors={fields()} />
        <FormAlert message={message()} />
        <button type="submit" class="primary" disabled={busy()}>
          Create course
        </button>
      </form>
    </main>
  );
}
