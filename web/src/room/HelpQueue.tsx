/**
 * The help queue. A student raises a hand (with their code and cursor line)
 * and sees their place; staff see every request, claim one, open the code,
 * and resolve it.
 */
import { For, Show, createMemo, createSignal } from "solid-js";
import { BOARD_LIMITS, type HandView } from "../../../protocol";
import type { BoardModel } from "./board";
import { notificationsBlocked, notificationsSupported, notifying, setNotifying } from "./hand-notifications";
import { ROOM_TEXT } from "./strings";

/** The last refusal of a help-queue request (raise, withdraw, claim, resolve), where it was made. */
function HandError(props: { board: BoardModel }) {
  return (
    <Show when={props.board.state.handError}>
      <p class="error" role="alert" data-testid="help-error">
        {props.board.state.handError}
      </p>
    </Show>
  );
}

export function StudentHelp(props: { board: BoardModel; code: () => { code: string; line: number } | null }) {
  const [note, setNote] = createSignal("");
  const [attach, setAttach] = createSignal(true);
  const queue = () => props.board.openHands();
  const mine = createMemo(() => queue().find((h) => props.board.isMine(h.clientId)));
  const place = () => {
    const m = mine();
    return m ? queue().filter((h) => h.status === "waiting").findIndex((h) => h.id === m.id) + 1 : 0;
  };

  return (
    <section class="help" aria-label="Help queue">
      <Show
        when={mine()}
        fallback={
          <form
            class="composer"
            onSubmit={(e) => {
              e.preventDefault();
              const current = attach() ? props.code() : null;
              if (props.board.raise(note(), current?.code, current?.line)) setNote("");
            }}
          >
            <input aria-label="What do you need help with?" placeholder="What's wrong? (optional)" maxLength={BOARD_LIMITS.maxNoteChars} value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
            <div class="row spread">
              <label class="inline">
                <input type="checkbox" checked={attach()} onChange={(e) => setAttach(e.currentTarget.checked)} /> Show my code and line
              </label>
              <button type="submit">
                ✋ Raise hand
              </button>
            </div>
          </form>
        }
      >
        {(hand) => (
          <div class="notice" role="status" data-testid="my-hand">
            <Show when={hand().status === "claimed"} fallback={<span>{ROOM_TEXT.queuePlace(place())}</span>}>
              <span>{hand().claimedBy} is coming to help you.</span>
            </Show>
            <button onClick={() => props.board.move("HAND_WITHDRAW", hand().id)}>Withdraw</button>
          </div>
        )}
      </Show>
      <HandError board={props.board} />
      <p class="muted small">{ROOM_TEXT.handsUp(queue().length)}</p>
    </section>
  );
}

export function StaffHelp(props: { board: BoardModel; me: string; onOpen: (hand: HandView) => void }) {
  return (
    <section class="help" aria-label="Help queue">
      <NotifyToggle />
      <HandError board={props.board} />
      <ol class="hands">
        <For each={props.board.openHands()} fallback={<li class="muted">No hands up.</li>}>
          {(h) => (
            <li class="hand" data-testid="hand">
              <div>
                <strong>{h.student}</strong>
                <Show when={h.line}>
                  <span class="muted"> · line {h.line}</span>
                </Show>
                <Show when={h.note}>
                  <p class="small">{h.note}</p>
                </Show>
                <Show when={h.status === "claimed"}>
                  <p class="muted small">Claimed by {h.claimedBy === props.me ? "you" : h.claimedBy}</p>
                </Show>
              </div>
              <div class="row">
                <Show when={h.status === "waiting"}>
                  <button onClick={() => props.board.move("HAND_CLAIM", h.id)}>Claim</button>
                </Show>
                <Show when={h.code !== null}>
                  <button onClick={() => props.onOpen(h)}>Open code</button>
                </Show>
                <button onClick={() => props.board.move("HAND_RESOLVE", h.id)}>Resolve</button>
              </div>
            </li>
          )}
        </For>
      </ol>
    </section>
  );
}

/** Staff opt in to a desktop notification for each hand raised while this tab is in the background. */
function NotifyToggle() {
  return (
    <Show when={notificationsSupported}>
      <label class="inline">
        <input
          type="checkbox"
          checked={notifying()}
          disabled={notificationsBlocked()}
          onChange={async (e) => {
            const box = e.currentTarget;
            await setNotifying(box.checked);
            // A refused permission leaves it off, whatever the click did to the box.
            box.checked = notifying();
          }}
        />{" "}
        Notify me of raised hands while this tab is in the background
      </label>
      <Show when={notificationsBlocked()}>
        <p class="muted small">This browser blocks notifications from this site: allow them in its site settings to turn this on.</p>
      </Show>
    </Show>
  );
}
