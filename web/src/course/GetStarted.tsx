/**
 * The first thing a new course's instructor sees: the two steps before a
 * first class, inviting students and scheduling it. Once students have
 * joined and a class is on the schedule it renders nothing, and the page
 * is the usual one.
 */
import { Show, createResource, createSignal, onCleanup } from "solid-js";
import { getRoster, type CourseDetail } from "../lib/api";
import { COURSE_TEXT } from "./strings";

/** Students join at their own pace: look again now and then while the card is up. */
const REFRESH_MS = 30_000;

export function GetStarted(props: {
  courseId: string;
  invite: NonNullable<CourseDetail["invite"]>;
  /** Classes ever scheduled (upcoming and past); undefined until known. */
  classes: number | undefined;
  onSchedule: () => void;
}) {
  const [roster, { refetch }] = createResource(() => props.courseId, getRoster);
  const students = () => (roster.error ? undefined : roster()?.filter((m) => m.role === "student").length);
  const timer = setInterval(() => refetch(), REFRESH_MS);
  onCleanup(() => clearInterval(timer));
  const [copied, setCopied] = createSignal(false);
  // Shown only once both counts are known, so an established course's page never flashes the card.
  const needed = () => students() !== undefined && props.classes !== undefined && (students() === 0 || props.classes === 0);
  const url = () => (props.invite.enabled ? props.invite.url : null);

  async function copy(text: string) {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    setCopied(true);
  }

  return (
    <Show when={needed()}>
      <section class="card get-started" aria-label="Get started">
        <h2>Get started</h2>
        <p class="muted">Two steps, and your course is ready for its first class.</p>
        <ol>
          <li classList={{ done: Boolean(students()) }}>
            <strong>Invite your students.</strong> Send them this link: they create an account and join the course.
            <Show when={url()} fallback={<p>The invite link is turned off. Turn it on under Invite students.</p>}>
              {(link) => (
                <div class="copy-row">
                  <input readOnly aria-label="Invite link to send" value={link()} data-testid="get-started-invite" onFocus={(e) => e.currentTarget.select()} />
                  <button classList={{ primary: props.classes !== 0 }} onClick={() => copy(link())}>
                    {copied() ? "Copied" : "Copy link"}
                  </button>
                </div>
              )}
            </Show>
            <Show when={students()}>
              {(n) => <p class="ok">✓ {COURSE_TEXT.joined(n())}</p>}
            </Show>
          </li>
          <li classList={{ done: Boolean(props.classes) }}>
            <strong>Schedule the first class.</strong> Its live room opens for your students from this page.
            <Show when={props.classes === 0} fallback={<p class="ok">✓ A class is on the schedule.</p>}>
              <div>
                <button class="primary" onClick={() => props.onSchedule()}>
                  Schedule the first class
                </button>
              </div>
            </Show>
          </li>
        </ol>
      </section>
    </Show>
  );
}
