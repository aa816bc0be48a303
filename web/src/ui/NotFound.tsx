/** Any path the app does not know: say so, instead of showing the landing page as if the link had worked. */
import { Show } from "solid-js";
import { user } from "../lib/session";
import { Link } from "./Link";

export function NotFound() {
  return (
    <main class="narrow card">
      <h1>Page not found</h1>
      <p>There is nothing at this address. The link may be mistyped, or what it pointed to may have been removed.</p>
      <p>
        <Link href="/">
          <Show when={user()} fallback="Go to the home page">
            Go to your courses
          </Show>
        </Link>
      </p>
    </main>
  );
}
