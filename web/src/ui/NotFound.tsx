/** Any path the app does not know: say so, instead of showing the landing page as if the link had worked. */
import { Link } from "./Link";

export function NotFound() {
  return (
    <main class="narrow card">
      <h1>Page not found</h1>
      <p>There is nothing at this address. The link may be mistyped, or what it pointed to may have been removed.</p>
      <p>
        <Link href="/">Go to your courses</Link>
      </p>
    </main>
  );
}
