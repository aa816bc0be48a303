/** A RUN's output: standard output apart from errors, and the result. */
import { Show } from "solid-js";
import type { RunOutput } from "../../../protocol";

export function OutputPanel(props: { output: RunOutput | null; running: boolean }) {
  return (
    <section class="output" aria-label="Output">
      <header>
        Output
        <Show when={props.running}>
          <span class="muted"> · running…</span>
        </Show>
        <Show when={props.output && !props.running}>
          <span class="muted"> · {props.output!.durationMs} ms</span>
        </Show>
      </header>
      <Show when={props.output} fallback={<p class="muted">Run your code with the Run button or Ctrl/Cmd+Enter.</p>}>
        {(out) => (
          <>
            <Show when={out().stdout}>
              <pre class="stdout" data-testid="stdout">{out().stdout}</pre>
            </Show>
            <Show when={out().truncated}>
              <p class="marker">Output was cut off at the size limit.</p>
            </Show>
            <Show when={out().stderr || out().error}>
              <pre class="stderr" data-testid="stderr">{[out().stderr, out().error].filter(Boolean).join("\n")}</pre>
            </Show>
            <Show when={out().result !== null}>
              <pre class="result" data-testid="result">⇒ {out().result}</pre>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
