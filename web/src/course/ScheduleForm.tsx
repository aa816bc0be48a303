/** Staff schedule a class, once or weekly for N weeks, in the course's time zone. */
import { Show, createSignal } from "solid-js";
import { LIMITS } from "../../../protocol";
import { scheduleClass } from "../lib/api";
import { Field, FormAlert, createFormState } from "../ui/Field";
import { COURSE_TEXT } from "./strings";

/** The repeat count a new form starts with: one class, no repeats. */
const ONCE = "1";

export function ScheduleForm(props: { courseId: string; timezone: string; onScheduled: () => void }) {
  const { fields, message, run } = createFormState();
  const [done, setDone] = createSignal("");

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const value = (k: string) => String(form.get(k) ?? "");
    setDone("");
    await run(async () => {
      const { classes } = await scheduleClass(props.courseId, {
        title: value("title"),
        start: value("start"),
        end: value("end"),
        repeatWeeks: Number(value("repeatWeeks") || "1"),
      });
      setDone(COURSE_TEXT.scheduled(classes.length));
      formElement.reset();
      // reset() restores each input's value attribute, and Solid sets `value` as a property (no attribute), which left this blank.
      (formElement.elements.namedItem("repeatWeeks") as HTMLInputElement).value = ONCE;
      props.onScheduled();
    });
  }

  return (
    <form class="card" id="schedule-form" onSubmit={submit} noValidate aria-label="Schedule a class">
      <h3>Schedule a class</h3>
      <p class="muted">Times are in {props.timezone}.</p>
      <Field label="Class title" name="title" error={fields().title} maxLength={LIMITS.maxTitleChars} required />
      <div class="row">
        <Field label="Starts" name="start" type="datetime-local" error={fields().start} required />
        <Field label="Ends" name="end" type="datetime-local" error={fields().end} required />
      </div>
      <Field label="Repeat weekly for (weeks)" name="repeatWeeks" type="number" min={1} max={52} value={ONCE} error={fields().repeatWeeks} />
      <FormAlert message={message()} />
      <Show when={done()}>
        <p class="ok" role="status">
          {done()}
        </p>
      </Show>
      <button type="submit">Schedule</button>
    </form>
  );
}
