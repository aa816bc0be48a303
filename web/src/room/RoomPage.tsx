/**
 * A live room. You enter under your account's name. Your role: in a class
 * room, your enrolment decides (instructor or TA → teacher); in an ad-hoc
 * room, you are the teacher when this browser holds the room's teacher
 * token (from creating the room or from the teacher link).
 */
import { Match, Show, Switch, createEffect, createResource, createSignal, onCleanup } from "solid-js";
import { ROOM_ROLE, parseRoomId, type HandView, type Role } from "../../../protocol";
import { courseClock, browserTimeZone } from "../course/course-time";
import { getClass, getRoom } from "../lib/api";
import { saveTeacherToken, teacherToken } from "../lib/identity";
import { user } from "../lib/session";
import { ConnectionBadge } from "../ui/ConnectionBadge";
import { Link } from "../ui/Link";
import { ThemeToggle } from "../ui/ThemeToggle";
import { notifyHandRaised, settleHandNotifications } from "./hand-notifications";
import { openRoomSession } from "./open-session";
import { RoomProvider, type RoomSession } from "./session";
import { StudentView } from "./StudentView";
import { TeacherView } from "./TeacherView";

/** Works out this person's role in the room, and the title to show. */
async function resolveRole(roomId: string): Promise<{ role: Role; title: string; token?: string; course?: { id: string; title: string; timezone: string } }> {
  const ref = parseRoomId(roomId);
  if (ref.kind === "class") {
    const { class: k, role, course } = await getClass(ref.classId);
    return { role: ROOM_ROLE[role], title: `${course.code}: ${k.title}`, course: { id: course.id, title: course.title, timezone: course.timezone } };
  }
  const summary = await getRoom(roomId);
  const token = teacherToken(user()!.id, roomId);
  return { role: token ? "Teacher" : "Student", title: summary.title, ...(token ? { token } : {}) };
}

export function RoomPage(props: { roomId: string }) {
  const fromLink = /^#teacher=([A-Za-z0-9_-]+)$/.exec(location.hash)?.[1];
  if (fromLink) {
    saveTeacherToken(user()!.id, props.roomId, fromLink);
    // Keep the capability out of the address bar (and out of screenshots).
    history.replaceState(null, "", location.pathname);
  }
  const [resource] = createResource(() => props.roomId, resolveRole);
  // Reading an errored resource throws; the page reads this instead.
  const info = () => (resource.state === "ready" ? resource() : undefined);
  // The banner about the latest hand raised, while that hand still waits.
  const [alert, setAlert] = createSignal<{ text: string; handId: number } | null>(null);
  const [session, setSession] = createSignal<(RoomSession & { stop(): void }) | null>(null);

  function onHandRaised(hand: HandView) {
    setAlert({ text: `${hand.student ?? "A student"} raised a hand${hand.note ? `: ${hand.note}` : ""}`, handId: hand.id });
    notifyHandRaised(hand, { roomId: props.roomId, title: info()?.title ?? "ThirdSpace", mine: session()?.board.isMine(hand.clientId) ?? false });
  }

  createEffect(() => {
    const i = info();
    if (!i || session()) return;
    const { name: username, id: userId } = user()!;
    setSession(
      openRoomSession({
        roomId: props.roomId,
        username,
        userId,
        role: i.role,
        ...(i.token ? { token: i.token } : {}),
        ...(i.role === "Teacher" ? { onHandRaised } : {}),
      }),
    );
  });
  onCleanup(() => session()?.stop());
  // Claimed, resolved or withdrawn: nothing left to announce.
  createEffect(() => {
    const shown = alert();
    const s = session();
    if (shown && s && !s.board.openHands().some((h) => h.id === shown.handId && h.status === "waiting")) setAlert(null);
  });
  createEffect(() => {
    const s = session();
    if (s) settleHandNotifications(s.board.openHands().flatMap((h) => (h.status === "waiting" ? [h.id] : [])));
  });

  const hours = () => session()?.hours();
  const courseId = () => info()?.course?.id;
  // The course page's clock: a student abroad reads the same closing time in both places.
  const clock = () => courseClock(info()?.course?.timezone ?? browserTimeZone());
  const missing = () => resource.state === "errored";
  return (
    <main class="room">
      <header class="topbar">
        <Link href={courseId() ? `/courses/${courseId()}` : "/"} class="brand">
          ThirdSpace
        </Link>
        <Show when={info()?.course}>
          {(course) => (
            <Link href={`/courses/${course().id}`} class="back" data-testid="course-link">
              ← {course().title}
            </Link>
          )}
        </Show>
        <h1 class="title">{missing() ? "Room not found" : (info()?.title ?? "Room")}</h1>
        <Show when={info()}>
          <span class="muted">{info()!.role} view</span>
        </Show>
        <Show when={hours()}>
          {(h) => (
            <span class="muted" data-testid="hours">
              {h().open ? `Open until ${clock().time(h().closesAt)}` : "Closed to students"}
              <Show when={h().open && clock().foreign}> ({clock().label})</Show>
            </span>
          )}
        </Show>
        <span class="who" data-testid="who">{session()?.username ?? user()?.name}</span>
        {/* A room that is not there has no connection to report: the page says what happened instead. */}
        <Show when={!missing()}>
          <ConnectionBadge status={session()?.status() ?? "connecting"} />
        </Show>
        <ThemeToggle />
      </header>
      <Show when={alert()}>
        <div class="notice banner" role="status" data-testid="staff-alert">
          {alert()!.text}
          <button class="link" onClick={() => setAlert(null)}>
            Dismiss
          </button>
        </div>
      </Show>
      <Show when={session()?.problem()}>
        <p class="error banner" role="alert" data-testid="connection-problem">
          {session()!.problem()}
          <Show when={session()!.status() === "failed"}>
            {" "}
            <button class="link" onClick={() => location.reload()}>
              Reload
            </button>
          </Show>
        </p>
      </Show>
      <Switch>
        <Match when={missing()}>
          <section class="card narrow room-missing" data-testid="room-missing">
            <p role="alert">This room does not exist, or it is not one of your classes.</p>
            <Link href="/">{user() ? "Back to your courses" : "Go to ThirdSpace"}</Link>
          </section>
        </Match>
        <Match when={session()} keyed>
          {(s) => (
            <RoomProvider session={s}>
              <Show when={s.role === "Teacher"} fallback={<StudentView courseId={courseId()} />}>
                <TeacherView courseId={courseId()} />
              </Show>
            </RoomProvider>
          )}
        </Match>
      </Switch>
    </main>
  );
}
