/** Create a room (you become its teacher) or join one by link or id. */
import { Show, createSignal } from "solid-js";
import { navigate } from "../App";
import { ApiError, createRoom } from "../lib/api";
import { links, saveTeacherToken } from "../lib/identity";

const ROOM_IN_TEXT = /(?:\/room\/)?([A-Za-z0-9_-]{6,64})\/?(?:#.*)?$/;

export function Home() {
  const [title, setTitle] = createSignal("");
  const [created, setCreated] = createSignal<{ roomId: string; token: string } | null>(null);
  const [error, setError] = createSignal("");
  const [joinText, setJoinText] = createSignal("");
  const [joinError, setJoinError] = createSignal("");

  async function create(event: SubmitEvent) {
    event.preventDefault();
    setError("");
    try {
      const { roomId, teacherToken } = await createRoom(title().trim() || undefined);
      saveTeacherToken(roomId, teacherToken);
      setCreated({ roomId, token: teacherToken });
    } catch (e) {
      setError(e instanceof ApiError ? (e.fields.title ? `Title ${e.fields.title}` : e.message) : "Could not reach the server.");
    }
  }

  function join(event: SubmitEvent) {
    event.preventDefault();
    const match = ROOM_IN_TEXT.exec(joinText().trim());
    if (!match) return setJoinError("Paste a room link or a room id.");
    navigate(`/room/${match[1]}`);
  }

  return (
    <main class="home">
      <h1>ThirdSpace</h1>
      <p class="muted">A live classroom for programming: write, run and share code together.</p>
      <div class="cards">
        <section class="card">
          <h2>Teach</h2>
          <form onSubmit={create}>
            <label>
              Room title
              <input value={title()} onInput={(e) => setTitle(e.currentTarget.value)} maxLength={120} placeholder="Intro to loops" />
            </label>
            <button type="submit">Create a room</button>
            <Show when={error()}>
              <p class="error" role="alert">{error()}</p>
            </Show>
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
        <section class="card">
          <h2>Learn</h2>
          <form onSubmit={join}>
            <label>
              Room link or id
              <input value={joinText()} onInput={(e) => setJoinText(e.currentTarget.value)} placeholder="https://…/room/abc123" />
            </label>
            <button type="submit">Join</button>
            <Show when={joinError()}>
              <p class="error" role="alert">{joinError()}</p>
            </Show>
          </form>
        </section>
      </div>
    </main>
  );
}
