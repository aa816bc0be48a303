/** A labelled form field with its error shown beside it (from the API's `fields`). */
import { Show, splitProps, type JSX } from "solid-js";

export function Field(
  props: { label: string; name: string; error?: string | undefined; hint?: string } & JSX.InputHTMLAttributes<HTMLInputElement>,
) {
  const [own, input] = splitProps(props, ["label", "name", "error", "hint"]);
  const id = `field-${own.name}`;
  return (
    <label class="field" classList={{ invalid: Boolean(own.error) }}>
      {own.label}
      <input id={id} name={own.name} aria-invalid={own.error ? "true" : undefined} aria-describedby={`${id}-error`} {...input} />
      <Show when={own.hint && !own.error}>
        <small class="muted">{own.hint}</small>
      </Show>
      <Show when={own.error}>
        <small class="error" id={`${id}-error`}>
          {own.error}
        </small>
      </Show>
    </label>
  );
}

/** Runs an API call for a form: clears and collects the error, and field errors by name. */
export function formErrors(error: unknown): { message: string; fields: Record<string, string> } {
  if (error && typeof error === "object" && "fields" in error && "message" in error) {
    return { message: String(error.message), fields: (error as { fields: Record<string, string> }).fields };
  }
  return { message: "Could not reach the server. Check your connection and try again.", fields: {} };
}
