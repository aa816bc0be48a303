/** The autograder's verdicts for one submission: the score, each test a reader may see, and the hidden tests as a count (students). */
import { For, Show } from "solid-js";
import type { Grading } from "./api";
import { GRADING_STATUS_TEXT, HOMEWORK_TEXT, VERDICT_TEXT } from "./strings";

export function GradingResult(props: { grading: Grading }) {
  const g = () => props.grading;
  return (
    <Show when={g().status === "graded"} fallback={<p class="muted" data-testid="grading-status">{GRADING_STATUS_TEXT[g().status as keyof typeof GRADING_STATUS_TEXT]}</p>}>
      <p data-testid="score">
        {HOMEWORK_TEXT.score(g().score ?? 0, g().maxScore ?? 0)}
      </p>
      <ul class="tests">
        <For each={g().tests ?? []}>
          {(t) => (
            <li data-testid="test-result">
              {t.verdict === "passed" ? "✓" : "✗"} {t.name}: {VERDICT_TEXT[t.verdict]} ({t.points}/{t.maxPoints})
              <Show when={t.message}>
                <div class="muted small">{t.message}</div>
              </Show>
            </li>
          )}
        </For>
        <Show when={g().hidden?.total}>
          <li data-testid="hidden-result">
            Hidden tests: {g().hidden!.passed} of {g().hidden!.total} passed ({g().hidden!.points}/{g().hidden!.maxPoints})
          </li>
        </Show>
      </ul>
    </Show>
  );
}
