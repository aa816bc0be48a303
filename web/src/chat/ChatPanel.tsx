/**
 * The chat panel: messages (markdown, attached code or output), the
 * composer (Enter sends, Shift+Enter inserts a newline), edit and delete,
 * and for teachers, delete any message and mute a student.
 */
import { For, Show, createEffect, createSignal, onCleanup, onMount } from "solid-js";
import { CHAT_LIMITS } from "../../../protocol";
import type { ChatModel } from "./chat";
import { CodeBlock, Markdown } from "../ui/Markdown";

export function ChatPanel(props: {
  model: ChatModel;
  me: string;
  isStaff: boolean;
  /** The sender's current code, to attach to a message. */
  currentCode?: () => string;
}) {
  const [text, setText] = createSignal("");
  const [attachCode, setAttachCode] = createSignal(false);
  const [attachOutput, setAttachOutput] = createSignal(false);
  const [editing, setEditing] = createSignal<number | null>(null);
  let list!: HTMLOListElement;
  const state = props.model.state;

  const onVisibility = () => props.model.setVisible(document.visibilityState === "visible");
  onMount(() => document.addEventListener("visibilitychange", onVisibility));
  onCleanup(() => document.removeEventListener("visibilitychange", onVisibility));
  createEffect(() => {
    document.title = props.model.unread() > 0 ? `(${props.model.unread()}) ThirdSpace` : "ThirdSpace";
  });
  // Keep the newest message in view.
  createEffect(() => {
    void state.order.length;
    void state.pending.length;
    queueMicrotask(() => list && (list.scrollTop = list.scrollHeight));
  });

  function submit() {
    const body = text();
    if (!body.trim()) return;
    const id = editing();
    if (id !== null) props.model.edit(id, body);
    else {
      const code = attachCode() && props.currentCode ? { code: props.currentCode() } : {};
      const output = attachOutput() && props.model.lastOutput() !== null ? { output: props.model.lastOutput()! } : {};
      props.model.send(body, Object.keys({ ...code, ...output }).length ? { ...code, ...output } : undefined);
    }
    setText("");
    setEditing(null);
    setAttachCode(false);
    setAttachOutput(false);
  }

  return (
    <section class="chat" aria-label="Chat">
      <Show when={props.model.unread() > 0}>
        <span class="dot" data-testid="unread">
          {props.model.unread()} new
        </span>
      </Show>
      <Show when={state.hasMore}>
        <button class="link" onClick={() => props.model.loadOlder()}>
          Load older messages
        </button>
      </Show>
      <ol class="messages" ref={list} aria-live="polite">
        <For each={state.order}>
          {(id) => {
            const m = () => state.messages[id]!;
            const mine = () => m().author === props.me;
            return (
              <li class="message" classList={{ mine: mine(), deleted: m().deleted }} data-testid="chat-message">
                <div class="meta">
                  <strong>{m().author}</strong>
                  <Show when={m().authorRole === "Teacher"}>
                    <span class="badge">Teacher</span>
                  </Show>
                  <time class="muted">{new Date(m().createdAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}</time>
                  <Show when={m().editedAt && !m().deleted}>
                    <span class="muted">(edited)</span>
                  </Show>
                </div>
                <Show when={!m().deleted} fallback={<p class="muted">Message deleted.</p>}>
                  <Markdown text={m().text} />
                  <Show when={m().attach?.code}>
                    <CodeBlock code={m().attach!.code!} />
                  </Show>
                  <Show when={m().attach?.output}>
                    <pre class="attached-output">{m().attach!.output}</pre>
                  </Show>
                  <div class="actions">
                    <Show when={mine()}>
                      <button
                        class="link"
                        onClick={() => {
                          setEditing(id);
                          setText(m().text);
                        }}
                      >
                        Edit
                      </button>
                    </Show>
                    <Show when={mine() || props.isStaff}>
                      <button class="link danger" onClick={() => props.model.remove(id)}>
                        Delete
                      </button>
                    </Show>
                    <Show when={props.isStaff && m().authorRole === "Student"}>
                      <button class="link" onClick={() => props.model.mute(m().author, !state.muted.includes(m().author))}>
                        {state.muted.includes(m().author) ? "Unmute" : "Mute"}
                      </button>
                    </Show>
                  </div>
                </Show>
              </li>
            );
          }}
        </For>
        <For each={state.pending}>
          {(p) => (
            <li class="message mine pending" classList={{ refused: Boolean(p.error) }} data-testid="chat-pending">
              <div class="meta">
                <strong>{props.me}</strong>
                <Show when={p.error} fallback={<span class="muted">Sending…</span>}>
                  <span class="error">Not sent</span>
                </Show>
              </div>
              <Markdown text={p.text} />
              <Show when={p.error}>
                <p class="error small" role="alert" data-testid="chat-refused">
                  {p.error}
                </p>
                <div class="actions">
                  <button class="link" onClick={() => props.model.retry(p.clientId)}>
                    Try again
                  </button>
                  <button class="link danger" onClick={() => props.model.discard(p.clientId)}>
                    Discard
                  </button>
                </div>
              </Show>
            </li>
          )}
        </For>
      </ol>
      {/* Said before they type, not only after a message is refused. */}
      <Show when={!props.isStaff && state.muted.includes(props.me)}>
        <p class="muted small" data-testid="muted-notice">
          A teacher has muted you here: your messages will not be sent.
        </p>
      </Show>
      <Show when={state.error}>
        <p class="error" role="alert" data-testid="chat-error">
          {state.error}
        </p>
      </Show>
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <textarea
          aria-label="Message"
          placeholder="Message (Enter to send, Shift+Enter for a new line)"
          rows={2}
          maxLength={CHAT_LIMITS.maxTextChars}
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              submit();
            }
            if (e.key === "Escape" && editing() !== null) {
              setEditing(null);
              setText("");
            }
          }}
        />
        <div class="row spread">
          <div class="row">
            <Show when={props.currentCode && editing() === null}>
              <label class="inline">
                <input type="checkbox" checked={attachCode()} onChange={(e) => setAttachCode(e.currentTarget.checked)} /> Attach my code
              </label>
            </Show>
            <Show when={props.model.lastOutput() !== null && editing() === null}>
              <label class="inline">
                <input type="checkbox" checked={attachOutput()} onChange={(e) => setAttachOutput(e.currentTarget.checked)} /> Attach my last output
              </label>
            </Show>
          </div>
          <button type="submit">{editing() === null ? "Send" : "Save edit"}</button>
        </div>
      </form>
    </section>
  );
}
