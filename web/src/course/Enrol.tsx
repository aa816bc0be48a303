/** /enrol/:code — joins the course behind an invite link, then opens it. */
import { Show, createSignal, onMount } from "solid-js";
import { Link } from "../ui/Link";
import { enrol } from "../lib/api";
import { formErrors } from "../ui/Field";
import { navigate } from "../lib/router";

export function Enrol(props: { code: string }) {
  const [error, setError] = createSignal("");
  onMount(async () => {
    try {
      const { course } = await enrol(props.code);
      navigate(`/courses/${course.id}`);
    } catch (e) {
      const { message, fields } = formErrors(e);
      setError(fields.code ? `This invite code ${fields.code}.` : message);
    }
  });
  return (
    <main class="narrow">
      <section class="card">
        <Show when={error()} fallback={<p>Enrolling…</p>}>
          <h1>Could not enrol</h1>
          <p class="error" role="alert">
            {error()}
          </p>
          <Link href="/">Back to your courses</Link>
        </Show>
      </section>
    </main>
  );
}
