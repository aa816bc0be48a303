/**
 * Transfer speed over the last few seconds, from running totals: recent
 * enough to follow a slowing link, long enough not to jump with every
 * progress event.
 */
import { FILES_TEXT } from "./strings";

export const WINDOW_MS = 5000;
/** Below this much history a speed (and so a time left) would be a guess. */
export const MIN_SPAN_MS = 500;

export class RateMeter {
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Records the running total and answers bytes per second, or null while there is too little history. */
  sample(bytes: number): number | null {
    const at = this.now();
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && at - this.samples[1]!.at >= WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const span = at - first.at;
    if (span < MIN_SPAN_MS) return null;
    return Math.max(0, (bytes - first.bytes) / (span / 1000));
  }
}

/** "3.4 MB", "820 KB", "12 bytes": decimal units, as browsers and operating systems show file sizes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return FILES_TEXT.bytes(bytes);
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** "about 40 s", "about 3 min", "about 1 h 5 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `about ${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `about ${m} min`;
  return `about ${Math.floor(m / 60)} h ${m % 60} min`;
}
