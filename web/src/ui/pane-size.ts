/**
 * A pane's size in pixels, kept in this browser (localStorage) so a room
 * opens the way its user last arranged it. Always within [min, max]; a
 * missing or garbled stored value gives the fallback.
 */
import { createSignal, type Accessor } from "solid-js";

export interface PaneSize {
  size: Accessor<number>;
  set(px: number): void;
  min: number;
  max: number;
}

const PREFIX = "thirdspace:pane:";

export function createPaneSize(name: string, fallback: number, min: number, max: number): PaneSize {
  const clamp = (px: number) => Math.round(Math.min(max, Math.max(min, px)));
  const stored = Number(readStorage(PREFIX + name));
  const [size, setSize] = createSignal(clamp(Number.isFinite(stored) && stored > 0 ? stored : fallback));
  return {
    size,
    min,
    max,
    set(px) {
      const next = clamp(px);
      setSize(next);
      writeStorage(PREFIX + name, String(next));
    },
  };
}

// Storage can be switched off or full; the size then lasts only for this page.
function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* keeps working without remembering */
  }
}
