/** The fields of a course (title, code, description, time zone), for creating and for editing one. */
import { For, Show } from "solid-js";
import { LIMITS } from "../../../protocol";
import { Field } from "../ui/Field";
import { browserTimeZone } from "./course-time";

export function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

export function CourseFields(props: {
  errors: Record<string, string>;
  initial?: { title: string; code: string; description: string; timezone: string };
}) {
  const e = () => props.errors;
  return (
    <>
      <Field label="Title" name="title" value={props.initial?.title ?? ""} error={e().title} maxLength={LIMITS.maxTitleChars} required placeholder="Programming in JavaScript" />
      <Field label="Course code" name="code" value={props.initial?.code ?? ""} error={e().code} maxLength={20} required placeholder="CS101" />
      <label class="field" classList={{ invalid: Boolean(e().description) }}>
        Description
        <textarea name="description" rows={3} maxLength={2000}>
          {props.initial?.description ?? ""}
        </textarea>
        <Show when={e().description}>
          <small class="error">{e().description}</small>
        </Show>
      </label>
      <label class="field" classList={{ invalid: Boolean(e().timezone) }}>
        Time zone (class times are in this zone)
        <select name="timezone" value={props.initial?.timezone ?? browserTimeZone()}>
          <For each={timeZones()}>{(tz) => <option value={tz}>{tz}</option>}</For>
        </select>
        <Show when={e().timezone}>
          <small class="error">{e().timezone}</small>
        </Show>
      </label>
    </>
  );
}

/** Reads the course fields from a submitted form. */
export function readCourseFields(form: HTMLFormElement) {
  const data = new FormData(form);
  const value = (k: string) => String(data.get(k) ?? "");
  return { title: value("title"), code: value("code"), description: value("description"), timezone: value("timezone") };
}
