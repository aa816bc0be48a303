/** A labelled form field with its error shown beside it (from the API's `fields`). */
import { Show, createSignal, createUniqueId, splitProps, type JSX } from "solid-js";

export function Field(
  props: { label: string; name: string; error?: string | undefined; hint?: string } & JSX.InputHTMLAttributes<HTMLInputElement>,
) {
  const [own, input] = splitProps(props, ["label", "name", "error", "hint"]);
  // Per instance, not per name: one page can hold two forms with a "title" field (scheduling a class and editing the course, on the course page).
  const id = `field-${own.name}-${createUniqueId()}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  // The hint and the error describe the input; outside its label, they stay out of its name.
  const describedBy = () => [own.hint && !own.error ? hintId : "", own.error ? errorId : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field" classList={{ invalid: Boolean(own.error) }}>
      <label for={id}>{own.label}</label>
      <input id={id} name={own.name} aria-invalid={own.error ? "true" : undefined} aria-describedby={describedBy()} {...input} />
      <Show when={own.hint && !own.error}>
        <small class="muted" id={hintId}>
          {own.hint}
        </small>
      </Show>
      <Show when={own.error}>
        <small class="error" id={errorId}>
          {own.error}
        </small>
      </Show>
    </div>
  );
}

/** Splits a failed API call into field errors by name and a message for the form. */
export function formErrors(error: unknown): { message: string; fields: Record<string, string> } {
  if (error && typeof error === "object" && "fields" in error && "message" in error) {
    return { message: String(error.message), fields: (error as { fields: Record<string, string> }).fields };
  }
  return { message: "Could not reach the server. Check your connection and try again.", fields: {} };
}

/**
 * The state every form here shares: errors beside fields, one message for
 * the form when no field is to blame, and whether a submit is in flight.
 */
export function createFormState() {
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [message, setMessage] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  async function run(action: () => Promise<void>): Promise<void> {
    setBusy(true);
    setFields({});
    setMessage("");
    try {
      await action();
    } catch (e) {
      const { message: m, fields: f } = formErrors(e);
      setFields(f);
      setMessage(Object.keys(f).length ? "" : m);
    } finally {
      setBusy(false);
    }
  }
  return { fields, message, busy, run };
}

/** A form-level error, announced to screen readers. */
export function FormAlert(props: { message: string }) {
  return (
    <Show when={props.message}>
      <p class="error" role="alert">
        {props.message}
      </p>
    </Show>
  );
}
