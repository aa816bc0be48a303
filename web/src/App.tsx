/** Two pages, chosen by path: "/" (home) and "/room/:roomId" (a live room). */
import { Match, Switch, createSignal, onCleanup } from "solid-js";
import { Home } from "./pages/Home";
import { RoomPage } from "./pages/RoomPage";

const ROOM_PATH = /^\/room\/([A-Za-z0-9_-]{6,64})\/?$/;

export function navigate(path: string): void {
  history.pushState(null, "", path);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

export function App() {
  const [path, setPath] = createSignal(location.pathname);
  const onPop = () => setPath(location.pathname);
  window.addEventListener("popstate", onPop);
  onCleanup(() => window.removeEventListener("popstate", onPop));
  const roomId = () => ROOM_PATH.exec(path())?.[1];

  return (
    <Switch fallback={<Home />}>
      <Match when={roomId()} keyed>
        {(id) => <RoomPage roomId={id} />}
      </Match>
    </Switch>
  );
}
