/**
 * "?" anywhere outside a text field or code editor lists the app's keyboard
 * shortcuts. A native <dialog> opened modally keeps focus inside it, closes
 * on Escape and makes the page behind it inert; focus then goes back to where
 * it was.
 */
import { For, createUniqueId, onCleanup, onMount } from "solid-js";
import { commandIsCmd, commandKey } from "./platform";
import "./shortcuts.css";

const APPLE = commandIsCmd();
const MOD = commandKey();

/**
 * What each part of the app answers to: ours (room/CodeEditor.tsx's run key,
 * chat/ChatPanel.tsx) and the most useful of CodeMirror's own. Tab is left to
 * the browser in the editor, so keyboard users are never trapped in it.
 */
const GROUPS: { title: string; keys: [keys: string[], what: string][] }[] = [
  {
    title: "Anywhere",
    keys: [
      [["?"], "Show this list (outside text fields and the code editor)"],
      [["Esc"], "Close this list"],
    ],
  },
  {
    title: "Code editor",
    keys: [
      [[MOD, "Enter"], "Run your code"],
      [[MOD, "Z"], "Undo"],
      [APPLE ? [MOD, "Shift", "Z"] : [MOD, "Y"], "Redo"],
      [[MOD, "F"], "Find and replace"],
      [[MOD, "/"], "Comment or uncomment the line"],
      [[MOD, "]"], `Indent the line (${MOD} + [ outdents it)`],
      [["Tab"], "Leave the editor for the next control"],
    ],
  },
  {
    title: "Chat",
    keys: [
      [["Enter"], "Send the message"],
      [["Shift", "Enter"], "New line"],
      [["Esc"], "Stop editing a message"],
    ],
  },
];

/** Typing here means text: "?" is a character, not a command. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.matches("input, textarea, select");
}

export function ShortcutHelp() {
  let dialog!: HTMLDialogElement;
  let before: Element | null = null;
  const titleId = createUniqueId();

  function onKey(e: KeyboardEvent) {
    if (e.key !== "?" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typingIn(e.target) || dialog.open) return;
    e.preventDefault();
    before = document.activeElement;
    dialog.showModal();
  }
  onMount(() => document.addEventListener("keydown", onKey));
  onCleanup(() => document.removeEventListener("keydown", onKey));

  return (
    <dialog
      ref={dialog}
      class="shortcuts"
      aria-labelledby={titleId}
      onClose={() => {
        if (before instanceof HTMLElement && before.isConnected) before.focus();
        before = null;
      }}
    >
      <h2 id={titleId}>Keyboard shortcuts</h2>
      {/* One grid for every section, so the keys and what they do line up from the first section to the last. */}
      <div class="shortcut-grid">
        <For each={GROUPS}>
          {(group) => (
            <section>
              <h3>{group.title}</h3>
              <dl>
                <For each={group.keys}>
                  {([keys, what]) => (
                    <>
                      <dt>
                        <For each={keys}>{(k, i) => (i() ? <> + <kbd>{k}</kbd></> : <kbd>{k}</kbd>)}</For>
                      </dt>
                      <dd>{what}</dd>
                    </>
                  )}
                </For>
              </dl>
            </section>
          )}
        </For>
      </div>
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}
