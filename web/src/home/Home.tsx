/**
 * Signed out: what ThirdSpace is, and the way in. Signed in: my courses (as
 * instructor or TA, and as student), a new course, and quick ad-hoc rooms.
 */
import { For, Show, createResource, createSignal } from "solid-js";
import { LIMITS, RoomId } from "../../../protocol";
import { FormAlert } from "../ui/Field";
import { Link } from "../ui/Link";
import { ApiError, createRoom, myCourses, type Course, type CourseRole } from "../lib/api";
import { links, saveTeacherToken } from "../lib/identity";
import { navigate } from "../lib/router";
import { user } from "../lib/session";

/** The last path segment of a pasted link (or the id itself); whether it is a room id, the protocol decides. */
const ROOM_IN_TEXT = /(?:\/room\/)?([^/#\s]+)\/?(?:#.*)?$/;

export function Home() {
  return (
    <Show when={user()} fallback={<Landing />}>
      <Dashboard />
    </Show>
  );
}

function Landing() {
  return (
    <main class="home">
      <h1>ThirdSpace</h1>
      <p class="lead">A live classroom for programming: write, run and share code together, in class and between classes.</p>
      <div class="row">
        <Link class="button primary" href="/signup">
          Create an account
        </Link>
        <Link class="button" href="/signin">
          Sign in
        </Link>
      </div>
    </main>
  );
}

function CourseList(props: { title: string; courses: (Course & { role: CourseRole })[] }) {
  return (
    <section class="card">
      <h2>{props.title}</h2>
      <ul class="course-list">
        <For each={props.courses}>
          {(c) => (
            <li>
              <Link href={`/courses/${c.id}`}>
                <strong>{c.code}</strong> {c.title}
              </Link>
              <span class="muted"> · {c.role === "ta" ? "TA" : c.role}</span>
              <Show when={c.archived}>
                <span class="muted"> · archived</span>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}

function Dashboard() {
  const [courses] = createResource(myCourses);
  const teaching = () => (courses() ?? []).filter((c) => c.role !== "student");
  const learning = () => (courses() ?? []).filter((c) => c.role === "student");
  // One solid button: creating a course, unless this user only ever joins them.
  const learner = () => teaching().length === 0 && learning().length > 0;
  return (
    <main class="home">
      <div class="row spread">
        <h1>Your courses</h1>
        <Link class={learner() ? "button" : "button primary"} href="/courses/new">
          New course
        </Link>
      </div>
      <Show when={courses.state === "ready" && courses()!.length === 0}>
        <p class="muted">No courses yet. Create one, or open the invite link your instructor sent you.</p>
      </Show>
      <div class="cards">
        <Show when={teaching().length}>
          <CourseList title="Teaching" courses={teaching()} />
        </Show>
        <Show when={learning().length}>
          <CourseList title="Learning" courses={learning()} />
        </Show>
      </div>
      <EnrolByCode primary={learner()} />
      <h2 class="section">Quick rooms</h2>
      <div class="cards">
        <QuickRoom />
        <JoinRoom />
      </div>
    </main>
  );
}

function QuickRoom() {
  const [title, setTitle] = createSignal("");
  const [created, setCreated] = createSignal<{ roomId: string; token: string } | null>(null);
  const [error, setError] = createSignal("");

  async function create(event: SubmitEvent) {
    event.preventDefault();
    setError("");
    try {
      const { roomId, teacherToken } = await createRoom(title().trim() || undefined);
      saveTeacherToken(user()!.id, roomId, teacherToken);
      setCreated({ roomId, token: teacherToken });
    } catch (e) {
      setError(e instanceof ApiError ? (e.fields.title ? `Title ${e.fields.title}` : e.message) : "Could not reach the server.");
    }
  }

  return (
    <section class="card">
      <h3>Teach an ad-hoc room</h3>
      <form onSubmit={create}>
        <label>
          Room title
          <input value={title()} onInput={(e) => setTitle(e.currentTarget.value)} maxLength={LIMITS.maxTitleChars} placeholder="Intro to loops" />
        </label>
        <button type="submit">Create a room</button>
        <FormAlert message={error()} />
      </form>
      <Show when={created()}>
        {(room) => {
          const l = links(room().roomId, room().token);
          return (
            <div class="links" data-testid="room-links">
              <label>
                Student link (share this)
                <input readOnly value={l.student} data-testid="student-link" onFocus={(e) => e.currentTarget.select()} />
              </label>
              <label>
                Teacher link (keep this private)
                <input readOnly value={l.teacher!} data-testid="teacher-link" onFocus={(e) => e.currentTarget.select()} />
              </label>
              <button onClick={() => navigate(`/room/${room().roomId}`)}>Enter as teacher</button>
            </div>
          );
        }}
      </Show>
    </section>
  );
}

function JoinRoom() {
  const [text, setText] = createSignal("");
  const [error, setError] = createSignal("");
  function join(event: SubmitEvent) {
    event.preventDefault();
    const id = ROOM_IN_TEXT.exec(text().trim())?.[1];
    if (!id || !RoomId.safeParse(id).success) return setError("Paste a room link or a room id.");
    navigate(`/room/${id}`);
  }
  return (
    <section class="card">
      <h3>Join a room</h3>
      <form onSubmit={join}>
        <label>
          Room link or id
          <input value={text()} onInput={(e) => setText(e.currentTarget.value)} placeholder="https://…/room/abc123" />
        </label>
        <button type="submit">Join</button>
        <FormAlert message={error()} />
      </form>
    </section>
  );
}

/** For students given an invite code rather than a link. */
function EnrolByCode(props: { primary: boolean }) {
  const [code, setCode] = createSignal("");
  return (
    <form
      class="row enrol-code"
      onSubmit={(e) => {
        e.preventDefault();
        const value = code().trim().replace(/^.*\/enrol\//, "");
        if (value) navigate(`/enrol/${encodeURIComponent(value)}`);
      }}
    >
      <label class="row">
        Have an invite code?
        <input value={code()} onInput={(e) => setCode(e.currentTarget.value)} placeholder="e.g. x7Kp2mQa" maxLength={64} />
      </label>
      <button type="submit" classList={{ primary: props.primary }}>
        Enrol
      </button>
    </form>
  );
}
