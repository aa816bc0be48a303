/** Questions for the class: ask (optionally anonymously), upvote, and staff answer and pin an answer. */
import { For, Show, createEffect, createMemo, createSignal } from "solid-js";
import { BOARD_LIMITS } from "../../../protocol";
import { Markdown } from "../ui/Markdown";
import type { BoardModel } from "./board";

export function QuestionBoard(props: { board: BoardModel; isStaff: boolean }) {
  const [sort, setSort] = createSignal<"votes" | "time">("votes");
  const [text, setText] = createSignal("");
  const [anonymous, setAnonymous] = createSignal(false);
  const [answering, setAnswering] = createSignal<number | null>(null);
  const [answer, setAnswer] = createSignal("");
  const state = props.board.state;
  // A question the room refused comes back to the box, so nothing typed is lost.
  createEffect(() => {
    const back = state.unasked;
    if (!back) return;
    setText(back.text);
    setAnonymous(back.anonymous);
    props.board.takeUnasked();
  });

  const questions = createMemo(() => {
    const list = Object.values(state.questions);
    return sort() === "votes"
      ? list.sort((a, b) => Number(a.answeredAt !== null) - Number(b.answeredAt !== null) || b.votes - a.votes || a.askedAt - b.askedAt)
      : list.sort((a, b) => b.askedAt - a.askedAt);
  });

  return (
    <section class="board" aria-label="Questions">
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          if (text().trim() && props.board.ask(text(), anonymous())) setText("");
        }}
      >
        <textarea aria-label="Your question" rows={2} maxLength={BOARD_LIMITS.maxQuestionChars} placeholder="Ask the class a question" value={text()} onInput={(e) => setText(e.currentTarget.value)} />
        <div class="row spread">
          <label class="inline">
            <input type="checkbox" checked={anonymous()} onChange={(e) => setAnonymous(e.currentTarget.checked)} /> Anonymous to classmates
          </label>
          <button type="submit">Ask</button>
        </div>
      </form>
      <Show when={state.questionError}>
        <p class="error" role="alert" data-testid="questions-error">
          {state.questionError}
        </p>
      </Show>
      <div class="row">
        <span class="muted">Sort by</span>
        <button class="link" aria-pressed={sort() === "votes"} onClick={() => setSort("votes")}>
          votes
        </button>
        <button class="link" aria-pressed={sort() === "time"} onClick={() => setSort("time")}>
          newest
        </button>
      </div>
      <ol class="questions">
        <For each={questions()} fallback={<li class="muted">No questions yet.</li>}>
          {(q) => {
            const mine = () => props.board.isMine(q.clientId);
            const voted = () => state.votes.includes(q.id);
            return (
              <li class="question" classList={{ answered: q.answeredAt !== null }} data-testid="question">
                <button
                  class="vote"
                  aria-label={voted() ? "Remove my vote" : "Upvote"}
                  aria-pressed={voted()}
                  disabled={mine()}
                  onClick={() => props.board.vote(q.id, !voted())}
                >
                  ▲ <span data-testid="votes">{q.votes}</span>
                </button>
                <div class="body">
                  <Markdown text={q.text} />
                  <p class="muted small">
                    {mine() ? "You" : q.author ?? "Anonymous"}
                    {q.anonymous && q.author && props.isStaff ? " (anonymous to classmates)" : ""}
                    <Show when={q.answeredAt}> · answered by {q.answeredBy}</Show>
                  </p>
                  <Show when={props.isStaff || mine()}>
                    <button class="link" onClick={() => confirm("Remove this question for everyone?") && props.board.remove(q.id)}>
                      Remove question
                    </button>
                  </Show>
                  <Show when={q.answer}>
                    <div class="pinned" data-testid="pinned-answer">
                      <Markdown text={q.answer!} />
                    </div>
                  </Show>
                  <Show when={props.isStaff && q.answeredAt === null}>
                    <Show
                      when={answering() === q.id}
                      fallback={
                        <button class="link" onClick={() => setAnswering(q.id)}>
                          Mark answered
                        </button>
                      }
                    >
                      <form
                        class="composer"
                        onSubmit={(e) => {
                          e.preventDefault();
                          props.board.answer(q.id, answer());
                          setAnswering(null);
                          setAnswer("");
                        }}
                      >
                        <textarea aria-label="Answer to pin (optional)" rows={2} maxLength={BOARD_LIMITS.maxAnswerChars} value={answer()} onInput={(e) => setAnswer(e.currentTarget.value)} />
                        <button type="submit">Mark answered</button>
                      </form>
                    </Show>
                  </Show>
                </div>
              </li>
            );
          }}
        </For>
      </ol>
      <Show when={state.hasMore}>
        <button class="link" onClick={() => props.board.loadOlder()}>
          Show older questions
        </button>
      </Show>
    </section>
  );
}
