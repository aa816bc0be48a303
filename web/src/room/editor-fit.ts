/**
 * How tall a workbench's editor can be with its handle and the output panel
 * (at its smallest) still ending on screen: the room fills the window it is
 * in, whatever that window's height, instead of a fixed editor height that
 * leaves a gap on one screen and pushes the output off another.
 */
import { createSignal, onCleanup, onMount, type Accessor } from "solid-js";

/** Before the first measure: about what a top bar and a toolbar leave of the window. */
const GUESS_CHROME = 260;

export function editorFit(workbench: () => HTMLElement | undefined): Accessor<number> {
  const [fit, setFit] = createSignal(Math.max(0, window.innerHeight - GUESS_CHROME));

  function measure() {
    const bench = workbench();
    const frame = bench?.querySelector<HTMLElement>(":scope > .editor");
    const view = frame?.querySelector<HTMLElement>(".cm-editor");
    const handle = bench?.querySelector<HTMLElement>(":scope > .splitter");
    const output = bench?.querySelector<HTMLElement>(":scope > .output");
    // A hidden workbench (the teacher's, behind the class grid) has no layout: keep the last measure.
    if (!bench || !frame || !view || !handle || !output || frame.offsetParent === null) return;
    const top = frame.getBoundingClientRect().top + window.scrollY + (frame.offsetHeight - view.offsetHeight);
    const gap = parseFloat(getComputedStyle(bench).rowGap) || 0;
    const outputMin = parseFloat(getComputedStyle(output).minHeight) || 0;
    const room = bench.parentElement?.closest<HTMLElement>(".student, .teacher");
    const bottom = room ? parseFloat(getComputedStyle(room).paddingBottom) || 0 : 0;
    setFit(Math.floor(window.innerHeight - top - 2 * gap - handle.offsetHeight - outputMin - bottom));
  }

  // Measured again when the window changes, and when the workbench is shown or moves (a notice above it, the grid closed).
  const observer = new ResizeObserver(() => measure());
  onMount(() => {
    measure();
    const bench = workbench();
    if (bench) observer.observe(bench);
    window.addEventListener("resize", measure);
  });
  onCleanup(() => {
    observer.disconnect();
    window.removeEventListener("resize", measure);
  });
  return fit;
}
