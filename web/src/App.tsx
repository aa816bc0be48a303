/**
 * Pages by path: home/dashboard, sign-in and sign-up, courses, invite links,
 * and live rooms. Pages that need an account send visitors to sign in first.
 */
import { Match, Show, Switch, createEffect, lazy, onMount, type JSX } from "solid-js";
import { RoomId } from "../../protocol";
import { Link } from "./ui/Link";
import { ShortcutHelp } from "./ui/ShortcutHelp";
import { ThemeToggle } from "./ui/ThemeToggle";
import { path, signInFirst, navigate } from "./lib/router";
import { loadSession, loaded, signOut, user } from "./lib/session";
import { AuthPage } from "./account/Auth";
import { CoursePage } from "./course/CoursePage";
import { Enrol } from "./course/Enrol";
import { Home } from "./home/Home";
import { AssignmentPage } from "./homework/AssignmentPage";
import { NewCourse } from "./course/NewCourse";
import { LecturePage } from "./lectures/LecturePage";
import { NotFound } from "./ui/NotFound";

// The room (CodeMirror and the editor views) loads only when a room is opened.
const RoomPage = lazy(() => import("./room/RoomPage").then((m) => ({ default: m.RoomPage })));

const ROOM = /^\/room\/([^/]+)\/?$/;
const COURSE = /^\/courses\/([A-Za-z0-9]{6,32})\/?$/;
const ENROL = /^\/enrol\/([A-Za-z0-9_-]{1,32})\/?$/;
const ASSIGNMENT = /^\/assignments\/([A-Za-z0-9]{6,32})\/?$/;
const LECTURE = /^\/lectures\/([A-Za-z0-9]{6,32})\/?$/;

/** Renders `children` for a signed-in user; otherwise goes to sign-in and comes back. */
function SignedIn(props: { children: JSX.Element }) {
  createEffect(() => {
    if (loaded() && !user()) signInFirst();
  });
  return <Show when={user()}>{props.children}</Show>;
}

function TopBar() {
  return (
    <header class="topbar">
      <Link href="/" class="brand">
        ThirdSpace
      </Link>
      {/* The landing page and the sign-in pages offer it already. */}
      <Show when={!user() && !["/", "/signin", "/signup"].includes(path())}>
        <Link href="/signin" class="who">
          Sign in
        </Link>
      </Show>
      <Show when={user()}>
        <span class="who">{user()!.name}</span>
        <button
          class="link"
          onClick={async () => {
            await signOut();
            navigate("/");
          }}
        >
          Sign out
        </button>
      </Show>
      <ThemeToggle />
    </header>
  );
}

export function App() {
  onMount(loadSession);
  const match = (re: RegExp) => re.exec(path())?.[1];
  // Which ids are room ids is the protocol's rule, not a copy of it here.
  const roomId = () => {
    const id = match(ROOM);
    return id !== undefined && RoomId.safeParse(id).success ? id : undefined;
  };

  return (
    <Show when={loaded()} fallback={<p class="muted center">Loading…</p>}>
      <ShortcutHelp />
      <Switch
        fallback={
          <>
            <TopBar />
            <NotFound />
          </>
        }
      >
        <Match when={path() === "/"}>
          <TopBar />
          <Home />
        </Match>
        <Match when={roomId()} keyed>
          {(id) => (
            <SignedIn>
              <RoomPage roomId={id} />
            </SignedIn>
          )}
        </Match>
        <Match when={path() === "/signin" || path() === "/signup"}>
          <TopBar />
          <AuthPage mode={path() === "/signup" ? "signup" : "signin"} />
        </Match>
        <Match when={path() === "/courses/new"}>
          <TopBar />
          <SignedIn>
            <NewCourse />
          </SignedIn>
        </Match>
        <Match when={match(COURSE)} keyed>
          {(id) => (
            <>
              <TopBar />
              <SignedIn>
                <CoursePage courseId={id} />
              </SignedIn>
            </>
          )}
        </Match>
        <Match when={match(ASSIGNMENT)} keyed>
          {(id) => (
            <>
              <TopBar />
              <SignedIn>
                <AssignmentPage assignmentId={id} />
              </SignedIn>
            </>
          )}
        </Match>
        <Match when={match(LECTURE)} keyed>
          {(id) => (
            <>
              <TopBar />
              <SignedIn>
                <LecturePage lectureId={id} />
              </SignedIn>
            </>
          )}
        </Match>
        {/* An invite link works signed out: it names the course and offers an account first. */}
        <Match when={match(ENROL)} keyed>
          {(code) => (
            <>
              <TopBar />
              <Enrol code={code} />
            </>
          )}
        </Match>
      </Switch>
    </Show>
  );
}
