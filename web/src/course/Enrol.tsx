/**
 * /enrol/:code — names the course behind an invite link and its instructor,
 * and joins only when asked: joining puts your name and email on the
 * course's roster. Someone already in the course goes straight to it.
 * Signed out, the link offers an account first (InviteWelcome).
 */
import { Show, createResource, createSignal } from "solid-js";
import { enrol, invitation } from "../lib/api";
import { navigate } from "../lib/router";
import { FormAlert, formErrors } from "../ui/Field";
import { Link } from "../ui/Link";
import { user } from "../lib/session";
import { InviteWelcome } from "./InviteWelcome";

export function Enrol(props: { code: string }) {
  return (
    <Show when={user()} fallback={<InviteWelcome code={props.code} />}>
      <Join code={props.code} />
    </Show>
  );
}

function Join(props: { code: string }) {
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [invite] = createResource(
    () => props.code,
    async (code) => {
      try {
        const found = await invitation(code);
        if (found.role) navigate(`/courses/${found.course.id}`);
        return found;
      } catch (e) {
        const { message, fields } = formErrors(e);
        setError(fields.code ? `This invite code ${fields.code}.` : message);
        return null;
      }
    },
  );

  async function join() {
    setBusy(true);
    try {
      const { course } = await enrol(props.code);
      navigate(`/courses/${course.id}`);
    } catch (e) {
      const { message, fields } = formErrors(e);
      setError(fields.code ? `This invite code ${fields.code}.` : message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="narrow">
      <section class="card" aria-label="Invitation">
        <Show when={invite()} fallback={<Show when={error()} fallback={<p>Looking up the invitation…</p>}><h1>Could not enrol</h1></Show>}>
          {(i) => (
            <>
              <h1>Join {i().course.title}</h1>
              <p>
                {i().course.code}
                <Show when={i().instructor}> · taught by {i().instructor}</Show>
              </p>
              <p class="muted small">Joining adds your name and email to the course's roster, which its staff can see.</p>
              <button class="primary" disabled={busy()} onClick={join}>
                Join course
              </button>
            </>
          )}
        </Show>
        <FormAlert message={error()} />
        <p class="links">
          <Link href="/">Back to your courses</Link>
        </p>
      </section>
    </main>
  );
}
