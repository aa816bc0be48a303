/** The autograder's verdicts for one submission: the score, each test a reader may see, and the hidden tests as a count (students). */
import { For, Show } from "solid-js";
import type { Grading } from "./api";

const LABEL = { none: "Not graded automatically.", queued: "Queued for grading…", running: "Grading…", failed: "Grading failed; staff will look at it." };

export function GradingResult(props: { grading: Grading }) {
  const g = () => props.grading;
  return (
    <Show when={g().status === "graded"} fallback={<p class="muted" data-testid="grading-status">{LABEL[g().status as keyof typeof LABEL]}</p>}>
      <p data-testid="score">
        Autograder: {g().score} / {g().maxScore} points
      </p>
      <ul class="tests">
        <For each={g().tests ?? []}>
          {(t) => (
            <li data-testid="test-result">
              {t.verdict === "passed" ? "✓" : "✗"} {t.name}: {t.verdict} ({t.points}/{t.maxPoints})
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
