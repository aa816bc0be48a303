/** Sign-in and sign-up pages: errors beside the fields, then back to where you were going. */
import { Show } from "solid-js";
import { LIMITS } from "../../../protocol";
import { Field, FormAlert, createFormState } from "../ui/Field";
import { signIn, signUp } from "../lib/api";
import { navigate, nextPath } from "../lib/router";
import { setUser } from "../lib/session";

export function AuthPage(props: { mode: "signin" | "signup" }) {
  const { fields, message, busy, run } = createFormState();
  const signingUp = () => props.mode === "signup";

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (k: string) => String(form.get(k) ?? "");
    await run(async () => {
      const user = signingUp()
        ? await signUp({ name: value("name"), email: value("email"), password: value("password") })
        : await signIn({ email: value("email"), password: value("password") });
      setUser(user);
      navigate(nextPath());
    });
  }

  const other = () => (signingUp() ? "/signin" : "/signup") + location.search;
  return (
    <main class="narrow">
      <form class="card" onSubmit={submit} noValidate>
        <h1>{signingUp() ? "Create your account" : "Sign in"}</h1>
        <Show when={nextPath().startsWith("/enrol/")}>
          <p class="muted">Then you come straight back to join the course.</p>
        </Show>
        <Show when={signingUp()}>
          <Field label="Display name" name="name" error={fields().name} maxLength={LIMITS.maxUsernameChars} required autocomplete="name" />
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
        <FormAlert message={message()} />
        <button type="submit" class="primary" disabled={busy()}>
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
