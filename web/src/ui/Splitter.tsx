/**
 * A drag handle between two panes (a WAI-ARIA window splitter): drag it
 * with a pointer, or focus it and use the arrow keys (Shift for bigger
 * steps, Home and End for the limits). Its value is the size in pixels of
 * the pane before it (left of a vertical handle, above a horizontal one).
 * https://www.w3.org/WAI/ARIA/apg/patterns/windowsplitter/
 */
import type { PaneSize } from "./pane-size";

const STEP = 16;
const BIG_STEP = 64;

export function Splitter(props: {
  label: string;
  /** "vertical": the handle stands between columns; "horizontal": between rows. */
  orientation: "vertical" | "horizontal";
  pane: PaneSize;
  /** The id of the pane it sizes. */
  controls?: string;
}) {
  const vertical = () => props.orientation === "vertical";
  let drag: { pointer: number; from: number; size: number } | null = null;

  function keydown(event: KeyboardEvent) {
    const step = event.shiftKey ? BIG_STEP : STEP;
    const grow = vertical() ? "ArrowRight" : "ArrowDown";
    const shrink = vertical() ? "ArrowLeft" : "ArrowUp";
    const { pane } = props;
    const next =
      event.key === grow ? pane.size() + step : event.key === shrink ? pane.size() - step : event.key === "Home" ? pane.min : event.key === "End" ? pane.max : null;
    if (next === null) return;
    event.preventDefault();
    pane.set(next);
  }

  return (
    <div
      class={`splitter ${props.orientation}`}
      role="separator"
      tabindex="0"
      aria-label={props.label}
      aria-orientation={props.orientation}
      aria-valuenow={props.pane.size()}
      aria-valuemin={props.pane.min}
      aria-valuemax={props.pane.max}
      aria-controls={props.controls}
      onKeyDown={keydown}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        e.currentTarget.setPointerCapture(e.pointerId);
        e.currentTarget.focus();
        drag = { pointer: e.pointerId, from: vertical() ? e.clientX : e.clientY, size: props.pane.size() };
      }}
      onPointerMove={(e) => {
        if (!drag || e.pointerId !== drag.pointer) return;
        props.pane.set(drag.size + (vertical() ? e.clientX : e.clientY) - drag.from);
      }}
      onPointerUp={() => (drag = null)}
      onPointerCancel={() => (drag = null)}
    />
  );
}
