/** The form to create a course; the creator becomes its instructor. */
import { For, Show, createSignal } from "solid-js";
import { Field, formErrors } from "../components/Field";
import { createCourse } from "../lib/api";
import { navigate } from "../lib/router";

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

export function NewCourse() {
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [message, setMessage] = createSignal("");

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (k: string) => String(form.get(k) ?? "");
    setFields({});
    setMessage("");
    try {
      const { course } = await createCourse({
        title: value("title"),
        code: value("code"),
        description: value("description"),
        timezone: value("timezone"),
      });
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
        <Field label="Title" name="title" error={fields().title} maxLength={120} required placeholder="Programming in JavaScript" />
        <Field label="Course code" name="code" error={fields().code} maxLength={20} required placeholder="CS101" />
        <label class="field" classList={{ invalid: Boolean(fields().description) }}>
          Description
          <textarea name="description" rows={3} maxLength={2000} />
          <Show when={fields().description}>
            <small class="error">{fields().description}</small>
          </Show>
        </label>
        <label class="field" classList={{ invalid: Boolean(fields().timezone) }}>
          Time zone (class times are in this zone)
          <select name="timezone" value={browserTimeZone()}>
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
        <button type="submit">Create course</button>
      </form>
    </main>
  );
}
