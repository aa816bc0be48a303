/**
 * An invite link opened without an account: which course it leads to and
 * who teaches it (the public lookup, GET /api/invites/:code), then
 * "Create an account" first, and sign-in for those who have one. Either
 * comes straight back to the link, where joining is one button.
 */
import { Match, Show, Switch, createResource } from "solid-js";
import { ApiError, invitePreview } from "../lib/api";
import { Link } from "../ui/Link";

export function InviteWelcome(props: { code: string }) {
  const [preview] = createResource(() => props.code, invitePreview);
  const invalid = () => preview.error instanceof ApiError && preview.error.status === 404;
  const back = () => `?next=${encodeURIComponent(`/enrol/${props.code}`)}`;

  return (
    <main class="narrow">
      <section class="card invite-welcome" aria-label="Invitation">
        <Switch>
          <Match when={preview.loading}>
            <p>Looking up the invitation…</p>
          </Match>
          <Match when={invalid()}>
            <h1>This invite link is not valid</h1>
            <p class="muted">It may have been replaced or turned off. Ask your teacher for the current link.</p>
            <Link href="/">Go to ThirdSpace</Link>
          </Match>
          <Match when={true}>
            <Show
              when={!preview.error && preview()}
              fallback={<p class="muted">We could not look up this invitation just now; you can still create an account and join.</p>}
            >
              {(found) => (
                <>
                  <p class="muted">You are invited to join</p>
                  <h1>{found().course.title}</h1>
                  <p>
                    {found().course.code}
                    <Show when={found().instructor}> · taught by {found().instructor}</Show>
                  </p>
                </>
              )}
            </Show>
            <p>Create a free account to join the course's live classes, chat and homework. You come straight back here to join.</p>
            <div class="actions">
              <Link class="button primary" href={`/signup${back()}`}>
                Create an account
              </Link>
              <Link class="button" href={`/signin${back()}`}>
                I have an account: sign in
              </Link>
            </div>
          </Match>
        </Switch>
      </section>
    </main>
  );
}
