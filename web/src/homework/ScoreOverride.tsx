/** Staff: a submission's final score, and replacing the autograder's score with their own (a reason is required). */
import { Show, createSignal } from "solid-js";
import { problemText } from "../lib/api";
import { FormAlert } from "../ui/Field";
import { overrideScore, type Feedback } from "./api";
import { HOMEWORK_TEXT } from "./strings";

export function ScoreOverride(props: { submissionId: string; feedback: Feedback | undefined; penaltyPercent: number; onChange: () => void }) {
  const [score, setScore] = createSignal("");
  const [reason, setReason] = createSignal("");
  const [error, setError] = createSignal("");
  const current = () => props.feedback?.override;

  async function save(value: number | null, why: string) {
    setError("");
    try {
      await overrideScore(props.submissionId, value, why);
      setScore("");
      setReason("");
      props.onChange();
    } catch (e) {
      setError(problemText(e, HOMEWORK_TEXT.failed.score));
    }
  }

  return (
    <div class="override" aria-label="Score">
      <p data-testid="review-final">
        Final score: {props.feedback?.finalScore ?? "–"}
        <Show when={props.penaltyPercent > 0}> (after −{props.penaltyPercent}% for lateness)</Show>
        <Show when={current()?.score != null}>
          {" "}
          (set by staff to {current()!.score}: {current()!.reason}){" "}
          <button class="link small" onClick={() => save(null, "Back to the autograder's score.")}>
            Use the autograder's score
          </button>
        </Show>
      </p>
      <form
        class="row"
        aria-label="Override the score"
        onSubmit={(e) => {
          e.preventDefault();
          void save(Number(score()), reason());
        }}
      >
        <label>
          Score
          <input type="number" min={0} step="any" value={score()} onInput={(e) => setScore(e.currentTarget.value)} required />
        </label>
        <label>
          Reason (the student sees it once grades are released)
          <input value={reason()} onInput={(e) => setReason(e.currentTarget.value)} maxLength={1000} required />
        </label>
        <button type="submit" disabled={!score() || !reason().trim()}>
          Set score
        </button>
      </form>
      <FormAlert message={error()} />
    </div>
  );
}
