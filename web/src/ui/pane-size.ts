/**
 * A pane's size in pixels, kept in this browser (localStorage) so a room
 * opens the way its user last arranged it. Always within [min, max]; a
 * missing or garbled stored value gives the fallback. The fallback and the
 * maximum may follow the window (an accessor): a size kept from a taller
 * window then shrinks to fit this one.
 */
import { createSignal, type Accessor } from "solid-js";
import { readStorage, writeStorage } from "../lib/storage";

export interface PaneSize {
  size: Accessor<number>;
  set(px: number): void;
  min: number;
  readonly max: number;
}

const PREFIX = "thirdspace:pane:";

type Px = number | Accessor<number>;
const read = (px: Px) => (typeof px === "function" ? px() : px);

export function createPaneSize(name: string, fallback: Px, min: number, max: Px): PaneSize {
  const upper = () => Math.max(min, read(max));
  const clamp = (px: number) => Math.round(Math.min(upper(), Math.max(min, px)));
  const stored = Number(readStorage(PREFIX + name));
  // Until the user picks a size, the pane follows the fallback.
  const [chosen, setChosen] = createSignal<number | null>(Number.isFinite(stored) && stored > 0 ? stored : null);
  return {
    size: () => clamp(chosen() ?? read(fallback)),
    min,
    get max() {
      return upper();
    },
    set(px) {
      const next = clamp(px);
      setChosen(next);
      writeStorage(PREFIX + name, String(next));
    },
  };
}
