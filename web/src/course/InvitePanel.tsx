/** The instructor's invite link (copy, rotate, turn off) and the calendar feed. */
import { Show, createSignal } from "solid-js";
import { changeInvite, rotateCalendar, type CourseDetail } from "../lib/api";

export function InvitePanel(props: {
  courseId: string;
  invite: NonNullable<CourseDetail["invite"]>;
  calendarUrl: string;
  /** After the link is replaced or turned on or off: the page's other copy of it (Get started) follows. */
  onChange?: () => void;
}) {
  const [invite, setInvite] = createSignal(props.invite);
  const [calendarUrl, setCalendarUrl] = createSignal(props.calendarUrl);
  const [copied, setCopied] = createSignal(false);

  async function change(body: { rotate?: boolean; enabled?: boolean }) {
    setInvite(await changeInvite(props.courseId, body));
    props.onChange?.();
  }

  async function copy() {
    const url = invite().url;
    if (!url) return;
    await navigator.clipboard?.writeText(url).catch(() => undefined);
    setCopied(true);
  }

  return (
    <section class="card" aria-label="Invite">
      <h3>Invite students</h3>
      <Show when={invite().enabled && invite().url} fallback={<p class="muted">The invite link is turned off.</p>}>
        <label>
          Invite link
          <input readOnly value={invite().url!} data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
        </label>
        <Show when={invite().expiresAt}>
          <p class="muted">Expires {new Date(invite().expiresAt!).toLocaleString()}</p>
        </Show>
      </Show>
      <div class="row">
        <Show when={invite().enabled}>
          <button onClick={copy}>{copied() ? "Copied" : "Copy link"}</button>
        </Show>
        <button onClick={() => change({ rotate: true, enabled: true })}>New link</button>
        <button onClick={() => change({ enabled: !invite().enabled })}>
          {invite().enabled ? "Turn off" : "Turn on"}
        </button>
      </div>
      <label class="small">
        Calendar feed (subscribe in any calendar app)
        <input readOnly value={calendarUrl()} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <button class="link" onClick={async () => setCalendarUrl((await rotateCalendar(props.courseId)).calendarUrl)}>
        Replace the calendar link
      </button>
    </section>
  );
}
