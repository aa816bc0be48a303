/** Sign-in and sign-up pages: errors beside the fields, then back to where you were going. */
import { Show, createSignal } from "solid-js";
import { Field, formErrors } from "../components/Field";
import { signIn, signUp } from "../lib/api";
import { navigate, nextPath } from "../lib/router";
import { setUser } from "../lib/session";

export function AuthPage(props: { mode: "signin" | "signup" }) {
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [message, setMessage] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const signingUp = () => props.mode === "signup";

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (k: string) => String(form.get(k) ?? "");
    setBusy(true);
    setFields({});
    setMessage("");
    try {
      const user = signingUp()
        ? await signUp({ name: value("name"), email: value("email"), password: value("password") })
        : await signIn({ email: value("email"), password: value("password") });
      setUser(user);
      navigate(nextPath());
    } catch (e) {
      const { message: m, fields: f } = formErrors(e);
      setFields(f);
      setMessage(Object.keys(f).length ? "" : m);
    } finally {
      setBusy(false);
    }
  }

  const other = () => (signingUp() ? "/signin" : "/signup") + location.search;
  return (
    <main class="narrow">
      <form class="card" onSubmit={submit} noValidate>
        <h1>{signingUp() ? "Create your account" : "Sign in"}</h1>
        <Show when={signingUp()}>
          <Field label="Display name" name="name" error={fields().name} maxLength={40} required autocomplete="name" />
        </Show>
        <Field label="Email" name="email" type="email" error={fields().email} required autocomplete="email" />
        <Field
          label="Password"
          name="password"
          type="password"
          error={fields().password}
          required
          autocomplete={signingUp() ? "new-password" : "current-password"}
          hint={signingUp() ? "At least 8 characters." : undefined}
        />
        <Show when={message()}>
          <p class="error" role="alert">
            {message()}
          </p>
        </Show>
        <button type="submit" disabled={busy()}>
          {signingUp() ? "Sign up" : "Sign in"}
        </button>
        <p class="muted">
          {signingUp() ? "Already have an account? " : "New here? "}
          <a
            href={other()}
            onClick={(e) => {
              e.preventDefault();
              navigate(other());
            }}
          >
            {signingUp() ? "Sign in" : "Create an account"}
          </a>
        </p>
      </form>
    </main>
  );
}
